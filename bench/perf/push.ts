import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { FakePlatform, PLATFORM_SECRET, type PlatformRequest } from '../../test/support/fake-platform';
import { importSpecs } from './channels';
import type { BenchContext, Row } from './context';
import { createDatabase } from './digest';
import { Client } from './http';
import { Probe, type ProbeReport } from './probe';
import { startApp, type Child } from './procs';
import { freePort, loopMonitor, now, openLoop, percentile, ROOT, sleep, waitUntil } from './util';

/**
 * Figure 9, "push to the platform" (issue 14): spec versions saved at 50/s for 20 s (quick: 10 s)
 * through the real edge, signed Slack `/spec weights` commands, round-robin over 25 specs and
 * alternating between two weight sets per spec (2 saves/s per spec, so a spec's line has work
 * while the next save arrives). The app is one of its own (own database, PLATFORM_WEBHOOK_URL at a
 * fake platform on loopback that answers 200 at once), started after the shared app stopped.
 *
 * Latency: from the version's created_at (the body's `occurred_at`, written in the saving
 * transaction) to the platform receiving the POST; also from the command's intended send time.
 * Target (not asserted anywhere): p99 ≤ 1 s.
 */
export const PUSH_FIGURE = 9;
const RATE = 50;
const SPECS = 25;
const WEIGHT_SETS = [
  'financial_systems_design=0.25 distributed_systems_reliability=0.30',
  'financial_systems_design=0.30 distributed_systems_reliability=0.25',
];
const TARGET_P99_MS = 1_000;

export interface PushResult {
  rate: number;
  seconds: number;
  sent: number;
  saved: number;
  refused: Record<string, number>;
  published: number;
  duplicates: number;
  outOfOrder: number;
  savedToPost: { p50: number; p99: number; max: number };
  commandToPost: { p50: number; p99: number; max: number };
  generatorLateP99: number;
  benchLoop: { p99Ms: number; maxMs: number };
  /** the app's CPU and SQL per saved version (its save and its publication) */
  probe: ProbeReport;
}

/** Minutes this figure may add to the benchmark's watchdog: its own app's start, the load, the drain. */
export const pushBudgetMinutes = () => 4;

export async function pushFigure(ctx: BenchContext): Promise<{ rows: Row[]; result: PushResult }> {
  const seconds = ctx.quick ? 10 : 20;
  const url = await createDatabase(ctx.adminUrl, 'bench_push');
  const platform = await new FakePlatform().start();
  let app: Child | undefined;
  try {
    const port = await freePort();
    ctx.log(`figure 9: starting its own app on bench_push, publishing to a fake platform on loopback`);
    app = await startApp({
      port,
      databaseUrl: url,
      slackApiUrl: ctx.sink.apiUrl,
      logDir: ctx.tempDir,
      env: { PLATFORM_WEBHOOK_URL: platform.url, PLATFORM_WEBHOOK_SECRET: PLATFORM_SECRET },
      name: 'push-app',
    });
    const specs = await importSpecs(url, SPECS, 'push', 900_001);
    const setup = new PgClient({ connectionString: url, application_name: 'bench-push' });
    await setup.connect();
    await setup.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'); // preloaded by the benchmark; the probe reads it here
    await setup.end();
    const probe = new Probe(url, app.process.pid!);
    await probe.start();
    const specIds = new Set(specs.map((s) => s.id));
    const ours = (r: PlatformRequest) => r.event !== undefined && specIds.has(r.event.data.spec.id);
    const arrivals = new Map<string, number>(); // event id → now() when the platform first had it
    platform.onRequest = (r) => {
      if (ours(r) && !arrivals.has(r.event!.id)) arrivals.set(r.event!.id, now());
    };

    ctx.log(`figure 9: ${RATE} saves/s for ${seconds} s by signed /spec weights over ${SPECS} specs`);
    const client = new Client(`http://127.0.0.1:${port}`, 64);
    const commands: { id: string; intendedAt: number; spec: number }[] = [];
    const acks: Promise<unknown>[] = [];
    const loop = loopMonitor();
    const generator = await openLoop(RATE, seconds * 1000, (i, intendedAt) => {
      const spec = i % SPECS;
      const set = Math.floor(i / SPECS) % 2;
      const id = `push${i}`;
      commands.push({ id, intendedAt, spec });
      acks.push(client.slash(`weights ${specs[spec]!.slug} ${WEIGHT_SETS[set]}`, ctx.sink.responseUrl(id), 'CPUSH').catch(() => undefined));
    });
    await Promise.all(acks);
    const benchLoop = loop.stop();
    const answers = await Promise.all(
      commands.map((c) =>
        ctx.sink.responseFor(c.id, 60_000).then(
          (a) => a.text,
          () => 'no answer',
        ),
      ),
    );
    client.close();
    // "Saved *v7* of `push-003`: …": which version each command made, to time it from the command
    const commandFor = new Map<string, number>();
    const refused: Record<string, number> = {};
    answers.forEach((text, i) => {
      const number = text.includes('Saved *v') ? /Saved \*v(\d+)\*/.exec(text)?.[1] : undefined;
      if (number) commandFor.set(`${specs[commands[i]!.spec]!.id}:${number}`, commands[i]!.intendedAt);
      else refused[text.slice(0, 60)] = (refused[text.slice(0, 60)] ?? 0) + 1;
    });
    const saved = commandFor.size;

    ctx.log(`figure 9: ${saved} of ${commands.length} saved; waiting for their POSTs`);
    await waitUntil('every saved version to be published', 120_000, () => (arrivals.size >= saved ? true : undefined), 100);
    const probeReport = await probe.stop(Math.max(1, saved));
    await sleep(2_000); // a second POST of any version would show up here
    const received = platform.requests.filter(ours);
    const acked = received.filter((r) => r.status === 200);
    const perEvent = new Map<string, number>();
    for (const r of acked) perEvent.set(r.event!.id, (perEvent.get(r.event!.id) ?? 0) + 1);

    // Latency from the version's own timestamp (wall clock on this machine), and from the command.
    const savedToPost = acked.map((r) => r.at - Date.parse(r.event!.occurred_at));
    const commandToPost = acked.flatMap((r) => {
      const intended = commandFor.get(`${r.event!.data.spec.id}:${r.event!.data.version.number}`);
      return intended === undefined ? [] : [arrivals.get(r.event!.id)! - intended];
    });
    const result: PushResult = {
      rate: RATE,
      seconds,
      sent: commands.length,
      saved,
      refused,
      published: perEvent.size,
      duplicates: [...perEvent.values()].filter((n) => n > 1).length,
      outOfOrder: outOfOrder(received),
      savedToPost: summary(savedToPost),
      commandToPost: summary(commandToPost),
      generatorLateP99: generator.lateP99,
      benchLoop,
      probe: probeReport,
    };
    return { rows: rows(result), result };
  } finally {
    await app?.stop();
    await platform.stop();
    if (app) {
      await mkdir(path.join(ROOT, 'bench', 'results'), { recursive: true });
      await copyFile(app.logFile, path.join(ROOT, 'bench', 'results', `${ctx.quick ? 'quick' : 'full'}-push-app.log`)).catch(
        () => undefined,
      );
    }
    const admin = new PgClient({ connectionString: ctx.adminUrl });
    await admin.connect();
    await admin
      .query('DROP DATABASE IF EXISTS bench_push WITH (FORCE)')
      .catch((error: unknown) => ctx.log(`figure 9: could not drop bench_push: ${String(error)}`))
      .finally(() => admin.end());
  }
}

/** POSTs that arrived while an earlier version of the same spec had not yet been acknowledged. */
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

const summary = (samples: number[]) => ({ p50: percentile(samples, 50), p99: percentile(samples, 99), max: Math.max(...samples) });

function rows(r: PushResult): Row[] {
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  return [
    {
      key: 'push-saved-to-post',
      figure: `9. version saved → POST received (${r.rate} saves/s, ${SPECS} specs)`,
      value: `p50 ${ms(r.savedToPost.p50)} / p99 ${ms(r.savedToPost.p99)} (max ${ms(r.savedToPost.max)})`,
      anchor: '–',
      ratio: '–',
      target: `p99 ≤ ${TARGET_P99_MS / 1000} s`,
      pass: r.savedToPost.p99 <= TARGET_P99_MS,
    },
    {
      key: 'push-command-to-post',
      figure: '9. /spec weights sent → POST received',
      value: `p50 ${ms(r.commandToPost.p50)} / p99 ${ms(r.commandToPost.p99)}`,
      anchor: '–',
      ratio: '–',
      target: '–',
    },
    {
      key: 'push-exactly-once',
      figure: '9. versions published once each, in order',
      value: `${r.published} of ${r.saved} saved; ${r.duplicates} twice; ${r.outOfOrder} out of order`,
      anchor: '–',
      ratio: '–',
      target: 'all, 0, 0',
      pass: r.published === r.saved && r.duplicates === 0 && r.outOfOrder === 0,
    },
  ];
}
