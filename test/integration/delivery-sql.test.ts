import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { LEASE_DELIVERY, MARK_ATTEMPT, MARK_UPDATED, TAKE_TURN, type LeasedDelivery } from '../../src/store/delivery-sql';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** The delivery run's statements against real PostgreSQL: the lease, and what it counts as an attempt. */
let database: TestDatabase;
let pool: Pool;
beforeAll(async () => {
  database = await createTestDatabase();
  pool = new Pool({ connectionString: database.url, max: 4 });
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

let next = 0;
async function delivery(columns: Record<string, unknown> = {}): Promise<string> {
  const values = {
    id: randomUUID(),
    kind: 'interview.result',
    subject_id: `int_sql_${next++}`,
    platform: 'slack',
    workspace_id: 'T1',
    channel_id: 'C1',
    ...columns,
  };
  const names = Object.keys(values);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO delivery (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    Object.values(values),
  );
  return rows[0]!.id;
}

const lease = async (id: string) => (await pool.query<LeasedDelivery>(LEASE_DELIVERY, [id])).rows[0];
const row = async (id: string) =>
  (
    await pool.query<{ attempts: number; attempted_at: Date | null; lease_until: Date | null; rendered_version: number }>(
      'SELECT * FROM delivery WHERE id = $1',
      [id],
    )
  ).rows[0]!;

describe('LEASE_DELIVERY', () => {
  it('leases a first post and counts it as an attempt, returning the row as it was', async () => {
    const id = await delivery();
    const leased = await lease(id);
    expect(leased).toMatchObject({ id, attemptedAt: null, messageId: null, hideName: true, result: null });
    const after = await row(id);
    expect(after.attempts).toBe(1);
    expect(after.attempted_at).toBeInstanceOf(Date);
    expect(after.lease_until!.getTime()).toBeGreaterThan(Date.now() + 60_000);
  });

  it('leaves a retry’s attempt time where the last post was, until MARK_ATTEMPT (a failed search must not move it)', async () => {
    const posted = new Date(Date.now() - 10 * 60_000);
    const id = await delivery({ attempted_at: posted, attempts: 2 });
    expect((await lease(id))?.attemptedAt?.getTime()).toBe(posted.getTime());
    expect(await row(id)).toMatchObject({ attempts: 2, attempted_at: posted });
    await pool.query(MARK_ATTEMPT, [id]);
    const after = await row(id);
    expect(after.attempts).toBe(3);
    expect(after.attempted_at!.getTime()).toBeGreaterThan(posted.getTime());
  });

  it('refuses a held lease, and takes an expired one', async () => {
    const held = await delivery({ lease_until: new Date(Date.now() + 60_000) });
    const expired = await delivery({ lease_until: new Date(Date.now() - 1_000) });
    expect(await lease(held)).toBeUndefined();
    expect(await lease(expired)).toMatchObject({ id: expired });
  });

  it('gives no turn and no lease with no work: settled, or sent and showing its latest content', async () => {
    const read = async (id: string) => (await pool.query(TAKE_TURN, [id, 1_000, 3])).rows[0];
    for (const status of ['failed', 'paused', 'cancelled']) {
      const id = await delivery({ status });
      expect(await read(id)).toBeUndefined();
      expect(await lease(id)).toBeUndefined();
    }
    const shown = await delivery({ status: 'sent', message_id: 'm1', rendered_version: 1, content_version: 1 });
    expect(await read(shown)).toBeUndefined();
    expect(await lease(shown)).toBeUndefined();
    expect(await lease(await delivery({ status: 'sent', message_id: 'm2', rendered_version: 1, content_version: 2 }))).toMatchObject({
      messageId: 'm2',
    });
  });

  it('gives the lease to exactly one of many runs at once', async () => {
    const id = await delivery();
    const results = await Promise.all(Array.from({ length: 4 }, () => lease(id)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await row(id)).attempts).toBe(1);
  });
});

describe('MARK_UPDATED', () => {
  it('only moves forward, and ends the lease either way', async () => {
    const id = await delivery({
      status: 'sent',
      message_id: 'm3',
      rendered_version: 3,
      content_version: 3,
      lease_until: new Date(Date.now() + 60_000),
    });
    await pool.query(MARK_UPDATED, [id, 2]);
    expect(await row(id)).toMatchObject({ rendered_version: 3, lease_until: null });
  });
});
