import type { TaskList } from 'graphile-worker';
import type { Pool } from 'pg';
import type { Db } from '../store/db';
import { Prisma } from '../store/db';
import { addDeliverJob, DELIVER_JOB_KEY_PREFIX, deliverTask, LEGACY_DELIVER_TASK, QUEUE_SCHEMA } from '../store/queue';
import { WAKE_STALLED_CHANNELS } from '../store/delivery-sql';
import { foldClosedRollups } from '../store/rollup-fold';
import { deliver } from './deliver';
import type { DeliverDeps } from './deps';
import { alertDeadLetters, type OpsChannel } from './ops-alerts';
import { runDueJobs, SupervisedRunner } from './queue-runner';

export { installQueue } from './queue-runner';

export interface WorkerOptions {
  databaseUrl: string;
  opsChannel?: OpsChannel;
  concurrency: number;
  /** how often a pending delivery whose job was lost (crash mid-job) is looked for, and closed rollup buckets are folded */
  sweepIntervalMs: number;
  /** the app's shared `pg` pool: the rollup fold runs its plain SQL there (one connection while it works) */
  pool: Pool;
}

/**
 * Runs deliveries outside any request and transaction. Jobs wake the worker through
 * LISTEN/NOTIFY as the enqueuing transaction commits; the sweeper re-queues deliveries whose job
 * vanished with a crashed process (graphile-worker only frees a dead worker's lock after hours).
 */
export async function startDeliveryWorker(deps: DeliverDeps, options: WorkerOptions): Promise<{ stop(): Promise<void> }> {
  const runner = new SupervisedRunner({ databaseUrl: options.databaseUrl, concurrency: options.concurrency, taskList: taskList(deps) }, deps.logger);
  await runner.start();
  const sweep = () =>
    sweepLostDeliveries(deps.db)
      .then(() => deps.sql.query(WAKE_STALLED_CHANNELS, []))
      .then(() => alertDeadLetters(deps.db, deps.senders.slack, options.opsChannel, deps.logger))
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'delivery sweep failed'));
  // Folding is housekeeping for the digest's reads: it runs on the ticks only (not before start-up
  // completes), one run at a time per process, and its failure costs nothing but a warning.
  let folding: Promise<void> | undefined;
  const fold = () => {
    folding ??= foldClosedRollups(options.pool)
      .then(({ buckets }) => {
        if (buckets > 0) deps.logger.debug({ buckets }, 'folded the shards of closed rollup buckets');
      })
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'rollup fold failed'))
      .finally(() => {
        folding = undefined;
      });
  };
  await sweep();
  const timer = setInterval(() => {
    void sweep();
    fold();
  }, options.sweepIntervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await folding;
      await runner.stop();
    },
  };
}

/** Works through every job that is due now, then returns (the CLI, when no app is running). */
export async function drainDueJobs(deps: DeliverDeps, databaseUrl: string): Promise<void> {
  await runDueJobs(databaseUrl, taskList(deps), deps.logger);
}

/**
 * A task per platform this process can send to, and no other: deliveries for a platform without a
 * sender here are never taken, so they wait for a replica that has its credentials.
 */
function taskList(deps: DeliverDeps): TaskList {
  const tasks: TaskList = {
    // Jobs queued before tasks named their platform move under their platform's task.
    [LEGACY_DELIVER_TASK]: async (payload) => {
      const { deliveryId } = payload as { deliveryId: string };
      const delivery = await deps.db.delivery.findUnique({ where: { id: deliveryId }, select: { id: true, platform: true, kind: true } });
      if (delivery) await deps.db.$executeRaw(addDeliverJob(delivery));
    },
  };
  for (const platform of Object.keys(deps.senders)) {
    tasks[deliverTask(platform)] = async (payload) => {
      const { deliveryId } = payload as { deliveryId: string };
      await deliver(deps, platform, deliveryId);
    };
  }
  return tasks;
}

/**
 * A delivery is lost when nothing will run it: unfinished, idle for a minute, and without a live
 * job (none queued that can still run, none locked by a worker that is still within the lease).
 * Deliveries merely waiting their channel's turn keep their job and are left alone: re-queuing
 * them would reorder the queue and bunch a channel's messages into bursts Slack refuses.
 */
export async function sweepLostDeliveries(db: Db): Promise<number> {
  const lost = await db.$queryRaw<{ id: string; platform: string; kind: string }[]>(lostDeliveries());
  for (const delivery of lost) {
    await db.$transaction([
      db.delivery.update({ where: { id: delivery.id }, data: { nextAttemptAt: new Date(), updatedAt: new Date() } }),
      db.$executeRaw(addDeliverJob(delivery)),
    ]);
  }
  return lost.length;
}

function lostDeliveries(): Prisma.Sql {
  return Prisma.sql`
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
