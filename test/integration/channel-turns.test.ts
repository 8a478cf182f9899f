import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { HOLD_CHANNEL, LEASE_DELIVERY, MARK_POSTED, TAKE_TURN, WAKE_STALLED_CHANNELS } from '../../src/store/delivery-sql';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * Turns in a channel's rate limit, kept by PostgreSQL for every replica: the statements a delivery
 * run makes, against real PostgreSQL and graphile-worker's queue.
 */
let database: TestDatabase;
let pool: Pool;
beforeAll(async () => {
  database = await createTestDatabase();
  pool = new Pool({ connectionString: database.url, max: 8 });
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const SECOND = { intervalMs: 1_000, burst: 3 };
let nextChannel = 0;
const newChannel = () => `CTURN${nextChannel++}`;

/** `count` waiting deliveries in `channel`, created one millisecond apart (their order of creation). */
async function backlog(channel: string, count: number, kind = 'interview.result'): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO delivery (id, kind, subject_id, platform, workspace_id, channel_id, created_at, next_attempt_at)
     SELECT gen_random_uuid(), $5, $1 || n, $2, 'T1', $3, now() - interval '1 minute' + n * interval '1 millisecond', now() - interval '1 minute'
     FROM generate_series(1, $4::int) n ORDER BY n RETURNING id`,
    [`int_${randomUUID()}_`, 'slack', channel, count, kind],
  );
  return rows.map((row) => row.id);
}

const takeTurn = async (id: string, pace = SECOND) =>
  (await pool.query<{ runAt: Date; due: boolean; requeued: number }>(TAKE_TURN, [id, pace.intervalMs, pace.burst])).rows[0];

async function turnsOf(ids: string[]): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ id: string; send_at: Date | null }>('SELECT id, send_at FROM delivery WHERE id = ANY($1::uuid[])', [
    ids,
  ]);
  return new Map(rows.map((row) => [row.id, row.send_at?.getTime() ?? Number.NaN]));
}

async function jobsOf(ids: string[]): Promise<Map<string, { runAt: number; task: string; priority: number }>> {
  const { rows } = await pool.query<{ key: string; run_at: Date; task_identifier: string; priority: number }>(
    `SELECT key, run_at, task_identifier, priority FROM graphile_worker.jobs WHERE key = ANY($1::text[])`,
    [ids.map((id) => `delivery:${id}`)],
  );
  return new Map(
    rows.map((row) => [
      row.key.slice('delivery:'.length),
      { runAt: row.run_at.getTime(), task: row.task_identifier, priority: row.priority },
    ]),
  );
}

describe('TAKE_TURN', () => {
  it('gives a whole backlog its turns at once, in the order it was created, a burst and then one per interval', async () => {
    const ids = await backlog(newChannel(), 8);
    const first = await takeTurn(ids[0]!);
    expect(first).toMatchObject({ due: true, requeued: 5 });
    const turns = await turnsOf(ids);
    const times = ids.map((id) => turns.get(id)!);
    const start = times[0]!;
    expect(times.slice(0, 3).every((t) => t === start)).toBe(true);
    for (let i = 3; i < times.length; i += 1) expect(times[i]! - start).toBe((i - 2) * 1_000);
    // the later turns' jobs wait for them, under their platform's task
    const jobs = await jobsOf(ids.slice(3));
    for (const id of ids.slice(3)) expect(jobs.get(id)).toEqual({ runAt: turns.get(id), task: 'deliver:slack', priority: 0 });
  });

  it('keeps a weekly digest’s job behind interview results (a lower priority) when it moves it', async () => {
    const ids = await backlog(newChannel(), 5, 'digest');
    await takeTurn(ids[0]!);
    const jobs = await jobsOf(ids.slice(3));
    expect([...jobs.values()].map((job) => job.priority)).toEqual([10, 10]);
  });

  it('confirms a turn already given instead of giving another, and says it is not due yet', async () => {
    const ids = await backlog(newChannel(), 5);
    await takeTurn(ids[0]!);
    const before = await turnsOf(ids);
    const again = await takeTurn(ids[4]!);
    expect(again).toMatchObject({ due: false });
    expect(again!.runAt.getTime()).toBe(before.get(ids[4]!));
    expect(await turnsOf(ids)).toEqual(before);
  });

  it('keeps one channel’s order and spacing when many runs (replicas) ask at once', async () => {
    const ids = await backlog(newChannel(), 40);
    await Promise.all([...ids].reverse().map((id) => takeTurn(id)));
    const turns = await turnsOf(ids);
    const times = ids.map((id) => turns.get(id)!);
    for (let i = 1; i < times.length; i += 1) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    // never more than the burst within one interval
    for (let i = 3; i < times.length; i += 1) expect(times[i]! - times[i - 3]!).toBeGreaterThanOrEqual(1_000);
  });

  it('gives a quiet channel its turn now, whatever another channel is waiting for', async () => {
    const busy = await backlog(newChannel(), 200);
    await takeTurn(busy[0]!);
    const [quiet] = await backlog(newChannel(), 1);
    expect(await takeTurn(quiet!)).toMatchObject({ due: true, requeued: 0 });
  });

  it('does not let turns given to deliveries that stopped waiting hold the channel back', async () => {
    const channel = newChannel();
    const ids = await backlog(channel, 50);
    await takeTurn(ids[0]!);
    await pool.query(`UPDATE delivery SET status = 'cancelled' WHERE id = ANY($1::uuid[])`, [ids]);
    const [late] = await backlog(channel, 1);
    const turn = await takeTurn(late!);
    expect(turn!.runAt.getTime() - Date.now()).toBeLessThanOrEqual(1_000);
  });

  it('answers nothing for a delivery with nothing left to do', async () => {
    const [id] = await backlog(newChannel(), 1);
    await pool.query(`UPDATE delivery SET status = 'failed' WHERE id = $1`, [id]);
    expect(await takeTurn(id!)).toBeUndefined();
  });

  it('lets a turn go only after every earlier turn of the channel has ended, so messages arrive in order', async () => {
    const ids = await backlog(newChannel(), 2);
    expect(await takeTurn(ids[0]!)).toMatchObject({ due: true });
    await pool.query(LEASE_DELIVERY, [ids[0]]);
    // the second turn has come (a burst of 3), but the first post is still under way
    const behind = await takeTurn(ids[1]!);
    expect(behind).toMatchObject({ due: false, requeued: 1 });
    expect(behind!.runAt.getTime()).toBeGreaterThan(Date.now() - 1_000);
    expect((await jobsOf([ids[1]!])).get(ids[1]!)!.runAt).toBe(behind!.runAt.getTime());
    // the first post ends its turn and wakes the next one: no waiting for the fallback
    await pool.query(MARK_POSTED, [ids[0], 'ts-1', 1]);
    expect((await jobsOf([ids[1]!])).get(ids[1]!)!.runAt).toBeLessThanOrEqual(Date.now());
    expect(await takeTurn(ids[1]!)).toMatchObject({ due: true });
  });

  it('never makes a burst of turns taken late: a due turn waits until the posts recorded allow one more', async () => {
    const ids = await backlog(newChannel(), 4);
    await takeTurn(ids[0]!);
    for (const [i, id] of ids.slice(0, 3).entries()) {
      await pool.query(LEASE_DELIVERY, [id]);
      await pool.query(MARK_POSTED, [id, `ts-burst-${i}`, 1]);
    }
    // the fourth turn's job ran late: its turn has passed, but three posts just went out
    await pool.query(`UPDATE delivery SET send_at = now() - interval '1 second' WHERE id = $1`, [ids[3]]);
    const late = await takeTurn(ids[3]!);
    expect(late).toMatchObject({ due: false, requeued: 1 });
    expect(late!.runAt.getTime()).toBeGreaterThan(Date.now() + 500);
  });

  it('costs a backlog one wake-up per message: only the turn right behind the running one comes back on its own', async () => {
    const ids = await backlog(newChannel(), 3);
    await takeTurn(ids[0]!);
    await pool.query(LEASE_DELIVERY, [ids[0]]);
    const next = await takeTurn(ids[1]!);
    const further = await takeTurn(ids[2]!);
    expect(next!.runAt.getTime() - Date.now()).toBeLessThan(10_000);
    expect(further!.runAt.getTime() - Date.now()).toBeGreaterThan(5 * 60_000);
  });

  it('is nudged by the sweeper when the chain broke: a channel whose earliest turn passed long ago runs it now', async () => {
    const ids = await backlog(newChannel(), 2);
    await takeTurn(ids[0]!);
    await takeTurn(ids[1]!);
    // the first turn's job died with its process; the second waits far back in the line
    await pool.query(`UPDATE delivery SET send_at = now() - interval '30 seconds' WHERE id = ANY($1::uuid[])`, [ids]);
    await pool.query(
      `SELECT graphile_worker.add_job('deliver:slack', json_build_object('deliveryId', $1::text), run_at => now() + interval '10 minutes', job_key => 'delivery:' || $1)`,
      [ids[0]],
    );
    await pool.query(WAKE_STALLED_CHANNELS, []);
    expect((await jobsOf([ids[0]!])).get(ids[0]!)!.runAt).toBeLessThanOrEqual(Date.now());
  });

  it('leaves a turn parked for its chart to its own wake-up: the sweeper does not run it early', async () => {
    const ids = await backlog(newChannel(), 1, 'digest');
    await takeTurn(ids[0]!);
    // parked (src/store/chart-waits.ts): its turn kept, its job 30 s out, woken when the picture is stored
    await pool.query(`UPDATE delivery SET send_at = now() - interval '30 seconds', waiting_for_chart = 'a-picture' WHERE id = $1::uuid`, [
      ids[0],
    ]);
    await pool.query(
      `SELECT graphile_worker.add_job('deliver:slack', json_build_object('deliveryId', $1::text), run_at => now() + interval '30 seconds', job_key => 'delivery:' || $1)`,
      [ids[0]],
    );
    await pool.query(WAKE_STALLED_CHANNELS, []);
    expect((await jobsOf([ids[0]!])).get(ids[0]!)!.runAt).toBeGreaterThan(Date.now() + 20_000);
  });

  it('ends with the post it was for, so an update later waits for a turn of its own', async () => {
    const [id] = await backlog(newChannel(), 1);
    await takeTurn(id!);
    await pool.query(LEASE_DELIVERY, [id]);
    await pool.query(MARK_POSTED, [id, 'ts-2', 1]);
    expect((await turnsOf([id!])).get(id!)).toBeNaN();
  });
});

describe('HOLD_CHANNEL', () => {
  it('holds the channel for the Retry-After, sends the refused delivery first, and moves the others back in order', async () => {
    const channel = newChannel();
    const ids = await backlog(channel, 6);
    await takeTurn(ids[0]!);
    await pool.query(LEASE_DELIVERY, [ids[0]]);
    const before = await turnsOf(ids.slice(1));
    const held = Date.now();
    await pool.query(HOLD_CHANNEL, [ids[0], 30_000, SECOND.intervalMs, SECOND.burst]);
    const after = await turnsOf(ids);
    const refused = after.get(ids[0]!)!;
    expect(refused).toBeGreaterThanOrEqual(held + 30_000);
    const rest = ids.slice(1).map((id) => after.get(id)!);
    expect(rest[0]!).toBeGreaterThanOrEqual(refused + 1_000);
    for (let i = 1; i < rest.length; i += 1) expect(rest[i]! - rest[i - 1]!).toBe(before.get(ids[i + 1]!)! - before.get(ids[i]!)!);
    const jobs = await jobsOf(ids);
    for (const id of ids) expect(jobs.get(id)?.runAt).toBe(after.get(id));
    // a newcomer waits behind all of them
    const [newcomer] = await backlog(channel, 1);
    expect((await takeTurn(newcomer!))!.runAt.getTime()).toBeGreaterThan(rest[rest.length - 1]!);
  });
});
