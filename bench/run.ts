import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/store/embedded-postgres';
import type { BenchContext, Row } from './perf/context';
import { digestFigure } from './perf/digest';
import { drainFigure } from './perf/drain';
import { fanoutFigure } from './perf/fanout';
import { ingestFigure } from './perf/ingest';
import { MONDAY_FIGURE, mondayBudgetMinutes, mondayFigure } from './perf/monday';
import { NOISY_FIGURE, noisyBudgetSeconds, noisyFigure } from './perf/noisy';
import { PUSH_FIGURE, pushBudgetMinutes, pushFigure } from './perf/push';
import { appEnvOverrides, buildDist, machine, memoryOf, startApp, startBareBolt, type Child } from './perf/procs';
import { changes, saveRecord, table, updateResultsMarkdown, type RunRecord } from './perf/report';
import { appChecks } from './perf/app-checks';
import { driverCost } from './perf/driver-cost';
import { describe, enableStatementStats, Probe } from './perf/probe';
import { SlackSink } from './perf/slack-sink';
import { specShowFigure } from './perf/spec-show';
import { SPEC_API_FIGURE, specApiFigure } from './perf/spec-api';
import { freePort } from './perf/util';

/**
 * `npm run bench [-- --quick] [-- --only 1,3]`: starts PostgreSQL (embedded, its own temp
 * directory), a fake Slack on 127.0.0.1 enforcing Slack's per-channel limit, the app as a child
 * process (`node dist/main.js`) and a bare Bolt app as the /spec anchor; runs figures 1–7 and prints
 * one table. A full run (no flags) records itself in bench/results/ and bench/RESULTS.md. Everything
 * it started is stopped at the end, on failure, on Ctrl-C, and by a watchdog.
 */
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const only = onlyArg ? new Set(onlyArg.split(',').map(Number)) : undefined;
const wanted = (figure: number) => !only || only.has(figure);
const startedAt = Date.now();
const RESULTS = path.join(__dirname, '..', '..', 'bench', 'results');
const log = (message: string) => console.log(`[bench ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${message}`);

const cleanups: (() => Promise<unknown>)[] = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) await step().catch((error: unknown) => console.error('cleanup step failed:', error));
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping everything the benchmark started`);
    void cleanup().finally(() => process.exit(130));
  });
}
const watchdog = setTimeout(
  () => {
    console.error('the benchmark ran past its time limit; stopping');
    void cleanup().finally(() => process.exit(2));
  },
  // figure 7 waits out a rate-limited drain of its own (~100 s quick, ~17 min full); figure 8 may wait for a quarter hour
  ((quick ? 8 : 14) + (wanted(MONDAY_FIGURE) ? mondayBudgetMinutes(quick) : 0) + (wanted(PUSH_FIGURE) ? pushBudgetMinutes() : 0)) * 60_000 +
    (wanted(NOISY_FIGURE) ? noisyBudgetSeconds(quick) * 1000 : 0),
);
watchdog.unref();

async function main(): Promise<number> {
  const temp = await mkdtemp(path.join(os.tmpdir(), 'panelist-bench-'));
  cleanups.push(() => rm(temp, { recursive: true, force: true }));
  await chmod(temp, 0o711); // as root, PostgreSQL runs as the `postgres` user and must reach its data directory
  log(`building dist/ (the app runs as \`node dist/main.js\`)`);
  buildDist();
  log('starting PostgreSQL (with pg_stat_statements)');
  const pgOptions = { dataDir: path.join(temp, 'pg'), port: await freePort(), logger: pino({ level: 'silent' }) };
  let pg: EmbeddedDatabase = await startEmbeddedPostgres(pgOptions);
  cleanups.push(() => pg.stop());
  await enableStatementStats(pg.url, async () => {
    await pg.stop();
    pg = await startEmbeddedPostgres(pgOptions);
  });
  const sink = await new SlackSink({ ratePerSecond: 1, burst: 3 }).start();
  cleanups.push(() => sink.stop());
  const appPort = await freePort();
  log('starting the app and the bare Bolt app');
  const app: Child = await startApp({ port: appPort, databaseUrl: pg.url, slackApiUrl: sink.apiUrl, logDir: temp });
  cleanups.push(() => app.stop());
  const memoryAtStart = memoryOf(app.process.pid!);
  const barePort = await freePort();
  const bare: Child = await startBareBolt({ port: barePort, slackApiUrl: sink.apiUrl, logDir: temp });
  cleanups.push(() => bare.stop());
  const overrides = appEnvOverrides();
  const info = await machine(pg.url);
  log(
    `machine: ${info.cores} cores, ${info.memoryGiB} GiB, node ${info.node}, PostgreSQL ${info.postgres}, load ${info.loadAtStart.join(' ')}`,
  );

  const probe = new Probe(pg.url, app.process.pid!);
  const ctx: BenchContext = {
    appUrl: `http://127.0.0.1:${appPort}`,
    databaseUrl: pg.url,
    adminUrl: pg.url,
    sink,
    probe,
    quick,
    tempDir: temp,
    log,
  };
  const rows: Row[] = [];
  const notes: string[] = [];
  if (Object.keys(overrides).length > 0) notes.push(`App settings changed for this run (BENCH_APP_*): ${JSON.stringify(overrides)}.`);
  const details: Record<string, unknown> = {};
  let errors = 0;
  const figure = async (n: number, name: string, work: () => Promise<void>) => {
    if (!wanted(n)) return;
    try {
      await work();
    } catch (error) {
      errors += 1;
      log(`figure ${n} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      rows.push({
        key: `error-${n}`,
        figure: `${n}. ${name}`,
        value: `error: ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim().slice(0, 160)}`,
        anchor: '–',
        ratio: '–',
        target: '–',
        pass: false,
      });
    }
  };

  await figure(1, 'webhook ingest', async () => {
    const { rows: r, result } = await ingestFigure(ctx);
    rows.push(...r);
    details.ingest = result;
    notes.push(
      `Ingest: ${result.accepted} events in ${quick ? 4 : 10} s, request p50 ${result.latencyP50.toFixed(1)} ms / p99 ${result.latencyP99.toFixed(1)} ms; ` +
        `anchor ${result.anchorBefore.toFixed(0)} INSERT/s before and ${result.anchorAfter.toFixed(0)} after (mean used). No channel followed the spec, so no deliveries were queued.`,
      describe('Per ingested event', result.probe),
    );
    const driver = await driverCost(pg.url);
    details.driverCost = driver;
    notes.push(
      `Driver cost (bench process, same database): one trivial statement costs ${driver.prismaMs.toFixed(3)} ms of CPU through the app's Prisma client ` +
        `and ${driver.pgMs.toFixed(3)} ms through \`pg\` alone.`,
    );
  });
  await figure(2, '/spec show', async () => {
    const { rows: r, panelist, bare: anchor, light, specInterviews } = await specShowFigure(ctx, `http://127.0.0.1:${barePort}`);
    rows.push(...r);
    details.specShow = { panelist, bare: anchor, light, specInterviews };
    notes.push(
      `/spec show: the spec had ${specInterviews} interviews (live performance sums their rollups, reused for LIVE_PERFORMANCE_TTL_MS); ${panelist.inAck}/${panelist.answered} answers came in the ack; Panelist max ${panelist.max.toFixed(1)} ms, bare max ${anchor.max.toFixed(1)} ms; ` +
        `load generator late by p99 ${panelist.generatorLateP99.toFixed(1)} ms, bench event loop p99 ${panelist.benchLoop.p99Ms.toFixed(1)} ms.`,
      describe('Per /spec show', panelist.probe!),
    );
  });
  await figure(3, 'accepted → message', async () => {
    const { rows: r, result } = await fanoutFigure(ctx);
    rows.push(...r);
    details.fanout = result;
    const { full, light } = result;
    notes.push(
      `Accepted → message: 500 copies of the demo spec imported by SpecImportService (as the CLI imports), 500 channels subscribed by signed \`/spec subscribe <spec>\` commands ` +
        `(setup ${result.setupSeconds.toFixed(1)} s, ${result.subscribeRetried} commands answered with an error and sent again); event k → spec k mod 500 → its one channel. ` +
        `At ${full.rate}/s: max ${full.max.toFixed(0)} ms; the webhooks themselves took p50 ${full.acceptP50.toFixed(0)} ms / p99 ${full.acceptP99.toFixed(0)} ms from their intended send time to their answer ` +
        `(at ${light.rate}/s: ${light.acceptP50.toFixed(0)} / ${light.acceptP99.toFixed(0)} ms); bench event loop p99 ${full.benchLoop.p99Ms.toFixed(1)} ms.`,
      describe(`Per event at ${light.rate}/s (ingest + its one delivery)`, light.probe),
      describe(`Per event at ${full.rate}/s`, full.probe),
    );
  });
  await figure(4, 'drain', async () => {
    const { rows: r, result } = await drainFigure(ctx);
    rows.push(...r);
    details.drain = result;
    notes.push(
      `Drain: ${result.events} events ingested in ${result.ingestSeconds.toFixed(1)} s; first → last message ${result.firstToLastSeconds.toFixed(1)} s; ` +
        `429s came ${result.limitedEarlyP50Ms.toFixed(0)} ms early at the median (max ${result.limitedEarlyMaxMs.toFixed(0)} ms), ` +
        `at these messages of their channel: ${summarizePositions(result.limitedAt)}; ` +
        `per channel first → last message ${result.channelSpan.min.toFixed(1)} / ${result.channelSpan.median.toFixed(1)} / ${result.channelSpan.max.toFixed(1)} s (min / median / max); ` +
        `${result.longGaps} gaps over 1.5 s between a channel's messages, ${result.longGapSeconds.toFixed(0)} s lost in them over all channels ` +
        `(by when they began, 20 s windows from the first webhook: ${JSON.stringify(result.longGapsByWindow)}); ` +
        `database: ${result.dbSent} deliveries sent.`,
      describe('Per delivery', result.probe),
    );
  });
  await figure(6, 'app checks', async () => {
    const checks = await appChecks(ctx, app);
    rows.push(...checks.rows);
    notes.push(...checks.notes, `App memory right after start (ready, before any load): ${memoryAtStart?.rssMiB.toFixed(0)} MiB resident.`);
    details.app = checks.details;
  });
  await figure(7, 'noisy neighbour', async () => {
    const { rows: r, result } = await noisyFigure(ctx);
    rows.push(...r);
    details.noisy = result;
    notes.push(
      `Noisy neighbour: ${result.backlog} events of spec A ingested in ${result.ingestSeconds.toFixed(1)} s, then ${result.quietSent} of spec B one per 2 s ` +
        `(${result.quietAccepted} answered 202${Object.keys(result.quietRefused).length ? `, others ${JSON.stringify(result.quietRefused)}` : ''}); ` +
        `${result.quietDuringDrain} of the quiet channel's messages arrived while the busy channel was still draining; ` +
        `busy channel ${result.busyDelivered}/${result.backlog} in ${result.drainSeconds.toFixed(1)} s (bound ${result.boundSeconds} s), ${result.limited.busy} × 429; ` +
        `quiet channel ${result.limited.quiet} × 429; missing: busy ${result.missing.busy}, quiet ${result.missing.quiet}; ${result.duplicates} duplicates.`,
      describe('Per interview of the noisy neighbour (its ingest and its delivery)', result.probe),
    );
  });
  await figure(SPEC_API_FIGURE, 'pull API', async () => {
    const { rows: r, notes: n, full, notModified } = await specApiFigure(ctx);
    rows.push(...r);
    notes.push(...n);
    details.specApi = { full, notModified };
  });
  await app.stop();
  await bare.stop();
  await mkdir(RESULTS, { recursive: true });
  await copyFile(app.logFile, path.join(RESULTS, `${quick ? 'quick' : 'full'}-app.log`)).catch(() => undefined);
  await figure(5, 'weekly digest', async () => {
    const { rows: r, levels, chart } = await digestFigure(ctx);
    rows.push(...r);
    details.digestChart = chart;
    details.digest = levels.map(({ explain, ...level }) => ({
      ...level,
      queries: explain.map((e) => ({ name: e.name, executionMs: e.executionMs })),
    }));
    const explain = levels
      .map((l) => `=== ${l.interviews} interviews ===\n${l.explain.map((e) => `--- ${e.name}\n${e.plan}`).join('\n\n')}`)
      .join('\n\n');
    await mkdir(RESULTS, { recursive: true });
    await writeFile(path.join(RESULTS, `${quick ? 'quick' : 'full'}-digest-explain.txt`), `${explain}\n`);
  });
  // After the shared app has stopped: figure 8 runs an app of its own, with the digest clock on.
  await figure(MONDAY_FIGURE, 'Monday 09:00', async () => {
    const { rows: r, notes: n, result } = await mondayFigure(ctx);
    rows.push(...r);
    notes.push(...n);
    details.monday = result;
  });
  // Also an app of its own (publishing to a fake platform), after the shared one stopped.
  await figure(PUSH_FIGURE, 'push to the platform', async () => {
    const { rows: r, result } = await pushFigure(ctx);
    rows.push(...r);
    details.push = result;
    for (const p of result.phases) {
      const refused = Object.values(p.refused).reduce((sum, n) => sum + n, 0);
      notes.push(
        `Push to the platform through the ${p.via}: ${p.sent} saves at ${result.rate}/s for ${result.seconds} s, ${p.saved} saved` +
          `${refused ? ` (${refused} answered otherwise, e.g. ${JSON.stringify(Object.keys(p.refused)[0])})` : ''}; ` +
          `version saved → POST received p50 ${p.savedToPost.p50.toFixed(0)} / p99 ${p.savedToPost.p99.toFixed(0)} / max ${p.savedToPost.max.toFixed(0)} ms` +
          `${p.commandToPost ? `; command sent → POST received p50 ${p.commandToPost.p50.toFixed(0)} / p99 ${p.commandToPost.p99.toFixed(0)} ms` : ''}` +
          `${p.commandToAnswer ? `; command sent → its answer p50 ${p.commandToAnswer.p50.toFixed(0)} / p99 ${p.commandToAnswer.p99.toFixed(0)} ms` : ''}; ` +
          `load generator late by p99 ${p.generatorLateP99.toFixed(1)} ms, bench event loop p99 ${p.benchLoop.p99Ms.toFixed(1)} ms.`,
        describe(`Per version saved through the ${p.via}`, p.probe),
      );
    }
  });
  rows.sort((a, b) => Number.parseInt(a.figure, 10) - Number.parseInt(b.figure, 10)); // stable: each figure's rows keep their order

  const record: RunRecord = {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: info,
    loadAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
    durationSeconds: (Date.now() - startedAt) / 1000,
    rows,
    notes,
    details,
  };
  console.log(`\nPanelist benchmark (${record.mode}${only ? `, figures ${[...only].join(',')}` : ''}) — ${record.date}`);
  console.log(
    `${info.cores} cores, ${info.memoryGiB} GiB, node ${info.node}, PostgreSQL ${info.postgres}; load ${info.loadAtStart.join(' ')} → ${record.loadAtEnd.join(' ')}\n`,
  );
  console.log(table(rows, 'console'));
  console.log(`\n${notes.map((n) => `- ${n}`).join('\n')}`);
  if (!only) {
    const previous = saveRecord(record);
    const changeLines = changes(record, previous);
    console.log(`\n${changeLines.join('\n')}`);
    if (!quick) updateResultsMarkdown(record, changeLines);
    console.log(`\nrecorded in bench/results/${record.mode}-latest.json${quick ? '' : ' and bench/RESULTS.md'}`);
  }
  return errors > 0 ? 1 : 0;
}

/** {"21": 28, "22": 22, "150": 1, …} → "#21 ×28, #22 ×22, and 3 more between #150 and #199". */
function summarizePositions(positions: Record<string, number>): string {
  const entries = Object.entries(positions).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return 'none';
  const head = entries.slice(0, 3).map(([n, count]) => `#${n} ×${count}`);
  const rest = entries.slice(3);
  if (rest.length === 0) return head.join(', ');
  const numbers = rest.map(([n]) => Number(n));
  return `${head.join(', ')}, and ${rest.reduce((sum, [, count]) => sum + count, 0)} more between #${Math.min(...numbers)} and #${Math.max(...numbers)}`;
}

main()
  .then(
    (code) => cleanup().then(() => code),
    (error: unknown) => {
      console.error('the benchmark failed:', error);
      return cleanup().then(() => 1);
    },
  )
  .then((code) => {
    clearTimeout(watchdog);
    log(`done in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
    process.exit(code);
  });
