import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { startEmbeddedPostgres } from '../../src/store/embedded-postgres';
import { migrate } from '../../src/store/migrate';
import { installQueue } from '../../src/delivery/worker';
import { TEMPLATE_DATABASE } from './database';

/**
 * One PostgreSQL for the whole run: TEST_DATABASE_URL's server if set (any database on it works as
 * the admin connection), else an embedded one in a temp directory. Migrations are applied once to a
 * template database; every test file clones it (see database.ts).
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'panelist-test-pg-'));
    const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), logger: pino({ level: 'silent' }) });
    (globalThis as { __panelistPg?: typeof server & { dataDir: string } }).__panelistPg = { ...server, dataDir };
    adminUrl = server.url;
  }
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE}`);
  await client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await client.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE_DATABASE}`;
  await migrate(templateUrl.toString());
  await installQueue(templateUrl.toString());
  process.env.PANELIST_TEST_ADMIN_URL = adminUrl;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
