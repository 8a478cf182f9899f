import { EventEmitter } from 'node:events';
import { run, runMigrations, runOnce, type Runner, type TaskList, type WorkerEvents } from 'graphile-worker';
import type { Logger } from 'pino';
import type { Db } from '../store/db';
import { Prisma } from '../store/db';
import { addDeliverJob, DELIVER_JOB_KEY_PREFIX, DELIVER_TASK, QUEUE_SCHEMA } from '../store/queue';
import { deliver, type DeliverDeps } from './deliver';
import { alertDeadLetters, type OpsChannel } from './ops-alerts';

export interface WorkerOptions {
  databaseUrl: string;
  opsChannel?: OpsChannel;
  concurrency: number;
  /** how often a pending delivery whose job was lost (crash mid-job) is looked for */
  sweepIntervalMs: number;
}

/** graphile-worker's own tables, installed (idempotently) before anything can enqueue. */
export async function installQueue(databaseUrl: string): Promise<void> {
  await runMigrations({ connectionString: databaseUrl, schema: QUEUE_SCHEMA, logger: quietLogger() });
}

/**
 * Runs deliveries outside any request and transaction. Jobs wake the worker through
 * LISTEN/NOTIFY as the enqueuing transaction commits; the sweeper re-queues deliveries whose job
 * vanished with a crashed process (graphile-worker only frees a dead worker's lock after hours).
 */
export async function startDeliveryWorker(deps: DeliverDeps, options: WorkerOptions): Promise<{ stop(): Promise<void> }> {
  let stopping = false;
  const start = async (): Promise<Runner> => {
    const events: WorkerEvents = new EventEmitter();
    const runner = await run({
      connectionString: options.databaseUrl,
      schema: QUEUE_SCHEMA,
      concurrency: options.concurrency,
      maxPoolSize: Math.min(options.concurrency + 2, 20),
      pollInterval: 1_000,
      noHandleSignals: true,
      logger: quietLogger(deps.logger),
      taskList: taskList(deps),
      events,
      // Batched completion reports a lost database as a fatal pool error (handled below) instead
      // of an unhandled rejection that would take the whole process down.
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
    supervise(runner, events);
    return runner;
  };
  // A runner gives up when its database goes away: its promise rejects, or a worker dies and the
  // pool shuts itself down (which can wait on that same database for long). Unless we asked it
  // to stop, leave it to finish and start a fresh one; the delivery lease keeps the two apart.
  const supervise = (current: Runner, events: WorkerEvents) => {
    let ended = false;
    const end = (error?: unknown) => {
      if (ended || stopping) return;
      ended = true;
      deps.logger.error({ err: error }, 'delivery worker stopped (database lost?); restarting it');
      void restart();
    };
    events.once('pool:fatalError', ({ error }) => end(error));
    events.once('pool:gracefulShutdown', ({ message }) => end(new Error(message)));
    current.promise.then(() => end(), end);
  };
  const restart = async (): Promise<void> => {
    for (let delay = 1_000; !stopping; delay = Math.min(delay * 2, 30_000)) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (stopping) return;
      try {
        runner = await start();
        deps.logger.info('delivery worker restarted');
        return;
      } catch (error) {
        deps.logger.warn({ err: error, retryInMs: delay * 2 }, 'delivery worker could not restart yet');
      }
    }
  };
  let runner: Runner = await start();
  const sweep = () =>
    sweepLostDeliveries(deps.db)
      .then(() => alertDeadLetters(deps.db, deps.senders.slack, options.opsChannel, deps.logger))
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'delivery sweep failed'));
  await sweep();
  const timer = setInterval(sweep, options.sweepIntervalMs);
  timer.unref();
  return {
    async stop() {
      stopping = true;
      clearInterval(timer);
      await runner.stop().catch(() => undefined);
    },
  };
}

/** Works through every job that is due now, then returns (the CLI, when no app is running). */
export async function drainDueJobs(deps: DeliverDeps, databaseUrl: string): Promise<void> {
  await runOnce({ connectionString: databaseUrl, schema: QUEUE_SCHEMA, logger: quietLogger(deps.logger), taskList: taskList(deps) });
}

function taskList(deps: DeliverDeps): TaskList {
  return {
    [DELIVER_TASK]: async (payload) => {
      const { deliveryId } = payload as { deliveryId: string };
      await deliver(deps, deliveryId);
    },
  };
}

/**
 * A delivery is lost when nothing will run it: unfinished, idle for a minute, and without a live
 * job (none queued that can still run, none locked by a worker that is still within the lease).
 * Deliveries merely waiting their channel's turn keep their job and are left alone: re-queuing
 * them would reorder the queue and bunch a channel's messages into bursts Slack refuses.
 */
export async function sweepLostDeliveries(db: Db): Promise<number> {
  const lost = await db.$queryRaw<{ id: string }[]>(lostDeliveries());
  for (const { id } of lost) {
    await db.$transaction([
      db.delivery.update({ where: { id }, data: { nextAttemptAt: new Date(), updatedAt: new Date() } }),
      db.$executeRaw(addDeliverJob(id)),
    ]);
  }
  return lost.length;
}

function lostDeliveries(): Prisma.Sql {
  return Prisma.sql`
    SELECT d.id FROM delivery d
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

/** graphile-worker's logger, routed to pino (its debug chatter at debug). */
function quietLogger(logger?: Logger) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Logger: WorkerLogger } = require('graphile-worker') as typeof import('graphile-worker');
  return new WorkerLogger(() => (level: string, message: string, meta?: unknown) => {
    if (!logger) return;
    const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : 'debug';
    logger[method]({ queue: 'graphile-worker', meta }, message);
  });
}
