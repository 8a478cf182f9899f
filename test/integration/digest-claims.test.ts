import { Writable } from 'node:stream';
import { Pool } from 'pg';
import pino from 'pino';
import { startDigestClock } from '../../src/jobs/digest-clock';
import { Metrics } from '../../src/observability/metrics';
import { DIGEST_KIND, DigestService, type ClaimedDigest } from '../../src/services/digests';
import { createDb, type Db } from '../../src/store/db';
import { DELIVER_JOB_KEY_PREFIX, DIGEST_JOB_PRIORITY, QUEUE_SCHEMA, deliverTask } from '../../src/store/queue';
import { pgTransaction, prismaTransaction } from '../../src/store/sql-transaction';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { seedDigestChannels, type SeededChannel } from '../support/digest-seed';

/**
 * The clock's claim at scale, on its own database per test: Monday morning's many schedules in
 * batches of short transactions, shared by replicas, each digest once with its deliveries and jobs.
 */
const DUE_AT = new Date('2026-11-23T09:00:00Z');
const NOW = new Date('2026-11-23T09:00:20Z');
const BATCH = 100;
const WEEK_MS = 7 * 24 * 3600 * 1000;
/** Not the renderer's split: a digest of n specs takes ceil(n/2) messages, so the parts vary per channel. */
const messagesFor = (specs: number) => Math.ceil(specs / 2);

let database: TestDatabase;
let pool: Pool;
let db: Db;
beforeEach(async () => {
  database = await createTestDatabase();
  pool = new Pool({ connectionString: database.url, max: 4 });
  db = createDb(database.url, { max: 2 });
});
afterEach(async () => {
  await db?.$disconnect();
  await pool?.end();
  await database?.drop();
});

const onPg = (claimPool = pool) => new DigestService(db, { messagesFor, claimBatchSize: BATCH }, pgTransaction(claimPool));
const seed = (channels: number, withoutSubscriptionsEvery = 0) =>
  seedDigestChannels(pool, { organizations: 20, specsPerOrganization: 25, channels, dueAt: DUE_AT, withoutSubscriptionsEvery });

interface ClaimedRow {
  channel_id: string;
  next_run_at: Date;
  digests: { id: string; period_start: string; period_end: string; late: boolean; parts: number }[];
  deliveries: {
    subject: string;
    subscription: string;
    status: string;
    job_task: string | null;
    job_attempts: number | null;
    job_priority: number | null;
  }[];
}

/** What the database holds per seeded channel: its schedule's next run, its digests, their deliveries and jobs. */
async function claimedRows(): Promise<Map<string, ClaimedRow>> {
  const { rows } = await pool.query<Omit<ClaimedRow, 'deliveries'> & { deliveries: ClaimedRow['deliveries'][] }>(
    `WITH per_digest AS MATERIALIZED (
       SELECT split_part(dl.subject_id, ':', 1) AS digest_id, dl.channel_id,
              json_agg(json_build_object('subject', dl.subject_id, 'subscription', dl.subscription_id, 'status', dl.status,
                                         'job_task', t.identifier, 'job_attempts', j.max_attempts, 'job_priority', j.priority)
                       ORDER BY split_part(dl.subject_id, ':', 2)::int) AS deliveries
       FROM delivery dl
       LEFT JOIN ${QUEUE_SCHEMA}._private_jobs j ON j.key = $2 || dl.id
       LEFT JOIN ${QUEUE_SCHEMA}._private_tasks t ON t.id = j.task_id
       WHERE dl.kind = $1
       GROUP BY 1, 2)
     SELECT s.channel_id, s.next_run_at,
            coalesce((SELECT json_agg(json_build_object('id', d.id, 'period_start', d.period_start, 'period_end', d.period_end,
                                                        'late', d.late, 'parts', d.parts))
                      FROM digest d WHERE d.schedule_id = s.id), '[]') AS digests,
            coalesce((SELECT json_agg(p.deliveries) FROM digest d JOIN per_digest p ON p.digest_id = d.id::text AND p.channel_id = s.channel_id
                      WHERE d.schedule_id = s.id), '[]') AS deliveries
     FROM digest_schedule s`,
    [DIGEST_KIND, DELIVER_JOB_KEY_PREFIX],
  );
  return new Map(rows.map((row) => [row.channel_id, { ...row, deliveries: row.deliveries.flat() }]));
}

/**
 * Every channel with subscriptions has one digest for the week before DUE_AT, one delivery per part
 * to its target subscription, each with its job; a channel without has none. Differences are
 * collected as sentences and compared once: hundreds of channels times jest's matchers is slow.
 */
async function expectEachClaimedOnce(channels: SeededChannel[], claimed: ClaimedDigest[]) {
  const rows = await claimedRows();
  const claimedIds = new Set(claimed.map((c) => c.id));
  expect(claimedIds.size).toBe(claimed.length);
  expect(claimed).toHaveLength(channels.filter((channel) => channel.target).length);
  const problems: string[] = [];
  const check = (channel: string, what: string, actual: unknown, expected: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(expected))
      problems.push(`${channel} ${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  };
  for (const channel of channels) {
    const row = rows.get(channel.channelId)!;
    if (!channel.target) {
      check(channel.channelId, 'digests', row.digests, []);
      continue;
    }
    check(channel.channelId, 'digest count', row.digests.length, 1);
    const digest = row.digests[0];
    if (!digest) continue;
    const parts = Math.max(1, messagesFor(channel.specCount));
    check(
      channel.channelId,
      'digest',
      {
        claimedByThisCall: claimedIds.has(digest.id),
        start: new Date(digest.period_start).toISOString(),
        end: new Date(digest.period_end).toISOString(),
        late: digest.late,
        parts: digest.parts,
      },
      { claimedByThisCall: true, start: new Date(DUE_AT.getTime() - WEEK_MS).toISOString(), end: DUE_AT.toISOString(), late: false, parts },
    );
    check(
      channel.channelId,
      'deliveries',
      row.deliveries.map((d) => [d.subject, d.subscription, d.status, d.job_task, d.job_attempts, d.job_priority]),
      Array.from({ length: parts }, (_, i) => [
        `${digest.id}:${i + 1}`,
        channel.target,
        'pending',
        deliverTask('slack'),
        25,
        DIGEST_JOB_PRIORITY,
      ]),
    );
  }
  expect(problems).toEqual([]);
}

describe('Monday morning: many channels due at the same minute', () => {
  it('claims them all in one call, batch after batch, each once with its deliveries and jobs, and moves every schedule on (a channel without subscriptions gets no digest)', async () => {
    const channels = await seed(600, 50);
    const batches: ClaimedDigest[][] = [];
    const claimed = await onPg().claimDue(NOW, { onlyDue: true }, (batch) => batches.push(batch));

    expect(batches.length).toBeGreaterThanOrEqual(600 / BATCH);
    expect(batches.every((batch) => batch.length <= BATCH)).toBe(true);
    expect(batches.flat()).toEqual(claimed);
    await expectEachClaimedOnce(channels, claimed);
    const nextRuns = new Set([...(await claimedRows()).values()].map((row) => row.next_run_at.toISOString()));
    expect([...nextRuns]).toEqual([new Date(DUE_AT.getTime() + WEEK_MS).toISOString()]);
    const described = new Set(claimed.map((digest) => JSON.stringify([digest.scheduledFor, digest.latenessMs, digest.late])));
    expect([...described]).toEqual([JSON.stringify([DUE_AT, NOW.getTime() - DUE_AT.getTime(), false])]);
    const jobs = await pool.query(`SELECT payload FROM ${QUEUE_SCHEMA}._private_jobs`);
    const deliveries = await pool.query(`SELECT id FROM delivery`);
    expect(jobs.rows.map((j) => j.payload.deliveryId).sort()).toEqual(deliveries.rows.map((d) => d.id).sort());

    expect(await onPg().claimDue(NOW)).toEqual([]);
  });

  it('two replicas claiming at once share the work: every (schedule, period) once, all of it claimed', async () => {
    const channels = await seed(600);
    const otherPool = new Pool({ connectionString: database.url, max: 2 });
    try {
      // one replica on plain pg, one through Prisma: both roads the app and the CLI take
      const other = new DigestService(db, { messagesFor, claimBatchSize: BATCH }, prismaTransaction(db));
      const [a, b] = await Promise.all([onPg(otherPool).claimDue(NOW), other.claimDue(NOW)]);
      await expectEachClaimedOnce(channels, [...a, ...b]);
    } finally {
      await otherPool.end();
    }
  });

  it('skips the schedules another replica holds instead of waiting for it, and leaves them to it', async () => {
    const channels = await seed(300);
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      const held = await holder.query<{ id: string }>(`SELECT id FROM digest_schedule ORDER BY id LIMIT 150 FOR UPDATE`);
      const claimed = await onPg().claimDue(NOW);
      expect(claimed).toHaveLength(150);
      const claimedSchedules = await pool.query<{ schedule_id: string }>(`SELECT schedule_id FROM digest`);
      const heldIds = new Set(held.rows.map((r) => r.id));
      expect(claimedSchedules.rows.some((r) => heldIds.has(r.schedule_id))).toBe(false);
      await holder.query('ROLLBACK');
      // the replica that held them died without claiming: the next tick claims them
      const rest = await onPg().claimDue(NOW);
      await expectEachClaimedOnce(channels, [...claimed, ...rest]);
    } finally {
      holder.release();
    }
  });

  it('keeps a batch within its deliveries: a channel following many specs takes several', async () => {
    const channels = await seed(120);
    const service = new DigestService(db, { messagesFor, claimBatchSize: BATCH, claimDeliveries: 40 }, pgTransaction(pool));
    const batches: ClaimedDigest[][] = [];
    const claimed = await service.claimDue(NOW, { onlyDue: true }, (batch) => batches.push(batch));
    await expectEachClaimedOnce(channels, claimed);
    const parts = new Map(
      (await pool.query<{ id: string; parts: number }>(`SELECT id, parts FROM digest`)).rows.map((d) => [d.id, d.parts]),
    );
    for (const batch of batches) {
      const deliveries = batch.reduce((sum, digest) => sum + parts.get(digest.id)!, 0);
      expect(batch.length === 1 || deliveries <= 40).toBe(true);
    }
    expect(batches.length).toBeGreaterThan(120 / BATCH);
  });

  it('marks a digest late when it is claimed more than ten minutes after its time', async () => {
    const channels = await seed(8);
    const elevenMinutesLate = new Date(DUE_AT.getTime() + 11 * 60_000);
    const claimed = await onPg().claimDue(elevenMinutesLate);
    expect(claimed).toHaveLength(channels.length);
    for (const digest of claimed) expect(digest).toMatchObject({ late: true, latenessMs: 11 * 60_000, scheduledFor: DUE_AT });
    expect((await pool.query(`SELECT DISTINCT late FROM digest`)).rows).toEqual([{ late: true }]);
  });
});

describe('the clock', () => {
  it('claims everything due in one tick: a log line per batch, each digest at debug and in the metrics', async () => {
    const quarterHour = 15 * 60_000;
    const dueAt = new Date(Math.floor(Date.now() / quarterHour) * quarterHour);
    await seedDigestChannels(pool, { organizations: 4, specsPerOrganization: 5, channels: 250, dueAt });
    const lines: { level: number; msg: string; claimed?: number }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    const metrics = new Metrics(db);
    const clock = startDigestClock(onPg(), pino({ level: 'debug' }, sink), metrics);
    // the clock ticks once as it starts, and stopping waits for that tick
    await clock.stop();

    expect((await pool.query(`SELECT count(*)::int AS n FROM digest`)).rows[0].n).toBe(250);
    const batches = lines.filter((line) => line.level === 30 && line.msg === 'digests claimed and queued');
    expect(batches.length).toBeGreaterThanOrEqual(3);
    expect(batches.reduce((sum, line) => sum + line.claimed!, 0)).toBe(250);
    expect(lines.filter((line) => line.level === 20 && line.msg === 'digest claimed and queued')).toHaveLength(250);
    const runs = await metrics.digestRuns.get();
    expect(runs.values.reduce((sum, value) => sum + value.value, 0)).toBe(250);
  });
});

describe('`digests run --at` (onlyDue: false)', () => {
  it('claims for every enabled schedule, due or not, in batches, without moving any, and a second run claims nothing', async () => {
    const channels = await seed(250);
    // not due yet, and switched off: the first is claimed all the same, the second is not
    await pool.query(`UPDATE digest_schedule SET next_run_at = next_run_at + interval '3 days' WHERE channel_id = $1`, [
      channels[0]!.channelId,
    ]);
    await pool.query(`UPDATE digest_schedule SET enabled = false WHERE channel_id = $1`, [channels[1]!.channelId]);
    const before = await pool.query(`SELECT id, next_run_at FROM digest_schedule ORDER BY id`);
    const batches: ClaimedDigest[][] = [];
    const claimed = await onPg().claimDue(NOW, { onlyDue: false }, (batch) => batches.push(batch));

    expect(batches.length).toBeGreaterThanOrEqual(3);
    const enabled = channels.filter((channel) => channel !== channels[1]);
    await expectEachClaimedOnce(enabled, claimed);
    expect((await claimedRows()).get(channels[1]!.channelId)!.digests).toEqual([]);
    expect((await pool.query(`SELECT id, next_run_at FROM digest_schedule ORDER BY id`)).rows).toEqual(before.rows);
    expect(await onPg().claimDue(NOW, { onlyDue: false })).toEqual([]);
  });

  it('keeps within its deliveries per batch too, and still claims every schedule once', async () => {
    const channels = await seed(120);
    const service = new DigestService(db, { messagesFor, claimBatchSize: BATCH, claimDeliveries: 40 }, pgTransaction(pool));
    const claimed = await service.claimDue(NOW, { onlyDue: false });
    await expectEachClaimedOnce(channels, claimed);
  });
});
