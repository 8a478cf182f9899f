import { Client } from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { startEmbeddedPostgres, embeddedUrl } from '../store/embedded-postgres';
import { migrate } from '../store/migrate';

/**
 * The database a CLI command works on: DATABASE_URL, else the embedded one — the running app's, if
 * `npm start` is up, or started just for this command and stopped after it.
 */
export async function openCliDatabase(config: Config, logger: Logger): Promise<{ url: string; close(): Promise<void> }> {
  if (config.databaseUrl) {
    await migrate(config.databaseUrl);
    return { url: config.databaseUrl, close: async () => undefined };
  }
  const running = embeddedUrl(config.embeddedPg.port);
  if (await reachable(running)) return { url: running, close: async () => undefined };
  const embedded = await startEmbeddedPostgres({ ...config.embeddedPg, logger });
  await migrate(embedded.url);
  return { url: embedded.url, close: () => embedded.stop() };
}

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query('SELECT 1 FROM "_prisma_migrations" LIMIT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
