import { Prisma } from './generated/prisma/client';

/**
 * The job queue is graphile-worker: jobs are rows in Postgres, added by SQL inside the same
 * transaction as the state change that needs them, and workers wake on LISTEN/NOTIFY the moment
 * that transaction commits. These are the only statements the app writes against its schema.
 */
export const QUEUE_SCHEMA = 'graphile_worker';
export const DELIVER_TASK = 'deliver';
/** A delivery's job key is this prefix and its id: one job per delivery. */
export const DELIVER_JOB_KEY_PREFIX = 'delivery:';

/**
 * Queues (or re-queues) the job that drives one delivery. The job key makes it one job per
 * delivery: adding again while it waits just moves its run time; adding while it runs queues a
 * follow-up, so a rescore that lands mid-send is never lost.
 */
export function addDeliverJob(deliveryId: string, runAt?: Date): Prisma.Sql {
  return Prisma.sql`SELECT ${Prisma.raw(QUEUE_SCHEMA)}.add_job(
    ${DELIVER_TASK},
    json_build_object('deliveryId', ${deliveryId}::text),
    run_at => ${runAt ?? null}::timestamptz,
    max_attempts => 25,
    job_key => ${DELIVER_JOB_KEY_PREFIX + deliveryId}
  )`;
}

/** Queue depth for metrics and the CLI: jobs waiting, and how many of them are due now. */
export function queueDepth(): Prisma.Sql {
  return Prisma.sql`SELECT count(*)::int AS waiting, count(*) FILTER (WHERE run_at <= now())::int AS due
    FROM ${Prisma.raw(QUEUE_SCHEMA)}.jobs WHERE locked_at IS NULL`;
}
