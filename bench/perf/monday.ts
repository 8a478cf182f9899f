import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { loadConfig } from '../../src/config';
import { countLevels } from './app-checks';
import type { BenchContext, Row } from './context';
import { createDatabase } from './digest';
import { chooseDue, DIGEST_CHANNEL_PREFIX, makeDue, seedMonday, type MondaySize } from './monday-seed';
import { bareClientRun } from './monday-anchor';
import { mondayOutcome, mondayRows, type MondayResult } from './monday-report';
import { InterviewLoad, TransactionWatch } from './monday-watch';
import { childrenOf } from './probe';
import { appEnvOverrides, memoryOf, sharedFileMiB, startApp, type Child } from './procs';
import { NOT_THE_APP, Probe } from './probe';
import { SlackSink } from './slack-sink';
import { freePort, now, ROOT, sleep } from './util';

/**
 * Figure 8, "Monday 09:00": 10,000 channels (20 per spec over 500 specs, in 20 workspaces) whose
 * weekly digests all fall due in the same minute; --quick: 1,000 over 50 specs in 4 workspaces.
 *
 * The figure has its own database (bench_monday, dropped at the end), its own fake Slack and its own
 * app (`node dist/main.js` with DIGEST_CLOCK=true, everything else as the other figures run it,
 * DELIVERY_CONCURRENCY at its default unless BENCH_APP_ sets it), so nothing it leaves can touch
 * another figure and the app's peak memory is this figure's alone. The app runs in single-token
 * mode: every workspace's messages post with the one bot token to the one fake Slack, as in OAuth
 * mode they would post with each workspace's installation (one token lookup per workspace, cached).
 *
 * Falls due: `chooseDue` (monday-seed.ts). The schedules' occurrence is a quarter hour (the CHECK on
 * minute_of_day), and `next_run_at` is a wall-clock minute boundary `due` no earlier than that
 * occurrence and at most 8 minutes after it (or equal to it, after waiting for the next quarter
 * hour), set in one committed UPDATE at least 20 s before `due`. The clock's tick at `due` is the
 * first to find them due; all times below are from `due`.
 *
 * Sent: when the fake Slack answered the chat.postMessage, which it does LATENCY_MS after the call
 * arrived. Bound: no app keeping DELIVERY_CONCURRENCY posts in flight can finish N messages sooner
 * than ceil(N / concurrency) × LATENCY_MS after they fall due (one message per channel, so Slack's
 * per-channel limit never binds). Meanwhile LIVE_RATE completed interviews/s arrive for 10 other
 * channels, from 10 s before `due` until every digest is sent (at least 15 s after `due`).
 */
export const MONDAY_FIGURE = 8;
const FULL: MondaySize = { channels: 10_000, specs: 500, workspaces: 20 };
const QUICK: MondaySize = { channels: 1_000, specs: 50, workspaces: 4 };
const LATENCY_MS = 100;
const LIVE_RATE = 5;
/** the UPDATE that makes them due comes at least this long before they fall due */
const LEAD_MS = 20_000;
const FIGURE_ENV = { DIGEST_CLOCK: 'true' };

/** Size, the app's DELIVERY_CONCURRENCY (as it will parse its environment), the bound, and how long to wait after due. */
function plan(quick: boolean) {
  const size = quick ? QUICK : FULL;
  const concurrency = loadConfig({ ...FIGURE_ENV, ...appEnvOverrides() }).delivery.concurrency;
  const boundMs = Math.ceil(size.channels / concurrency) * LATENCY_MS;
  // 10 × the bound, at least 150 s (BENCH_MONDAY_DEADLINE_S overrides): today's claim, 500 schedules a minute, would take 20 minutes for 10,000.
  const deadlineMs = Number(process.env.BENCH_MONDAY_DEADLINE_S ?? 0) * 1000 || Math.max(150_000, 10 * boundMs);
  return { size, concurrency, boundMs, deadlineMs };
}

/** Minutes this figure may add to the benchmark's watchdog: app start and seed, up to 8 waiting for the due minute, the wait after due, the stop. */
export const mondayBudgetMinutes = (quick: boolean) => 12 + Math.ceil(plan(quick).deadlineMs / 60_000);

export async function mondayFigure(ctx: BenchContext): Promise<{ rows: Row[]; notes: string[]; result: MondayResult }> {
  const { size, concurrency, boundMs, deadlineMs } = plan(ctx.quick);
  const url = await createDatabase(ctx.adminUrl, 'bench_monday');
  const sink = await new SlackSink({ ratePerSecond: 1, burst: 3, latencyMs: LATENCY_MS }).start();
  const pg = new PgClient({ connectionString: url, application_name: 'bench-monday' });
  let app: Child | undefined;
  let watch: TransactionWatch | undefined;
  let load: InterviewLoad | undefined;
  try {
    const port = await freePort();
    ctx.log(
      `figure 8: starting its own app (DIGEST_CLOCK=true, DELIVERY_CONCURRENCY=${concurrency}) on bench_monday; fake Slack answers after ${LATENCY_MS} ms`,
    );
    app = await startApp({ port, databaseUrl: url, slackApiUrl: sink.apiUrl, logDir: ctx.tempDir, env: FIGURE_ENV, name: 'monday-app' });
    await pg.connect();
    await pg.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'); // preloaded by the benchmark; the probe reads it from this database
    const seedStart = now();
    const liveSpecs = await seedMonday(pg, size, new Date());
    const when = chooseDue(Date.now(), LEAD_MS);
    const scheduled = await makeDue(pg, when);
    const memoryBefore = memoryOf(app.process.pid!);
    ctx.log(
      `figure 8: seeded ${size.workspaces} workspaces, ${size.specs} specs, ${scheduled} channels in ${((now() - seedStart) / 1000).toFixed(1)} s; ` +
        `occurrence ${when.occurrence.toISOString()}, due ${when.due.toISOString()} (in ${((when.due.getTime() - Date.now()) / 1000).toFixed(0)} s); bound ${(boundMs / 1000).toFixed(1)} s`,
    );
    const dueAt = now() + (when.due.getTime() - Date.now()); // the due minute on this process's monotonic clock
    const transactionWatch = new TransactionWatch(url, dueAt - now() + deadlineMs + 60_000);
    watch = transactionWatch;
    transactionWatch.start();
    const watchStart = now();
    await sleep(dueAt - 10_000 - now());
    const interviews = new InterviewLoad(`http://127.0.0.1:${port}`, liveSpecs, LIVE_RATE);
    load = interviews;
    interviews.start(dueAt + deadlineMs - now());
    await sleep(dueAt - 1_000 - now());
    const probe = new Probe(url, app.process.pid!);
    await probe.start();
    await sleep(dueAt - now());
    ctx.log(`figure 8: due now; waiting for ${scheduled} digests (at most ${(deadlineMs / 1000).toFixed(0)} s)`);

    const answeredDigests = () =>
      new Set(sink.posts.filter((p) => p.answeredAt !== undefined && p.channel.startsWith(DIGEST_CHANNEL_PREFIX)).map((p) => p.channel))
        .size;
    let lastReport = now();
    for (let sent = answeredDigests(); sent < scheduled && now() < dueAt + deadlineMs; sent = answeredDigests()) {
      if (now() - lastReport > 30_000) {
        const claimed = await pg.query<{ n: number }>(`${NOT_THE_APP} SELECT count(*)::int AS n FROM digest`);
        ctx.log(`figure 8: ${((now() - dueAt) / 1000).toFixed(0)} s after due: ${claimed.rows[0]!.n} claimed, ${sent} sent`);
        lastReport = now();
      }
      await sleep(200);
    }
    await sleep(dueAt + 15_000 - now()); // the interview load runs at least 15 s past due
    await interviews.stop();
    const liveDone = () => {
      const posted = new Set(sink.posts.filter((p) => p.answeredAt !== undefined).map((p) => p.interviewId));
      return [...interviews.accepted.keys()].every((id) => posted.has(id));
    };
    for (const until = now() + 10_000; now() < until && !liveDone(); ) await sleep(200);
    await sleep(2_000); // anything posted twice would show up here
    const probeReport = await probe.stop(Math.max(1, answeredDigests()));
    const memory = memoryOf(app.process.pid!);
    const chartProcess = chartProcessMemory(app.process.pid!);
    const transactions = await transactionWatch.stop();
    const outcome = await mondayOutcome(pg, {
      size,
      scheduled,
      concurrency,
      latencyMs: LATENCY_MS,
      boundMs,
      deadlineMs,
      dueAt,
      watchStart,
      when,
      sink,
      load: interviews,
      transactions,
      probe: probeReport,
      memory,
      memoryBefore,
      chartProcess,
      log: countLevels(app.logFile),
    });
    ctx.log(`figure 8: the anchor, Slack's client alone posting ${scheduled} digests with ${concurrency} in flight`);
    const bare = await bareClientRun(sink, scheduled, concurrency).catch((error: unknown) => {
      ctx.log(`figure 8: the anchor did not run: ${String(error)}`);
      return undefined;
    });
    const result = { ...outcome, bareClient: bare };
    return { ...mondayRows(result, ctx.quick), result };
  } finally {
    // all idempotent: on the way out of a failure too, nothing keeps running
    await load?.stop();
    await watch?.stop().catch(() => undefined);
    await app?.stop();
    await sink.stop();
    await pg.end().catch(() => undefined);
    if (app) {
      await mkdir(path.join(ROOT, 'bench', 'results'), { recursive: true });
      await copyFile(app.logFile, path.join(ROOT, 'bench', 'results', `${ctx.quick ? 'quick' : 'full'}-monday-app.log`)).catch(
        () => undefined,
      );
    }
    const admin = new PgClient({ connectionString: ctx.adminUrl });
    await admin.connect();
    await admin
      .query('DROP DATABASE IF EXISTS bench_monday WITH (FORCE)')
      .catch((error: unknown) => ctx.log(`figure 8: could not drop bench_monday: ${String(error)}`))
      .finally(() => admin.end());
  }
}

/** The app's chart process (a child running render-process.mjs), if one is running: its peak and what it shares with the app. */
function chartProcessMemory(appPid: number): { peakMiB: number; rssMiB: number; sharedMiB: number } | undefined {
  for (const pid of childrenOf(appPid)) {
    const memory = memoryOf(pid);
    if (memory) return { ...memory, sharedMiB: sharedFileMiB(pid, appPid) };
  }
  return undefined;
}
