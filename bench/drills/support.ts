import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
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

