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

/**
 * SQL for one delivery's job_spec, from SQL expressions for its id, platform, kind and run time
 * (NULL = now): what addDeliverJob queues, for statements that add many jobs with one add_jobs call.
 */
export function deliverJobSpecSql(idSql: string, platformSql: string, kindSql: string, runAtSql = 'NULL'): string {
  return `ROW('${DELIVER_TASK_PREFIX}' || ${platformSql}, json_build_object('deliveryId', ${idSql}::text), NULL, ${runAtSql}::timestamptz, 25,
    '${DELIVER_JOB_KEY_PREFIX}' || ${idSql}::text, ${PRIORITY_SQL(kindSql)}, NULL)::${QUEUE_SCHEMA}.job_spec`;
}

/** Queue depth for metrics and the CLI: jobs waiting, and how many of them are due now. */
export function queueDepth(): Prisma.Sql {
  return Prisma.sql`SELECT count(*)::int AS waiting, count(*) FILTER (WHERE run_at <= now())::int AS due
    FROM ${Prisma.raw(QUEUE_SCHEMA)}.jobs WHERE locked_at IS NULL`;
}
