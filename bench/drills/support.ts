import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import type { FakeUser } from '../../test/support/fake-slack';

/** Constants and small helpers the drills share. */

/** The repository root (dist-bench/bench/drills → ../../..). */
export const ROOT = path.resolve(__dirname, '../../..');
export const SIGNING_SECRET = 'drill-signing-secret';
export const WEBHOOK_SECRET = 'drill-webhook-secret';
export const ADMIN: FakeUser = { id: 'UDRILL', name: 'drill-admin', is_admin: true };
export const MEMBER: FakeUser = { id: 'UMEMBER', name: 'drill-member' };
export const DEMO_SPEC_SLUG = 'senior-backend-payments';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** A spec document per drill spec: the demo fixture with a new id and slug. */
export function specDocuments(count: number): { id: string; slug: string }[] {
  const demo = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/payments-platform-spec.json'), 'utf8')) as Record<string, unknown>;
  return Array.from({ length: count }, (_, i) => ({ ...demo, id: randomUUID(), slug: `drill-spec-${i}` }));
}

/**
 * Waits (≤ 60 s) until the specs with these ids are in the database: an app may answer /healthz
 * before it has seeded its specs (it binds its port first), and a drill's first command needs them.
 */
export async function waitForSpecs(databaseUrl: string, ids: string[]): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM spec WHERE id = ANY($1::uuid[])', [ids]);
      if (rows[0]!.n === ids.length) return;
      if (Date.now() > deadline) throw new Error(`the app did not seed its ${ids.length} spec(s) within 60 s`);
      await sleep(100);
    }
  } finally {
    await db.end();
  }
}
