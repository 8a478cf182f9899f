import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { FakePlatform, PLATFORM_SECRET, type PlatformRequest } from '../../test/support/fake-platform';
import { importSpecs } from './channels';
import type { BenchContext, Row } from './context';
import { createDatabase } from './digest';
import { Probe, type ProbeReport } from './probe';
import { startApp, type Child } from './procs';
import { saveThroughTheEdge, saveThroughTheService, type Saves } from './push-load';
import { freePort, now, percentile, ROOT, sleep, waitUntil } from './util';

/**
 * Figure 9, "push to the platform" (issue 14): spec versions saved at 50/s for 20 s (quick: 10 s),
 * round-robin over 25 specs (2 saves/s per spec, so a spec's line can have work while its next
 * save arrives), against an app of its own (own database, PLATFORM_WEBHOOK_URL at a fake platform
 * on loopback that answers 200 at once), started after the shared app stopped. Twice: first through
 * the real edge (signed Slack `/spec weights`), then through the service in this process (the edge
 * costs the app about 12 ms of CPU a command, most of the budget at 50/s on 2 cores, so the second
 * phase shows what publishing itself costs and takes). A warm-up of 100 saves comes first.
 *
 * Latency: from the version's created_at (the body's `occurred_at`, written in the saving
 * transaction) to the platform receiving the POST; for the edge also from the command's intended
 * send time. Target (not asserted anywhere): p99 ≤ 1 s.
 */
export const PUSH_FIGURE = 9;
const RATE = 50;
const SPECS = 25;
const TARGET_P99_MS = 1_000;

type Latency = { p50: number; p99: number; max: number };

export interface PushPhase {
  via: 'edge' | 'service';
  sent: number;
  saved: number;
  refused: Record<string, number>;
  savedToPost: Latency;
  /** edge only: from the command's intended send time */
  commandToPost?: Latency;
  /** edge only: from the command's intended send time to its "Saved" answer, publishing aside */
  commandToAnswer?: Latency;
  generatorLateP99: number;
  benchLoop: { p99Ms: number; maxMs: number };
  /** the app's CPU and SQL per saved version (for the edge: its command, its save and its POST) */
  probe: ProbeReport;
}

export interface PushResult {
  rate: number;
  seconds: number;
  /** versions saved to warm the app up (published too, and counted in `published`) */
  warmUpSaved: number;
  phases: PushPhase[];
  published: number;
  duplicates: number;
  outOfOrder: number;
}

/** Minutes this figure may add to the benchmark's watchdog: its own app's start, a warm-up, two loads, their drains. */
export const pushBudgetMinutes = () => 7;

export async function pushFigure(ctx: BenchContext): Promise<{ rows: Row[]; result: PushResult }> {
  const seconds = ctx.quick ? 10 : 20;
  const url = await createDatabase(ctx.adminUrl, 'bench_push');
  const platform = await new FakePlatform().start();
  let app: Child | undefined;
  try {
    const port = await freePort();
    ctx.log(`figure 9: starting its own app on bench_push, publishing to a fake platform on loopback`);
    const env = { PLATFORM_WEBHOOK_URL: platform.url, PLATFORM_WEBHOOK_SECRET: PLATFORM_SECRET };
    app = await startApp({ port, databaseUrl: url, slackApiUrl: ctx.sink.apiUrl, logDir: ctx.tempDir, env, name: 'push-app' });
    const specs = await importSpecs(url, SPECS, 'push', 900_001);
    const pg = new PgClient({ connectionString: url, application_name: 'bench-push' });
    await pg.connect();
    await pg.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'); // preloaded by the benchmark; the probe reads it here
    await pg.end();
    const specIds = new Set(specs.map((s) => s.id));
    const ours = (r: PlatformRequest) => r.event !== undefined && specIds.has(r.event.data.spec.id);
    const arrivals = new Map<string, number>(); // event id → now() when the platform first had it
    platform.onRequest = (r) => {
      if (ours(r) && !arrivals.has(r.event!.id)) arrivals.set(r.event!.id, now());
    };

    // A fresh app's first saves open its connections, prepare its statements and warm its caches (as
    // figure 2 warms its apps): 100 saves through the edge at 20/s first, not measured.
    ctx.log('figure 9: warming up the app (100 saves through the edge, not measured)');
    const warmUp = await saveThroughTheEdge(ctx, `http://127.0.0.1:${port}`, { specs, rate: 20, seconds: 5, tag: 'pushwarm' });
    await waitUntil(
      'the warm-up versions to be published',
      120_000,
      () => (arrivals.size >= warmUp.intendedAt.size ? true : undefined),
      100,
    );
    const phases: PushPhase[] = [];
    for (const via of ['edge', 'service'] as const) {
      ctx.log(`figure 9: ${RATE} saves/s for ${seconds} s over ${SPECS} specs, through the ${via}`);
      const probe = new Probe(url, app.process.pid!);
      await probe.start();
      const firstRequest = platform.requests.length;
      const publishedBefore = arrivals.size;
      const saves =
        via === 'edge'
          ? await saveThroughTheEdge(ctx, `http://127.0.0.1:${port}`, { specs, rate: RATE, seconds, tag: 'push' })
          : await saveThroughTheService(url, specs, RATE, seconds);
      const saved = saves.intendedAt.size;
      ctx.log(`figure 9: ${saved} of ${saves.sent} saved through the ${via}; waiting for their POSTs`);
      await waitUntil(
        'every saved version to be published',
        120_000,
        () => (arrivals.size - publishedBefore >= saved ? true : undefined),
        100,
      );
      const probeReport = await probe.stop(Math.max(1, saved));
      phases.push(phase(via, saves, platform.requests.slice(firstRequest).filter(ours), arrivals, probeReport));
    }
    await sleep(2_000); // a second POST of any version would show up here
    const received = platform.requests.filter(ours);
    const perEvent = new Map<string, number>();
    for (const r of received.filter((r) => r.status === 200)) perEvent.set(r.event!.id, (perEvent.get(r.event!.id) ?? 0) + 1);
    const result: PushResult = {
      rate: RATE,
      seconds,
      warmUpSaved: warmUp.intendedAt.size,
      phases,
      published: perEvent.size,
      duplicates: [...perEvent.values()].filter((n) => n > 1).length,
      outOfOrder: outOfOrder(received),
    };
    return { rows: rows(result), result };
  } finally {
    await app?.stop();
    await platform.stop();
    if (app) {
      await mkdir(path.join(ROOT, 'bench', 'results'), { recursive: true });
      const log = path.join(ROOT, 'bench', 'results', `${ctx.quick ? 'quick' : 'full'}-push-app.log`);
      await copyFile(app.logFile, log).catch(() => undefined);
    }
    const admin = new PgClient({ connectionString: ctx.adminUrl });
    await admin.connect();
    await admin
      .query('DROP DATABASE IF EXISTS bench_push WITH (FORCE)')
      .catch((error: unknown) => ctx.log(`figure 9: could not drop bench_push: ${String(error)}`))
      .finally(() => admin.end());
  }
}

function phase(
  via: PushPhase['via'],
  saves: Saves,
  received: PlatformRequest[],
  arrivals: Map<string, number>,
  probe: ProbeReport,
): PushPhase {
  const acked = received.filter((r) => r.status === 200);
  // from the version's own timestamp (wall clock, this machine), and from when its save was meant to start
  const savedToPost = acked.map((r) => r.at - Date.parse(r.event!.occurred_at));
  const commandToPost = acked.flatMap((r) => {
    const intended = saves.intendedAt.get(`${r.event!.data.spec.id}:${r.event!.data.version.number}`);
    return intended === undefined ? [] : [arrivals.get(r.event!.id)! - intended];
  });
  return {
    via,
    sent: saves.sent,
    saved: saves.intendedAt.size,
    refused: saves.refused,
    savedToPost: summary(savedToPost),
    ...(via === 'edge' ? { commandToPost: summary(commandToPost), commandToAnswer: summary(saves.answeredAfter ?? []) } : {}),
    generatorLateP99: saves.generatorLateP99,
    benchLoop: saves.benchLoop,
    probe,
  };
}

/** POSTs that arrived while a later version of the same spec had already been acknowledged. */
function outOfOrder(received: PlatformRequest[]): number {
  const highestAcked = new Map<string, number>();
  let count = 0;
  for (const r of received) {
    const spec = r.event!.data.spec.id;
    const number = r.event!.data.version.number;
    if (number < (highestAcked.get(spec) ?? 0)) count += 1;
    if (r.status === 200) highestAcked.set(spec, Math.max(highestAcked.get(spec) ?? 0, number));
  }
  return count;
}

const summary = (samples: number[]): Latency => ({ p50: percentile(samples, 50), p99: percentile(samples, 99), max: Math.max(...samples) });

function rows(r: PushResult): Row[] {
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  const latency = (l: Latency) => `p50 ${ms(l.p50)} / p99 ${ms(l.p99)} (max ${ms(l.max)})`;
  const saved = r.warmUpSaved + r.phases.reduce((sum, p) => sum + p.saved, 0);
  return [
    ...r.phases.flatMap((p): Row[] => [
      {
        key: `push-saved-to-post-${p.via}`,
        figure: `9. version saved → POST received, ${r.rate} saves/s over ${SPECS} specs through the ${p.via === 'edge' ? 'edge (/spec weights)' : 'service'}`,
        value: latency(p.savedToPost),
        anchor: '–',
        ratio: '–',
        target: `p99 ≤ ${TARGET_P99_MS / 1000} s`,
        pass: p.savedToPost.p99 <= TARGET_P99_MS,
      },
      ...(p.commandToPost && p.commandToAnswer
        ? [
            {
              key: 'push-command-to-post',
              figure: '9. /spec weights sent → POST received',
              value: latency(p.commandToPost),
              anchor: '–',
              ratio: '–',
              target: '–',
            },
            {
              key: 'push-command-to-answer',
              figure: '9. /spec weights sent → its "Saved" answer',
              value: latency(p.commandToAnswer),
              anchor: '–',
              ratio: '–',
              target: '–',
            },
          ]
        : []),
    ]),
    {
      key: 'push-exactly-once',
      figure: '9. versions published once each, in order',
      value: `${r.published} of ${saved} saved (warm-up included); ${r.duplicates} twice; ${r.outOfOrder} out of order`,
      anchor: '–',
      ratio: '–',
      target: 'all, 0, 0',
      pass: r.published === saved && r.duplicates === 0 && r.outOfOrder === 0,
    },
  ];
}
