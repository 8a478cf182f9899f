import { EventEmitter } from 'node:events';
import { Logger as WorkerLogger, run, runMigrations, runOnce, type Runner, type TaskList, type WorkerEvents } from 'graphile-worker';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { createPool } from '../store/db';
import { QUEUE_SCHEMA } from '../store/queue';

/*
 * graphile-worker always runs on pools we own. A pool it makes itself is ended without waiting,
 * after its error listener is gone: a server that goes away meanwhile (a database dropped, an
 * embedded PostgreSQL stopping) then raises an unheard 'error' that takes the process down.
 */

/** graphile-worker's own tables, installed (idempotently) before anything can enqueue. */
export async function installQueue(databaseUrl: string): Promise<void> {
  await withQueuePool(databaseUrl, 2, async (pgPool) => {
    await runMigrations({ pgPool, schema: QUEUE_SCHEMA, logger: queueLogger() });
    const [set] = (await pgPool.query<{ set: boolean }>(JOBS_VACUUM_IS_SET)).rows;
    // an ALTER takes a lock that waits for a running vacuum: only when the setting is missing
    if (!set?.set) await pgPool.query(VACUUM_THE_JOBS_OFTEN);
  });
}

/**
 * Every job is a row inserted, locked and deleted within seconds, and each fetch walks the index past
 * the dead ones until a vacuum clears them. PostgreSQL's default waits for a fifth of the table to be
 * dead. On a Monday morning, with 10,000 jobs queued, graphile-worker's fetch took ~1 ms in some runs
 * and ~3 ms in others (bench/RESULTS.md); this vacuums the table after every thousand dead rows,
 * without pausing, which is what a queue table wants whatever that variance turns out to be.
 */
const VACUUM_THE_JOBS_OFTEN = `ALTER TABLE ${QUEUE_SCHEMA}._private_jobs SET (
  autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0)`;
const JOBS_VACUUM_IS_SET = `SELECT coalesce('autovacuum_vacuum_threshold=1000' = ANY(reloptions), false) AS set
  FROM pg_class WHERE oid = '${QUEUE_SCHEMA}._private_jobs'::regclass`;

/** Works through every job that is due now, then returns (the CLI, when no app is running). */
export async function runDueJobs(databaseUrl: string, taskList: TaskList, logger: Logger): Promise<void> {
  await withQueuePool(databaseUrl, 4, (pgPool) => runOnce({ pgPool, schema: QUEUE_SCHEMA, logger: queueLogger(logger), taskList }));
}

async function withQueuePool<T>(databaseUrl: string, max: number, work: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = createPool(databaseUrl, { max, name: 'panelist-queue' });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

interface Running {
  runner: Runner;
  /** the runner lost its database and a fresh one took over; it is only waited for now */
  retired: boolean;
  /** settles once the runner is done and its pool has ended */
  released: Promise<void>;
}

const ignore = () => undefined;
const SHUTDOWN_WAIT_MS = 5_000;
const within = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())]);

/**
 * One graphile-worker runner at a time. A runner gives up when its database goes away: its promise
 * rejects, or a worker dies and its pool shuts down (which can wait on that same database for
 * long). Unless we asked it to stop, it is left to finish and a fresh one starts on a fresh pool;
 * the delivery lease keeps the two apart.
 */
export class SupervisedRunner {
  private stopping = false;
  private restarting: Promise<void> = Promise.resolve();
  private readonly live = new Set<Running>();

  constructor(
    private readonly options: { databaseUrl: string; concurrency: number; taskList: TaskList },
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const events: WorkerEvents = new EventEmitter();
    const pgPool = createPool(this.options.databaseUrl, { max: Math.min(this.options.concurrency + 2, 20), name: 'panelist-worker' });
    let runner: Runner;
    try {
      runner = await run({
        pgPool,
        schema: QUEUE_SCHEMA,
        concurrency: this.options.concurrency,
        pollInterval: 1_000,
        noHandleSignals: true,
        logger: queueLogger(this.logger),
        taskList: this.options.taskList,
        events,
        // Batched completion reports a lost database as a fatal pool error (handled below) instead
        // of an unhandled rejection that would take the whole process down. Only completions of the
        // same tick are batched: gathered over 20 or 250 ms, a batch's delete of many job rows
        // sometimes deadlocked with another statement on the job table in the Slack-faults drill,
        // and graphile-worker 0.17.3 does not retry a failed batch (its retry loop rethrows at
        // once): it stops its whole pool, logging errors.
        preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
      });
    } catch (error) {
      await pgPool.end();
      throw error;
    }
    const running: Running = {
      runner,
      retired: false,
      released: runner.promise
        .then(ignore, ignore)
        .then(() => pgPool.end())
        .catch(ignore)
        .finally(() => this.live.delete(running)),
    };
    this.live.add(running);
    this.supervise(running, events);
  }

  /** Stops every runner, the one at work and any that gave up and are still winding down. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.restarting;
    await Promise.all(
      [...this.live].map(async ({ runner, retired, released }) => {
        if (!retired) await within(runner.stop().catch(ignore), SHUTDOWN_WAIT_MS);
        if (await within(released, SHUTDOWN_WAIT_MS)) return;
        // Jobs stuck on a vanished server must not hold shutdown hostage.
        await runner.kill().catch(ignore);
        await within(released, SHUTDOWN_WAIT_MS);
      }),
    );
  }

  private supervise(running: Running, events: WorkerEvents): void {
    const end = (error?: unknown) => {
      if (running.retired || this.stopping) return;
      running.retired = true;
      this.logger.error({ err: error }, 'delivery worker stopped (database lost?); restarting it');
      this.restarting = this.restart();
    };
    events.once('pool:fatalError', ({ error }) => end(error));
    events.once('pool:gracefulShutdown', ({ message }) => end(new Error(message)));
    running.runner.promise.then(() => end(), end);
  }

  private async restart(): Promise<void> {
    for (let delay = 1_000; !this.stopping; delay = Math.min(delay * 2, 30_000)) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (this.stopping) return;
      try {
        await this.start();
        this.logger.info('delivery worker restarted');
        return;
      } catch (error) {
        this.logger.warn({ err: error, retryInMs: delay * 2 }, 'delivery worker could not restart yet');
      }
    }
  }
}

/** graphile-worker's logger, routed to pino (its debug chatter at debug). */
function queueLogger(logger?: Logger): WorkerLogger {
  return new WorkerLogger(() => (level: string, message: string, meta?: unknown) => {
    if (!logger) return;
    // graphile-worker warns when its pool is smaller than its concurrency; here a job holds a
    // connection only to fetch and complete (deliveries run on the app's pool), so that is by design.
    const byDesign = message.startsWith('WARNING: having maxPoolSize');
    const method = level === 'error' ? 'error' : level === 'warning' && !byDesign ? 'warn' : 'debug';
    logger[method]({ queue: 'graphile-worker', meta }, message);
  });
}
