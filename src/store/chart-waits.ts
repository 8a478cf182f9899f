import { deliverJobSpecSql, QUEUE_SCHEMA } from './queue';
import type { SqlRunner } from './sql-runner';

/**
 * A digest part whose chart is still being drawn does not wait for it in a worker slot: it is
 * parked under the picture's content id with its job moved `$3` ms later (a fallback, should the
 * drawing's process die), and the process that stores the picture wakes every part parked under it.
 * A part parked after the wake-up it needed (the picture was stored meanwhile) is woken by its
 * own run, which looks again once parked.
 */

/**
 * $1 delivery id, $2 picture content id, $3 fallback in ms; $4, $5: whether this run's lease stamped
 * the attempt's time and counted it. Parking is not an attempt (nothing was posted), so both are
 * undone: a stamped time would make the next run look for a post in the channel's history first.
 */
export const PARK_FOR_CHART = `
  WITH parked AS (
    UPDATE delivery SET waiting_for_chart = $2, updated_at = now(),
      attempted_at = CASE WHEN $4::boolean THEN NULL ELSE attempted_at END,
      attempts = CASE WHEN $5::boolean THEN greatest(attempts - 1, 0) ELSE attempts END
    WHERE id = $1::uuid AND status IN ('pending', 'sent')
    RETURNING id, platform, kind),
  queued AS (
    SELECT ${QUEUE_SCHEMA}.add_jobs(array_agg(${deliverJobSpecSql('p.id', 'p.platform', 'p.kind', '(now() + make_interval(secs => $3::int / 1000.0))')}))
    FROM parked p HAVING count(*) > 0)
  SELECT (SELECT count(*) FROM parked)::int AS parked, (SELECT count(*) FROM queued)::int AS queued`;

/**
 * $1 picture content id. Every part parked under it runs now (its job's key replaces the fallback),
 * ahead of the parts of the same hour that have not run yet: its job is dated an hour before the part
 * was made (jobs of one claim share their time, and graphile-worker runs the oldest first), so on a
 * Monday morning a woken part does not wait for thousands of others to run and park first.
 */
export const WAKE_CHART_WAITERS = `
  WITH woken AS (
    UPDATE delivery SET waiting_for_chart = NULL WHERE waiting_for_chart = $1
    RETURNING id, platform, kind, created_at),
  queued AS (
    SELECT ${QUEUE_SCHEMA}.add_jobs(array_agg(${deliverJobSpecSql('w.id', 'w.platform', 'w.kind', "(w.created_at - interval '1 hour')")}))
    FROM woken w HAVING count(*) > 0)
  SELECT (SELECT count(*) FROM woken)::int AS woken, (SELECT count(*) FROM queued)::int AS queued`;

export async function parkForChart(
  sql: SqlRunner,
  deliveryId: string,
  imageId: string,
  fallbackMs: number,
  lease: { stampedAttempt: boolean; countedAttempt: boolean },
): Promise<void> {
  await sql.query(PARK_FOR_CHART, [deliveryId, imageId, fallbackMs, lease.stampedAttempt, lease.countedAttempt]);
}

/** How many parts were woken. */
export async function wakeChartWaiters(sql: SqlRunner, imageId: string): Promise<number> {
  return (await sql.query<{ woken: number }>(WAKE_CHART_WAITERS, [imageId]))[0]?.woken ?? 0;
}
