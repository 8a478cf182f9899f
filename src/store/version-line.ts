import type { Tx } from './db';
import { HAS_WORK, LEASE_SET, LEASED_COLUMNS, RECORD_POST, type LeasedDelivery } from './delivery-sql';
import { Prisma } from './generated/prisma/client';
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
 * Waiting is a row without a job: a version whose job finds an earlier one unfinished gives the
 * job up, and the earlier one, when it finishes, wakes the next (WAKE_NEXT_IN_LINE): the worker
 * that sent it goes on with it, or hands it a job due now. Should a wake be lost (its process died
 * between the finish and the wake), the sweeper re-queues the waiting version like any pending
 * delivery without a job, within about a minute and a half. The check (LEASE_IN_LINE) and a finish
 * meet on the earlier delivery's row: the check holds it FOR SHARE for its one statement and the
 * finish updates that row, so the finish is written either before the check reads it (no wait) or
 * after the check committed its wait, which the wake, a statement of its own after the finish,
 * then sees. (A version saved while its predecessor is being recorded already has its own job.)
 */

/** The subject of a 'spec.version' delivery as a spec_version id; NULL for any other kind (no cast attempted). */
const VERSION_OF = (alias: string) => `CASE WHEN ${alias}.kind = 'spec.version' THEN ${alias}.subject_id::uuid END`;

/** The pending deliveries of earlier versions in the line of `target t`, locked FOR SHARE (see above). */
const EARLIER = `
    SELECT e.id FROM delivery e
    JOIN target t ON e.platform = t.platform AND e.channel_id = t.channel_id AND e.kind = t.kind
    JOIN spec_version ev ON ev.spec_id = t.line_spec AND ev.id::text = e.subject_id
    WHERE e.status = 'pending' AND ev.number < t.line_number
    FOR SHARE OF e`;

/**
 * $1 delivery id. The line's check and the lease in one statement (every version's path): no row
 * when the delivery has nothing left to do; else how many earlier versions of its spec are pending.
 * When some are, it waits without a job (the one running it ends); when none are, it is leased if
 * no other run holds the lease, and the row comes as LEASE_DELIVERY returns it (with the version).
 */
export const LEASE_IN_LINE = `
  WITH target AS (
    SELECT d.*, v.spec_id AS line_spec, v.number AS line_number
    FROM delivery d JOIN spec_version v ON v.id = ${VERSION_OF('d')}
    WHERE d.id = $1::uuid AND ${HAS_WORK}
    FOR UPDATE OF d),
  earlier AS (${EARLIER}),
  waiting AS (
    UPDATE delivery d SET next_attempt_at = now(), updated_at = now()
    FROM target t WHERE d.id = t.id AND EXISTS (SELECT 1 FROM earlier)
    RETURNING d.id),
  leased AS (
    UPDATE delivery d SET ${LEASE_SET}
    FROM target t WHERE d.id = t.id AND NOT EXISTS (SELECT 1 FROM earlier) AND (t.lease_until IS NULL OR t.lease_until < now())
    RETURNING d.id)
  SELECT (SELECT count(*) FROM earlier)::int AS "waitingBehind", (SELECT count(*) FROM waiting)::int AS waiting,
         EXISTS (SELECT 1 FROM leased) AS leased, ${LEASED_COLUMNS}
  FROM target d`;

/**
 * $1 a delivery that just finished (its post recorded, or a dead letter). The earliest pending
 * version of its spec after it (normally waiting behind it, without a job) is woken and returned:
 * given a job due now when $2 is true, else left for the caller, which goes on with it itself.
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
    FROM woken w WHERE $2::boolean HAVING count(*) > 0)
  SELECT (SELECT id FROM woken) AS next, (SELECT count(*) FROM requeued)::int AS requeued`;

/** What LEASE_IN_LINE found when the delivery still has work: its place, and the lease if it was taken. */
export interface PlaceInLine {
  kind: string;
  /** earlier versions of its spec still pending: when above 0 it waits to be woken */
  waitingBehind: number;
  /** undefined while waiting, or when another run holds the lease */
  leased: LeasedDelivery | undefined;
}

export async function leaseInLine(sql: SqlRunner, deliveryId: string): Promise<PlaceInLine | undefined> {
  type Row = LeasedDelivery & { waitingBehind: number; waiting: number; leased: boolean };
  const row = (await sql.query<Row>(LEASE_IN_LINE, [deliveryId]))[0];
  if (!row) return undefined;
  const { waitingBehind, waiting: _waiting, leased, ...delivery } = row;
  return { kind: delivery.kind, waitingBehind, leased: leased ? delivery : undefined };
}

/**
 * The post recorded (the lease ends with it), then the next version woken: two statements, see
 * above. `goOn`: the caller sends the next version itself (its id is returned), so it gets no job.
 */
export async function markPostedInLine(
  sql: SqlRunner,
  deliveryId: string,
  messageId: string,
  version: number,
  options: { goOn: boolean },
): Promise<string | undefined> {
  await sql.query(RECORD_POST, [deliveryId, messageId, version]);
  return wake(sql, deliveryId, !options.goOn);
}

/** After a dead letter: the next version of its spec gets a job due now. */
export async function wakeNextInLine(sql: SqlRunner, deliveryId: string): Promise<void> {
  await wake(sql, deliveryId, true);
}

async function wake(sql: SqlRunner, deliveryId: string, withJob: boolean): Promise<string | undefined> {
  const [row] = await sql.query<{ next: string | null }>(WAKE_NEXT_IN_LINE, [deliveryId, withJob]);
  return row?.next ?? undefined;
}

/**
 * Queues spec version `versionId` for the platform's endpoint (`platform`) in the caller's
 * transaction: its delivery, in the spec's line (channel = spec id), and its job due now, in one
 * statement. It takes no lock on the line: the save would hold it to its commit, and a busy line
 * then moved at the pace of the saves' transactions (the benchmark showed it); the version's job
 * finds out whether it must wait.
 */
export async function queueVersionDelivery(
  tx: Tx,
  version: { versionId: string; specId: string; organizationId: string; platform: string },
): Promise<void> {
  await tx.$executeRaw`
    WITH created AS (
      INSERT INTO delivery (id, kind, subject_id, platform, workspace_id, channel_id, status)
      VALUES (gen_random_uuid(), 'spec.version', ${version.versionId}, ${version.platform}, ${version.organizationId}, ${version.specId}, 'pending')
      RETURNING id, platform, kind)
    SELECT ${Prisma.raw(QUEUE_SCHEMA)}.add_jobs(array_agg(${Prisma.raw(deliverJobSpecSql('c.id', 'c.platform', 'c.kind'))})) FROM created c`;
}
