import { Pool, type Client as PgClient } from 'pg';
import { foldClosedRollups } from '../../src/store/rollup-fold';
import { competencyRollupSelect, GENERATED_SHARD, generatedScores, insertInterviews, interviewRollupSelect } from './digest-sql';
import { now } from './util';

/**
 * Replaces the digest database's interviews with `size` generated ones and their rollups, as fast as
 * PostgreSQL allows a bulk load: the interview table's secondary indexes are dropped and rebuilt
 * around the insert (same definitions, read from pg_indexes), foreign-key triggers are off for the
 * insert (session_replication_role = replica: every row names the one spec, which exists), and the
 * rollups are written in bucket order, as the ingest appends them over time. Then the app's own fold
 * (src/store/rollup-fold.ts) folds every bucket closed by `end`, as a running app's sweep keeps
 * them, and VACUUM ANALYZE, where autovacuum would leave a table that has been stable for a while.
 */
export async function generateInterviews(
  pg: PgClient,
  options: { size: number; specId: string; end: Date; competencies: { id: string; weight: number }[]; databaseUrl: string },
): Promise<{ insertSeconds: number; rollupSeconds: number; foldSeconds: number; foldedBuckets: number; totalSeconds: number }> {
  const started = now();
  await pg.query('TRUNCATE interview, interview_score, interview_rollup, competency_rollup');
  const indexes = await pg.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'interview'
       AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
  );
  await pg.query(`SET work_mem = '256MB'`);
  try {
    for (const index of indexes.rows) await pg.query(`DROP INDEX ${index.indexname}`);
    await pg.query('SET session_replication_role = replica');
    const insert = insertInterviews(
      options.size,
      options.specId,
      options.end,
      options.competencies.map((c) => c.weight),
    );
    await pg.query(insert.sql, insert.params);
  } finally {
    await pg.query('RESET session_replication_role');
    for (const index of indexes.rows) await pg.query(index.indexdef.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
  }
  const insertSeconds = (now() - started) / 1000;
  const step = now();
  await pg.query(
    `INSERT INTO interview_rollup (spec_id, bucket, shard, started, completed, abandoned, score_sum_milli, score_n) ${interviewRollupSelect(GENERATED_SHARD)}`,
  );
  const scores = generatedScores(options.competencies.map((c) => c.id));
  await pg.query(
    `INSERT INTO competency_rollup (spec_id, bucket, competency_id, shard, sum_tenths, n) ${competencyRollupSelect(scores, GENERATED_SHARD)}`,
  );
  const rollupSeconds = (now() - step) / 1000;
  await pg.query('RESET work_mem');
  const foldStep = now();
  const foldedBuckets = await foldAsTheAppWould(options.databaseUrl, options.end);
  const foldSeconds = (now() - foldStep) / 1000;
  await pg.query('VACUUM ANALYZE interview, interview_rollup, competency_rollup');
  return { insertSeconds, rollupSeconds, foldSeconds, foldedBuckets, totalSeconds: (now() - started) / 1000 };
}

/**
 * The app folds a bucket an hour after it began (its sweep, every SWEEP_INTERVAL_MS); at `end` that
 * is every bucket but the last hour's. The cutoff is set relative to `end`, not to the clock.
 */
async function foldAsTheAppWould(databaseUrl: string, end: Date): Promise<number> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const olderThanMs = Date.now() - end.getTime() + 60 * 60 * 1000;
    let total = 0;
    for (;;) {
      const { buckets } = await foldClosedRollups(pool, { olderThanMs, maxBuckets: 100_000 });
      if (buckets === 0) return total;
      total += buckets;
    }
  } finally {
    await pool.end();
  }
}
