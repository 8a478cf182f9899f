import { Client, Pool } from 'pg';
import { foldBucket, foldClosedRollups } from '../../src/store/rollup-fold';
import { Harness } from '../support/harness';
import { DEMO_SPEC_ID, EXAMPLE_SCORES, abandoned, completed, rescored, started } from '../support/interview-events';
import { idsOverShards, recountedTotals, storedTotals } from '../support/rollup-recount';

// The app's own fold runs on the sweep tick; here the ticks are 10 minutes apart, so every fold
// in the first three tests is the test's own (the last test starts an app that folds by itself).
let harness: Harness;
let sql: Client;
let pool: Pool;

beforeAll(async () => {
  harness = await Harness.start({ SWEEP_INTERVAL_MS: '600000' });
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
  pool = new Pool({ connectionString: harness.database.url, max: 4 });
});
afterAll(async () => {
  await pool.end();
  await sql.end();
  await harness.stop();
});

const scoresOf = (score: number) => EXAMPLE_SCORES.map((s) => ({ ...s, score }));
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

async function send(events: unknown[]): Promise<void> {
  for (const event of events) expect((await harness.webhook(event)).status).toBe(202);
}

async function expectTotalsToMatchRecount(): Promise<void> {
  expect(await storedTotals(sql, DEMO_SPEC_ID)).toEqual(await recountedTotals(sql, DEMO_SPEC_ID));
}

/** Rows of closed buckets (older than an hour) that a fold should have left no trace of. */
async function unfoldedClosedRows(): Promise<number> {
  const result = await sql.query(`
    SELECT (SELECT count(*) FROM interview_rollup WHERE bucket < now() - interval '1 hour'
              AND (shard <> 0 OR (started, completed, abandoned, score_sum_milli, score_n) = (0, 0, 0, 0, 0)))::int
         + (SELECT count(*) FROM competency_rollup WHERE bucket < now() - interval '1 hour'
              AND (shard <> 0 OR (sum_tenths, n) = (0, 0)))::int AS n`);
  return result.rows[0].n;
}

/** Folds until nothing is left to fold (a fold that leaves work behind would go on forever: it fails). */
async function foldAll(): Promise<number> {
  let total = 0;
  for (let round = 0; round < 10; round += 1) {
    const { buckets } = await foldClosedRollups(pool);
    if (buckets === 0) return total;
    total += buckets;
  }
  throw new Error(`still folding after 10 rounds (${total} buckets): a fold leaves something behind`);
}

async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('folding the shards of closed rollup buckets', () => {
  it('keeps every total, leaves one shard per closed bucket, drops empty rows and leaves open buckets alone', async () => {
    const ids = idsOverShards('fold_a', 3);
    await send(
      ids.flatMap((interviewId, i) => [
        started({ interviewId, startedAt: `2026-11-20T09:${String(10 + i).padStart(2, '0')}:00Z` }),
        completed({
          interviewId,
          startedAt: `2026-11-20T09:${String(10 + i).padStart(2, '0')}:00Z`,
          completedAt: ['2026-11-20T10:07:00Z', '2026-11-20T10:21:00Z', '2026-11-20T11:44:00Z'][i % 3],
          scores: scoresOf(40 + i),
        }),
      ]),
    );
    const quitters = idsOverShards('fold_quit', 1);
    await send(
      quitters.flatMap((interviewId) => [started({ interviewId }), abandoned({ interviewId, abandonedAt: '2026-11-20T12:03:00Z' })]),
    );
    // abandoned, then completed: +1 then −1 abandoned in 13:00, an all-zero row in shard 0 and in shard 3
    const zeroIds = idsOverShards('fold_zero', 1);
    const [zeroInShard0, zeroInShard3] = [zeroIds[0]!, zeroIds[3]!];
    for (const interviewId of [zeroInShard0, zeroInShard3]) {
      await send([
        abandoned({ interviewId, abandonedAt: '2026-11-20T13:05:00Z' }),
        completed({ interviewId, completedAt: '2026-11-20T10:07:00Z' }),
      ]);
    }
    const open = idsOverShards('fold_open', 1);
    await send(open.map((interviewId, i) => completed({ interviewId, startedAt: ago(20), completedAt: ago(3), scores: scoresOf(60 + i) })));

    const shardsIn = async (bucket: string) =>
      (await sql.query('SELECT shard FROM interview_rollup WHERE bucket = $1 ORDER BY shard', [bucket])).rows.map((r) => r.shard);
    expect(await shardsIn('2026-11-20T10:00:00Z')).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const zeroRows = await sql.query(`SELECT shard FROM interview_rollup WHERE bucket = '2026-11-20T13:00:00Z' ORDER BY shard`);
    expect(zeroRows.rows).toEqual([{ shard: 0 }, { shard: 3 }]);
    const openRows = async () =>
      (
        await sql.query(`
          SELECT bucket, shard, NULL AS competency_id, started, completed, score_sum_milli::text AS sum, score_n AS n FROM interview_rollup
          WHERE bucket >= now() - interval '1 hour'
          UNION ALL
          SELECT bucket, shard, competency_id, 0, 0, sum_tenths::text, n FROM competency_rollup WHERE bucket >= now() - interval '1 hour'
          ORDER BY 1, 2, 3`)
      ).rows;
    const openBefore = await openRows();
    expect(new Set(openBefore.map((r) => r.shard)).size).toBe(8);
    const totalsBefore = await storedTotals(sql, DEMO_SPEC_ID);
    expect(totalsBefore).toEqual(await recountedTotals(sql, DEMO_SPEC_ID));
    expect(await unfoldedClosedRows()).toBeGreaterThan(0);

    expect(await foldClosedRollups(pool, { maxBuckets: 2 })).toEqual({ buckets: 2 });
    expect((await foldClosedRollups(pool)).buckets).toBeGreaterThan(0);
    expect(await foldClosedRollups(pool)).toEqual({ buckets: 0 });

    expect(await storedTotals(sql, DEMO_SPEC_ID)).toEqual(totalsBefore);
    expect(await unfoldedClosedRows()).toBe(0);
    expect(await shardsIn('2026-11-20T10:00:00Z')).toEqual([0]);
    expect(await shardsIn('2026-11-20T13:00:00Z')).toEqual([]);
    const competencyShards = await sql.query(`SELECT DISTINCT shard FROM competency_rollup WHERE bucket = '2026-11-20T10:00:00Z'`);
    expect(competencyShards.rows).toEqual([{ shard: 0 }]);
    expect(await openRows()).toEqual(openBefore);
    await expectTotalsToMatchRecount();
  });

  it('stays equal to a recount when a rescore or a late completion lands in a folded bucket, before and after the next fold', async () => {
    const ids = idsOverShards('fold_b', 1);
    await send(ids.map((interviewId, i) => completed({ interviewId, completedAt: '2026-11-21T08:05:00Z', scores: scoresOf(50 + i) })));
    await foldAll();
    expect(await unfoldedClosedRows()).toBe(0);

    // shard 5 writes into its own (deleted) row again, shard 0 into the folded total
    await send([
      rescored({ interviewId: ids[5]!, sequence: 4, scores: scoresOf(95) }),
      rescored({ interviewId: ids[0]!, sequence: 4, scores: scoresOf(12) }),
    ]);
    const [late] = idsOverShards('fold_late', 1).slice(6);
    await send([completed({ interviewId: late!, completedAt: '2026-11-21T08:10:00Z', scores: scoresOf(71) })]);
    const shards = await sql.query(`SELECT DISTINCT shard FROM competency_rollup WHERE bucket = '2026-11-21T08:00:00Z' ORDER BY shard`);
    expect(shards.rows.map((r) => r.shard)).toEqual([0, 5, 6]);
    await expectTotalsToMatchRecount();

    expect(await foldAll()).toBeGreaterThan(0);
    expect(await unfoldedClosedRows()).toBe(0);
    await expectTotalsToMatchRecount();
  });

  it('never fails a webhook and keeps every total while folds run beside completions and rescores of the same buckets', async () => {
    const buckets = ['2026-11-22T10:00:00Z', '2026-11-22T10:15:00Z'];
    const completedAt = (i: number) => `2026-11-22T10:${String(i % 2 === 0 ? 5 + (i % 7) : 20 + (i % 7)).padStart(2, '0')}:00Z`;
    const initialScores = (i: number) => EXAMPLE_SCORES.map((_, j) => 20 + ((i * 7 + j * 3) % 70));
    const scoreList = (values: number[]) => EXAMPLE_SCORES.map((s, j) => ({ ...s, score: values[j]! }));
    const seeded = idsOverShards('fold_c_seed', 2);
    await send(
      seeded.map((interviewId, i) => completed({ interviewId, completedAt: completedAt(i), scores: scoreList(initialScores(i)) })),
    );
    await foldAll();

    // Rescores that change one, two or all five scores: the ingest locks different subsets of a
    // shard's competency rows, so transactions hold some of a bucket's rows while waiting for others.
    const changed = [[0], [1, 3], [0, 1, 2, 3, 4], [2, 4]];
    const fresh = idsOverShards('fold_c_new', 4);
    const statuses: number[] = [];
    const lane = async (interviewId: string, i: number, isNew: boolean) => {
      const values = initialScores(i);
      if (isNew)
        statuses.push((await harness.webhook(completed({ interviewId, completedAt: completedAt(i), scores: scoreList(values) }))).status);
      for (const [k, indexes] of changed.entries()) {
        for (const j of indexes) values[j] = 5 + ((values[j]! + 37) % 95);
        statuses.push((await harness.webhook(rescored({ interviewId, sequence: 4 + k, scores: scoreList(values) }))).status);
      }
    };
    // Each update of a rollup row sleeps 5 ms holding that row's lock, so an ingest statement holds
    // part of a bucket's rows for a while: a fold taking rows in another order would deadlock here.
    await sql.query(
      `CREATE FUNCTION slow_rollup_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.005); RETURN NEW; END $$`,
    );
    for (const table of ['interview_rollup', 'competency_rollup']) {
      await sql.query(`CREATE TRIGGER slow_update BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION slow_rollup_update()`);
    }
    let done = false;
    const webhooks = Promise.all([
      ...seeded.map((interviewId, i) => lane(interviewId, i, false)),
      ...fresh.map((interviewId, i) => lane(interviewId, seeded.length + i, true)),
    ]).finally(() => {
      done = true;
    });
    // One app's sweep folding everything, and a second replica folding the same buckets without
    // the advisory lock (bucket by bucket), so the two folds also meet on the same rows.
    let sweeps = 0;
    let moved = 0;
    const sweeper = (async () => {
      while (!done) {
        moved += (await foldClosedRollups(pool)).buckets;
        sweeps += 1;
      }
    })();
    const replica = (async () => {
      const client = await pool.connect();
      try {
        while (!done) for (const bucket of buckets) await foldBucket(client, DEMO_SPEC_ID, new Date(bucket));
      } finally {
        client.release();
      }
    })();
    await Promise.all([webhooks, sweeper, replica]).finally(() => sql.query('DROP FUNCTION slow_rollup_update() CASCADE'));

    expect(statuses).toHaveLength(fresh.length * 5 + seeded.length * 4);
    expect(statuses.filter((status) => status !== 202)).toEqual([]);
    expect(sweeps).toBeGreaterThan(3);
    expect(moved).toBeGreaterThan(0);
    await expectTotalsToMatchRecount();
    await foldAll();
    expect(await unfoldedClosedRows()).toBe(0);
    await expectTotalsToMatchRecount();
  }, 90_000);
});

describe("the app's sweep", () => {
  it('folds closed buckets by itself', async () => {
    const app = await Harness.start({ SWEEP_INTERVAL_MS: '200' });
    const db = new Client({ connectionString: app.database.url });
    await db.connect();
    try {
      const ids = idsOverShards('fold_app', 1);
      for (const interviewId of ids)
        expect((await app.webhook(completed({ interviewId, completedAt: '2026-11-19T16:40:00Z' }))).status).toBe(202);
      const shards = async () =>
        (await db.query(`SELECT DISTINCT shard FROM competency_rollup WHERE bucket = '2026-11-19T16:30:00Z' ORDER BY shard`)).rows.map(
          (r) => r.shard,
        );
      expect(await eventually(async () => ((await shards()).length === 1 ? shards() : undefined), 15_000)).toEqual([0]);
      expect(await storedTotals(db, DEMO_SPEC_ID)).toEqual(await recountedTotals(db, DEMO_SPEC_ID));
    } finally {
      await db.end();
      await app.stop();
    }
  });
});
