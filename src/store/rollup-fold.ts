import type { Pool, PoolClient } from 'pg';
import { pgRunner, type SqlRunner } from './sql-runner';

/**
 * Folds the shards of closed rollup buckets into shard 0. The ingest spreads a bucket's writes over
 * 8 shards so concurrent webhooks do not queue on one row; once nobody writes to a bucket any more,
 * the shards only multiply what readers scan (a week's digest at 1M interviews: 672 buckets × 8
 * shards × competencies). Readers sum over shards, so folding changes no figure. A late event (a
 * rescore, an out-of-order completion) may still write shard k of a folded bucket: readers still sum
 * correctly, and the next fold folds it again.
 *
 * Lock order, the reason this can run beside the ingest without deadlocks. Take the total order
 *   every interview_rollup row before every competency_rollup row; within a table, by bucket, then
 *   shard 0 after the other shards, then (competency_id COLLATE "C", shard).
 * The ingest (src/store/rollups.ts applyRollupChange) writes one shard per transaction, as its last
 * statements: interview_rollup by bucket, then competency_rollup by (bucket, competency_id COLLATE
 * "C"): increasing in that order. A fold transaction covers one (spec, bucket): it locks the
 * bucket's interview_rollup shards 1–7 by shard, then upserts shard 0 (creating it if missing),
 * then locks competency_rollup shards 1–7 by (competency, shard), then upserts shard 0's rows by
 * competency: increasing too. Every other write it makes (deleting shards 1–7 and empty shard-0
 * rows) is to rows it already holds, so it never waits there. When every transaction takes its
 * row locks (and waits on others' uncommitted inserts of the same key, which is the same thing) in
 * increasing order of one total order, no cycle of waits can form: a waiter holds only rows below
 * the one it waits for, so along any chain of waits the rows strictly increase. Shard 0 comes last
 * because the fold creates it: inserting it after locking other rows of its bucket is only safe if
 * nothing it locked ranks above it. (The parked-event replay also applies rollups, several
 * interviews in one transaction, but for a spec created in that same transaction: nobody else can
 * see its rows.)
 *
 * Two folds at once (two replicas) follow the same order, so they cannot deadlock either, and the
 * second one finds the first one's shards deleted (a row lock wait re-reads the row: it is gone)
 * and moves nothing twice. A session advisory lock still lets only one fold run at a time, so
 * replicas do not repeat each other's work: the other skips its turn.
 */

export interface FoldOptions {
  /** a bucket is folded once it began this long ago (default: one hour) */
  olderThanMs?: number;
  /** at most this many (spec, bucket) pairs per call (default 500); the next call goes on */
  maxBuckets?: number;
}

const DEFAULT_OLDER_THAN_MS = 60 * 60 * 1000;
const DEFAULT_MAX_BUCKETS = 500;

export async function foldClosedRollups(pool: Pool, options: FoldOptions = {}): Promise<{ buckets: number }> {
  const client = await pool.connect();
  // A connection that failed mid-fold may still hold the advisory lock: it is dropped, not reused.
  let healthy = false;
  try {
    const sql = pgRunner(client);
    const [lock] = await sql.query<{ locked: boolean }>(TRY_FOLD_LOCK, []);
    if (!lock?.locked) {
      healthy = true;
      return { buckets: 0 };
    }
    let pairs: { spec_id: string; bucket: Date }[];
    try {
      const olderThanMs = options.olderThanMs ?? DEFAULT_OLDER_THAN_MS;
      pairs = await sql.query(BUCKETS_TO_FOLD, [olderThanMs, options.maxBuckets ?? DEFAULT_MAX_BUCKETS]);
      for (const pair of pairs) await foldBucket(client, pair.spec_id, pair.bucket);
    } finally {
      await sql.query(RELEASE_FOLD_LOCK, []);
    }
    healthy = true;
    return { buckets: pairs.length };
  } finally {
    client.release(!healthy);
  }
}

/** Folds one (spec, bucket) in its own short transaction (exported for the concurrency tests). */
export async function foldBucket(client: PoolClient, specId: string, bucket: Date): Promise<void> {
  const sql: SqlRunner = pgRunner(client);
  await client.query(BEGIN_FOLD);
  try {
    const [interviewTotal] = await sql.query<{ empty: boolean }>(FOLD_INTERVIEW_SHARDS, [specId, bucket]);
    const totals = await sql.query<{ competency_id: string; empty: boolean }>(FOLD_COMPETENCY_SHARDS, [specId, bucket]);
    const emptyCompetencies = totals.filter((t) => t.empty).map((t) => t.competency_id);
    if (interviewTotal?.empty || emptyCompetencies.length > 0) {
      await sql.query(DROP_EMPTY_TOTALS, [specId, bucket, interviewTotal?.empty ?? false, emptyCompetencies]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Housekeeping: a fold lost to a crash is simply done again, and its commit would otherwise wait
 * for a WAL flush per bucket (most of a bucket's cost on a slow disk). A later ingest commit flushes
 * the WAL up to itself, so it never survives a crash that a fold it waited for did not.
 */
const BEGIN_FOLD = 'BEGIN; SET LOCAL synchronous_commit TO off';

// One fold at a time across replicas; a session lock, held on this connection for the whole run.
const TRY_FOLD_LOCK = `SELECT pg_try_advisory_lock(hashtext('panelist:rollup-fold')) AS locked`;
const RELEASE_FOLD_LOCK = `SELECT pg_advisory_unlock(hashtext('panelist:rollup-fold')) AS released`;

/**
 * Closed buckets with something to fold: a row in shard 1–7, or an all-zero row (rescore deltas
 * leave those behind). Oldest first. A full scan of both tables, which folding keeps small: about
 * one row per bucket (and competency) plus the last hour's shards.
 */
const BUCKETS_TO_FOLD = `
SELECT spec_id::text AS spec_id, bucket FROM (
  SELECT spec_id, bucket FROM interview_rollup
  WHERE bucket < now() - $1::float8 * interval '1 millisecond'
    AND (shard <> 0 OR (started, completed, abandoned, score_sum_milli, score_n) = (0, 0, 0, 0, 0))
  UNION
  SELECT spec_id, bucket FROM competency_rollup
  WHERE bucket < now() - $1::float8 * interval '1 millisecond' AND (shard <> 0 OR (sum_tenths, n) = (0, 0))
) AS unfolded
ORDER BY bucket, spec_id
LIMIT $2::int`;

/**
 * Locks the bucket's shards 1–7 in shard order, deletes exactly those (the DELETE joins only rows
 * the locking CTE has returned, so it never waits and never takes a lock out of order), and adds
 * what they held (RETURNING: the values actually deleted) to shard 0, inserting it if missing. A
 * row a concurrent ingest inserted after this statement's snapshot is neither locked nor moved: the
 * next fold takes it. The existing shard 0 joins with zeros so the upsert locks it too, for
 * DROP_EMPTY_TOTALS.
 */
const FOLD_INTERVIEW_SHARDS = `
WITH locked AS MATERIALIZED (
  SELECT shard FROM interview_rollup
  WHERE spec_id = $1::uuid AND bucket = $2::timestamptz AND shard <> 0
  ORDER BY shard FOR UPDATE),
moved AS (
  DELETE FROM interview_rollup r USING locked l
  WHERE r.spec_id = $1::uuid AND r.bucket = $2::timestamptz AND r.shard = l.shard
  RETURNING r.started, r.completed, r.abandoned, r.score_sum_milli, r.score_n),
parts AS (
  SELECT started, completed, abandoned, score_sum_milli, score_n FROM moved
  UNION ALL
  SELECT 0, 0, 0, 0, 0 FROM interview_rollup WHERE spec_id = $1::uuid AND bucket = $2::timestamptz AND shard = 0)
INSERT INTO interview_rollup (spec_id, bucket, shard, started, completed, abandoned, score_sum_milli, score_n)
SELECT $1::uuid, $2::timestamptz, 0, sum(started), sum(completed), sum(abandoned), sum(score_sum_milli), sum(score_n)
FROM parts HAVING count(*) > 0
ON CONFLICT (spec_id, bucket, shard) DO UPDATE SET
  started = interview_rollup.started + EXCLUDED.started,
  completed = interview_rollup.completed + EXCLUDED.completed,
  abandoned = interview_rollup.abandoned + EXCLUDED.abandoned,
  score_sum_milli = interview_rollup.score_sum_milli + EXCLUDED.score_sum_milli,
  score_n = interview_rollup.score_n + EXCLUDED.score_n
RETURNING (started, completed, abandoned, score_sum_milli, score_n) = (0, 0, 0, 0, 0) AS empty`;

/** As FOLD_INTERVIEW_SHARDS, per competency: shards 1–7 locked by (competency, shard), then shard 0 by competency. */
const FOLD_COMPETENCY_SHARDS = `
WITH locked AS MATERIALIZED (
  SELECT competency_id, shard FROM competency_rollup
  WHERE spec_id = $1::uuid AND bucket = $2::timestamptz AND shard <> 0
  ORDER BY competency_id COLLATE "C", shard FOR UPDATE),
moved AS (
  DELETE FROM competency_rollup r USING locked l
  WHERE r.spec_id = $1::uuid AND r.bucket = $2::timestamptz AND r.competency_id = l.competency_id AND r.shard = l.shard
  RETURNING r.competency_id, r.sum_tenths, r.n),
parts AS (
  SELECT competency_id, sum_tenths, n FROM moved
  UNION ALL
  SELECT competency_id, 0, 0 FROM competency_rollup WHERE spec_id = $1::uuid AND bucket = $2::timestamptz AND shard = 0)
INSERT INTO competency_rollup (spec_id, bucket, competency_id, shard, sum_tenths, n)
SELECT $1::uuid, $2::timestamptz, competency_id, 0, sum(sum_tenths), sum(n)
FROM parts GROUP BY competency_id
ORDER BY competency_id COLLATE "C"
ON CONFLICT (spec_id, bucket, competency_id, shard) DO UPDATE SET
  sum_tenths = competency_rollup.sum_tenths + EXCLUDED.sum_tenths,
  n = competency_rollup.n + EXCLUDED.n
RETURNING competency_id, (sum_tenths, n) = (0, 0) AS empty`;

/** Shard-0 rows that add up to nothing; all of them were upserted (so locked) by this transaction. */
const DROP_EMPTY_TOTALS = `
WITH interviews AS (
  DELETE FROM interview_rollup
  WHERE $3::bool AND spec_id = $1::uuid AND bucket = $2::timestamptz AND shard = 0
    AND (started, completed, abandoned, score_sum_milli, score_n) = (0, 0, 0, 0, 0)
  RETURNING 1),
competencies AS (
  DELETE FROM competency_rollup
  WHERE spec_id = $1::uuid AND bucket = $2::timestamptz AND shard = 0 AND competency_id = ANY ($4::text[])
    AND (sum_tenths, n) = (0, 0)
  RETURNING 1)
SELECT (SELECT count(*) FROM interviews)::int + (SELECT count(*) FROM competencies)::int AS dropped`;
