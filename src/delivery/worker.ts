import type { TaskList } from 'graphile-worker';
import type { Pool } from 'pg';
import type { Db } from '../store/db';
import { wakeStalledChannels } from '../store/delivery-steps';
import { deliverTask, enqueueDelivery, findLostDeliveries, LEGACY_DELIVER_TASK } from '../store/queue';
import { CHART_LINK_LIFETIME_DAYS } from '../services/chart-links';
import { pruneExpiredCharts } from '../store/chart-retention';
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
  const runner = new SupervisedRunner(
    { databaseUrl: options.databaseUrl, concurrency: options.concurrency, taskList: taskList(deps) },
    deps.logger,
  );
  await runner.start();
  const sweep = () =>
    sweepLostDeliveries(deps.db)
      .then(() => wakeStalledChannels(deps.sql))
      .then(() => alertDeadLetters(deps.db, deps.senders.slack, options.opsChannel, deps.logger))
      .then(
        () => deps.metrics?.deliverySweeps.inc({ outcome: 'ok' }),
        (error: unknown) => {
          deps.logger.warn({ err: error }, 'delivery sweep failed');
          deps.metrics?.deliverySweeps.inc({ outcome: 'failed' });
        },
      );
  // Folding and pruning are housekeeping: they run on the ticks only (not before start-up
  // completes), one run at a time per process, and a failure costs nothing but a warning.
  let folding: Promise<void> | undefined;
  let prunedAt = 0;
  const fold = () => {
    folding ??= foldClosedRollups(options.pool)
      .then(({ buckets }) => {
        if (buckets > 0) deps.logger.debug({ buckets }, 'folded the shards of closed rollup buckets');
      })
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'rollup fold failed'))
      .then(async () => {
        // Pictures expire by the day: once an hour is often enough, and spares the scan.
        if (Date.now() - prunedAt < PRUNE_INTERVAL_MS) return;
        prunedAt = Date.now();
        const pruned = await pruneExpiredCharts(deps.sql, CHART_LINK_LIFETIME_DAYS);
        if (pruned.pins + pruned.images > 0) deps.logger.info(pruned, 'deleted digest pictures whose links have all expired');
      })
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'pruning expired digest pictures failed'))
      .finally(() => {
        folding = undefined;
      });
  };
  await sweep();
  // A round that outlasts the interval is not joined by another: one sweep at a time per process.
  let sweeping: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    sweeping ??= sweep().finally(() => {
      sweeping = undefined;
    });
    fold();
  }, options.sweepIntervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await sweeping;
      await folding;
      await runner.stop();
    },
  };
}

const PRUNE_INTERVAL_MS = 3_600_000;

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
      if (delivery) await enqueueDelivery(deps.db, delivery);
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
  const lost = await findLostDeliveries(db);
  for (const delivery of lost) {
    await db.$transaction(async (tx) => {
      await tx.delivery.update({ where: { id: delivery.id }, data: { nextAttemptAt: new Date(), updatedAt: new Date() } });
      await enqueueDelivery(tx, delivery);
    });
  }
  return lost.length;
}
