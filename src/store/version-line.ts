import { HAS_WORK } from './delivery-sql';
import { deliverJobSpecSql, QUEUE_SCHEMA } from './queue';
import type { SqlRunner } from './sql-runner';

/**
 * A spec's versions go to the interview platform one at a time, in version order: a version is
 * POSTed only once every earlier version of its spec is finished (sent, or a dead letter). The
 * deliveries are kind 'spec.version' (subject: the spec_version id) in channel = the spec's id, so
 * the line is that channel's deliveries ordered by version number. Chat channels keep their order
 * with paced turns (delivery-sql.ts, panelist_take_turn); the platform needs no pace, only order,
 * and a turn's order gives way to a post that has been under way for 5 s, which a slow endpoint
 * (10 s timeout) would reach. So this line is stricter and simpler: no time at all, only "is any
 * earlier version still pending?".
 *
 * Waiting is a row and a job, as for turns: a version behind an unfinished one parks its job for
 * a while (the backstop) and is woken at once when the one before it finishes. The two statements
 * meet on the earlier delivery's row: the check takes it FOR SHARE, so a finish being written
 * (which updates that row) either lands before the check reads it, or after the park committed, in
 * which case its wake finds the parked delivery. Neither can slip between the two.
 */

/** The subject of a 'spec.version' delivery as a spec_version id; NULL for any other kind (no cast attempted). */
const VERSION_OF = (alias: string) => `CASE WHEN ${alias}.kind = 'spec.version' THEN ${alias}.subject_id::uuid END`;

/**
 * $1 delivery id, $2 how long a parked delivery's job waits before looking again by itself (ms).
 * No row when the delivery has nothing left to do. Otherwise its kind and how many earlier versions
 * of its spec are still pending; when some are, its job has been moved back by $2.
 */
export const TAKE_PLACE_IN_LINE = `
  WITH target AS (
    SELECT d.id, d.platform, d.kind, d.channel_id, v.spec_id, v.number
    FROM delivery d JOIN spec_version v ON v.id = ${VERSION_OF('d')}
    WHERE d.id = $1::uuid AND ${HAS_WORK}),
  earlier AS (
    SELECT e.id FROM delivery e
    JOIN target t ON e.platform = t.platform AND e.channel_id = t.channel_id AND e.kind = t.kind
    JOIN spec_version ev ON ev.spec_id = t.spec_id AND ev.id::text = e.subject_id
    WHERE e.status = 'pending' AND ev.number < t.number
    FOR SHARE OF e),
  parked AS (
    UPDATE delivery d SET next_attempt_at = now() + make_interval(secs => $2::int / 1000.0), updated_at = now()
    FROM target t WHERE d.id = t.id AND EXISTS (SELECT 1 FROM earlier)
    RETURNING d.id, d.platform, d.kind, d.next_attempt_at),
  requeued AS (
    SELECT ${QUEUE_SCHEMA}.add_jobs(array_agg(${deliverJobSpecSql('p.id', 'p.platform', 'p.kind', 'p.next_attempt_at')}))
    FROM parked p HAVING count(*) > 0)
  SELECT t.kind, (SELECT count(*) FROM earlier)::int AS "waitingBehind", (SELECT count(*) FROM requeued)::int AS requeued
  FROM target t`;

/**
 * $1 a delivery that just finished (sent, or dead). The earliest pending version of its spec after
 * it (normally parked behind it) runs now instead of at its backstop.
 */
export const WAKE_NEXT_IN_LINE = `
  WITH finished AS (
    SELECT d.id, d.platform, d.kind, d.channel_id, v.spec_id
    FROM delivery d JOIN spec_version v ON v.id = ${VERSION_OF('d')}
    WHERE d.id = $1::uuid),
  next AS (
    SELECT e.id FROM delivery e
    JOIN finished f ON e.platform = f.platform AND e.channel_id = f.channel_id AND e.kind = f.kind AND e.id <> f.id
    JOIN spec_version ev ON ev.spec_id = f.spec_id AND ev.id::text = e.subject_id
    WHERE e.status = 'pending'
    ORDER BY ev.number LIMIT 1),
  woken AS (
    UPDATE delivery d SET next_attempt_at = now(), updated_at = now()
    FROM next n WHERE d.id = n.id AND d.status = 'pending'
    RETURNING d.id, d.platform, d.kind),
  requeued AS (
    SELECT ${QUEUE_SCHEMA}.add_jobs(array_agg(${deliverJobSpecSql('w.id', 'w.platform', 'w.kind')}))
    FROM woken w HAVING count(*) > 0)
  SELECT (SELECT count(*) FROM requeued)::int AS woken`;

export interface PlaceInLine {
  kind: string;
  /** earlier versions of the same spec still pending: 0 means it may be sent now */
  waitingBehind: number;
}

export async function takePlaceInLine(sql: SqlRunner, deliveryId: string, backstopMs: number): Promise<PlaceInLine | undefined> {
  return (await sql.query<PlaceInLine>(TAKE_PLACE_IN_LINE, [deliveryId, backstopMs]))[0];
}

export async function wakeNextInLine(sql: SqlRunner, deliveryId: string): Promise<void> {
  await sql.query(WAKE_NEXT_IN_LINE, [deliveryId]);
}
