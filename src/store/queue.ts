import type { Db, Tx } from './db';
import { Prisma } from './generated/prisma/client';

/**
 * The job queue is graphile-worker: jobs are rows in Postgres, added by SQL inside the same
 * transaction as the state change that needs them, and workers wake on LISTEN/NOTIFY the moment
 * that transaction commits. These are the only statements the app writes against its schema.
 */
export const QUEUE_SCHEMA = 'graphile_worker';
/**
 * A delivery's task names its platform (`deliver:slack`, `deliver:teams`): a worker asks only for
 * the tasks it registered, so a replica without a platform's credentials never takes that
 * platform's deliveries; they wait, untouched, for a replica that can send them.
 */
export const DELIVER_TASK_PREFIX = 'deliver:';
/** Jobs queued before tasks named their platform; a worker re-queues them under the platform's task. */
export const LEGACY_DELIVER_TASK = 'deliver';
/** A delivery's job key is this prefix and its id: one job per delivery. */
export const DELIVER_JOB_KEY_PREFIX = 'delivery:';

export function deliverTask(platform: string): string {
  return DELIVER_TASK_PREFIX + platform;
}

/**
 * graphile-worker runs lower numbers first. A weekly digest can wait a few seconds; an interview's
 * result should not wait behind ten thousand of them on a Monday morning.
 */
export const DIGEST_JOB_PRIORITY = 10;
const priorityOf = (kind: string): number | null => (kind === 'digest' ? DIGEST_JOB_PRIORITY : null);
const PRIORITY_SQL = (kindSql: string) => `CASE WHEN ${kindSql} = 'digest' THEN ${DIGEST_JOB_PRIORITY} END`;

/**
 * Queues (or re-queues) the job that drives one delivery. The job key makes it one job per
 * delivery: adding again while it waits just moves its run time; adding while it runs queues a
 * follow-up, so a rescore that lands mid-send is never lost.
 */
export function addDeliverJob(delivery: { id: string; platform: string; kind: string }, runAt?: Date): Prisma.Sql {
  return Prisma.sql`SELECT ${Prisma.raw(QUEUE_SCHEMA)}.add_job(
    ${deliverTask(delivery.platform)},
    json_build_object('deliveryId', ${delivery.id}::text),
    run_at => ${runAt ?? null}::timestamptz,
    max_attempts => 25,
    job_key => ${DELIVER_JOB_KEY_PREFIX + delivery.id},
    priority => ${priorityOf(delivery.kind)}::int
  )`;
}

/** Runs addDeliverJob: inside the caller's transaction when given one, so the job commits with the state change. */
export async function enqueueDelivery(db: Db | Tx, delivery: { id: string; platform: string; kind: string }, runAt?: Date): Promise<void> {
  await db.$executeRaw(addDeliverJob(delivery, runAt));
}

/**
 * SQL for one delivery's job_spec, from SQL expressions for its id, platform, kind and run time
 * (NULL = now): what addDeliverJob queues, for statements that add many jobs with one add_jobs call.
 */
export function deliverJobSpecSql(idSql: string, platformSql: string, kindSql: string, runAtSql = 'NULL'): string {
  return `ROW('${DELIVER_TASK_PREFIX}' || ${platformSql}, json_build_object('deliveryId', ${idSql}::text), NULL, ${runAtSql}::timestamptz, 25,
    '${DELIVER_JOB_KEY_PREFIX}' || ${idSql}::text, ${PRIORITY_SQL(kindSql)}, NULL)::${QUEUE_SCHEMA}.job_spec`;
}

/** Queue depth for metrics and the CLI: jobs waiting, and how many of them are due now. */
export async function queueDepth(db: Db): Promise<{ waiting: number; due: number }> {
  const [row] = await db.$queryRaw<
    { waiting: number; due: number }[]
  >`SELECT count(*)::int AS waiting, count(*) FILTER (WHERE run_at <= now())::int AS due
    FROM ${Prisma.raw(QUEUE_SCHEMA)}.jobs WHERE locked_at IS NULL`;
  return row ?? { waiting: 0, due: 0 };
}

/**
 * Deliveries nothing will run: unfinished, idle for a minute, and without a live job (none queued
 * that can still run, none locked by a worker that is still within the lease).
 */
export function findLostDeliveries(db: Db): Promise<{ id: string; platform: string; kind: string }[]> {
  return db.$queryRaw`
    SELECT d.id, d.platform, d.kind FROM delivery d
    WHERE (d.status = 'pending' OR (d.status = 'sent' AND d.rendered_version < d.content_version))
      AND d.next_attempt_at < now() - interval '1 minute'
      AND d.updated_at < now() - interval '1 minute'
      AND (d.lease_until IS NULL OR d.lease_until < now())
      AND NOT EXISTS (
        SELECT 1 FROM ${Prisma.raw(QUEUE_SCHEMA)}.jobs j
        WHERE j.key = ${DELIVER_JOB_KEY_PREFIX} || d.id::text
          AND (j.locked_at > now() - interval '2 minutes' OR (j.locked_at IS NULL AND j.attempts < j.max_attempts)))
    LIMIT 1000`;
}
