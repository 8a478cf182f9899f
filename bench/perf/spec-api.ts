import http from 'node:http';
import { Client as PgClient } from 'pg';
import { CLI_ACTOR } from '../../src/services/actor';
import { ApiKeyService } from '../../src/services/api-keys';
import { createDb } from '../../src/store/db';
import { DEMO_SLUG } from './channels';
import { ms, type BenchContext, type Row } from './context';
import { describe, type ProbeReport } from './probe';
import { BENCH_METRICS_TOKEN } from './procs';
import { loopMonitor, now, openLoop, percentile } from './util';

/** 9 is the outbound webhook's (push), built beside this one */
export const SPEC_API_FIGURE = 10;
const RATE = 500;
const TARGET_P99_MS = 20;

export interface PullRun {
  sent: number;
  /** answers with the expected status (200, or 304 for the conditional run) */
  answered: number;
  errors: number;
  statuses: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
  generatorLateP99: number;
  benchLoop: { p99Ms: number; maxMs: number };
  /** seconds of the run (from its start) whose slowest answer took over the target: where the tail came from */
  slowSeconds: { second: number; max: number; count: number }[];
  /** the app's own event-loop delay over the run (prom-client's histogram, reset by each scrape) */
  appLoop?: { p99Ms: number; maxMs: number };
  probe?: ProbeReport;
}

/**
 * Figure 10 (issue 14): the pull API's `GET /api/v1/specs/{id}` for the demo spec at 500
 * requests/s, open loop, over keep-alive connections as a platform's poller would hold them;
 * then the same with If-None-Match set to the current ETag (304s). Latency runs from each request's
 * intended send time to its whole answer, so a stall shows up.
 */
export async function specApiFigure(ctx: BenchContext): Promise<{ rows: Row[]; notes: string[]; full: PullRun; notModified: PullRun }> {
  const seconds = ctx.quick ? 5 : 20;
  const { key, specId } = await createKey(ctx.databaseUrl);
  const route = `/api/v1/specs/${specId}`;
  const client = new GetClient(ctx.appUrl, 128);
  try {
    const first = await client.get(route, { authorization: `Bearer ${key}` });
    if (first.status !== 200 || !first.etag) throw new Error(`GET ${route} answered ${first.status}, not 200 with an ETag`);
    const headers = { authorization: `Bearer ${key}` };
    const conditional = { ...headers, 'if-none-match': first.etag };
    ctx.log(
      `figure ${SPEC_API_FIGURE}: warming up (GET ${route}, ${RATE}/s for 3 s: sockets, pool connections and JIT at the rate measured)`,
    );
    await run(client, route, headers, 200, RATE, 3);
    ctx.log(`figure ${SPEC_API_FIGURE}: GET /api/v1/specs/{id}, ${RATE}/s for ${seconds} s`);
    await ctx.probe.start();
    await appLoopDelay(ctx.appUrl);
    const full = await run(client, route, headers, 200, RATE, seconds);
    full.appLoop = await appLoopDelay(ctx.appUrl);
    full.probe = await ctx.probe.stop(full.sent);
    ctx.log(`figure ${SPEC_API_FIGURE}: the same with If-None-Match (304), ${RATE}/s for ${seconds} s`);
    await ctx.probe.start();
    await appLoopDelay(ctx.appUrl);
    const notModified = await run(client, route, conditional, 304, RATE, seconds);
    notModified.appLoop = await appLoopDelay(ctx.appUrl);
    notModified.probe = await ctx.probe.stop(notModified.sent);
    const row = (which: string, result: PullRun): Row => ({
      key: `pull-${which}-p99`,
      figure: `${SPEC_API_FIGURE}. GET /api/v1/specs/{id} ${which} p50 / p99; app CPU a request (${RATE}/s open loop, ${result.sent} requests, errors: ${result.errors})`,
      value: `${ms(result.p50)} / ${ms(result.p99)}; CPU ${result.probe?.appCpuMsPerUnit.toFixed(2) ?? '–'} ms`,
      anchor: '–',
      ratio: '–',
      // "cheaper still" is the work a 304 costs: two 20 s runs' p99s differ by the machine's noise more than by a body's bytes
      target: which === '200' ? `p99 ≤ ${TARGET_P99_MS} ms` : `p99 ≤ ${TARGET_P99_MS} ms, app CPU a request below the 200s'`,
      pass: result.errors === 0 && result.p99 <= TARGET_P99_MS && (which === '200' || cheaper(result, full)),
    });
    const notes = [
      `Pull API: max ${full.max.toFixed(1)} ms (200) and ${notModified.max.toFixed(1)} ms (304); load generator late by p99 ${full.generatorLateP99.toFixed(1)} / ${notModified.generatorLateP99.toFixed(1)} ms, bench event loop p99 ${full.benchLoop.p99Ms.toFixed(1)} / ${notModified.benchLoop.p99Ms.toFixed(1)} ms; the app's event loop delayed p99 ${loopLine(full)} / ${loopLine(notModified)}.`,
      `Pull API, where the tail came from: answers over ${TARGET_P99_MS} ms fell in ${full.slowSeconds.length} of ${seconds} seconds (200s) and ${notModified.slowSeconds.length} of ${seconds} (304s); ` +
        `by second, slowest answer (answers over ${TARGET_P99_MS} ms): 200s ${slowLine(full)}; 304s ${slowLine(notModified)}.`,
      describe('Per GET /api/v1/specs/{id} (200)', full.probe),
      describe('Per conditional GET (304)', notModified.probe),
    ];
    return { rows: [row('200', full), row('304', notModified)], notes, full, notModified };
  } finally {
    client.close();
  }
}

function cheaper(conditional: PullRun, full: PullRun): boolean {
  return conditional.probe !== undefined && full.probe !== undefined && conditional.probe.appCpuMsPerUnit < full.probe.appCpuMsPerUnit;
}

function loopLine(run: PullRun): string {
  return run.appLoop ? `${run.appLoop.p99Ms.toFixed(1)} ms (max ${run.appLoop.maxMs.toFixed(1)})` : '–';
}

/** Reads the app's event-loop delay since the previous read (each scrape resets prom-client's histogram). */
async function appLoopDelay(appUrl: string): Promise<{ p99Ms: number; maxMs: number } | undefined> {
  const answer = await fetch(`${appUrl}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } });
  const text = await answer.text();
  if (answer.status !== 200) return undefined;
  const gauge = (name: string) =>
    Number(new RegExp(`^panelist_nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]) * 1000;
  return { p99Ms: gauge('p99'), maxMs: gauge('max') };
}

function slowLine(run: PullRun): string {
  return run.slowSeconds.map((slot) => `${slot.second} s: ${slot.max} ms (${slot.count})`).join(', ') || 'none';
}

/** A key for the default organization, made as `npx panelist api-keys create` makes one, and the demo spec's id. */
async function createKey(databaseUrl: string): Promise<{ key: string; specId: string }> {
  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  const db = createDb(databaseUrl, { max: 1 });
  try {
    const { rows } = await pg.query<{ id: string; organization_id: string }>('SELECT id, organization_id FROM spec WHERE slug = $1', [
      DEMO_SLUG,
    ]);
    const spec = rows[0];
    if (!spec) throw new Error(`no spec ${DEMO_SLUG} to read`);
    const created = await new ApiKeyService(db).create({ organizationId: spec.organization_id, actor: CLI_ACTOR }, `bench-${Date.now()}`);
    return { key: created.key, specId: spec.id };
  } finally {
    await db.$disconnect();
    await pg.end();
  }
}

async function run(
  client: GetClient,
  route: string,
  headers: Record<string, string>,
  expected: number,
  rate: number,
  seconds: number,
): Promise<PullRun> {
  const latencies: number[] = [];
  const bySecond = new Map<number, { max: number; count: number }>();
  const started = now();
  const statuses: Record<string, number> = {};
  let errors = 0;
  const pending: Promise<void>[] = [];
  const monitor = loopMonitor();
  const loop = await openLoop(rate, seconds * 1000, (_i, at) => {
    pending.push(
      client.get(route, headers).then(
        (answer) => {
          statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
          if (answer.status !== expected) {
            errors += 1;
            return;
          }
          const latency = answer.at - at;
          latencies.push(latency);
          const second = Math.floor((at - started) / 1000);
          const slot = bySecond.get(second) ?? { max: 0, count: 0 };
          slot.max = Math.max(slot.max, latency);
          if (latency > TARGET_P99_MS) slot.count += 1;
          bySecond.set(second, slot);
        },
        () => {
          statuses.failed = (statuses.failed ?? 0) + 1;
          errors += 1;
        },
      ),
    );
  });
  await Promise.all(pending);
  const benchLoop = monitor.stop();
  return {
    sent: loop.sent,
    answered: latencies.length,
    errors,
    statuses,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    generatorLateP99: loop.lateP99,
    benchLoop,
    slowSeconds: [...bySecond]
      .filter(([, slot]) => slot.max > TARGET_P99_MS)
      .map(([second, slot]) => ({ second, max: Math.round(slot.max), count: slot.count })),
  };
}

/** GETs over keep-alive connections with Node's own client: the lightest load generator at hand. */
class GetClient {
  private readonly agent: http.Agent;
  private readonly url: URL;

  constructor(baseUrl: string, maxSockets: number) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
    this.url = new URL(baseUrl);
  }

  get(path: string, headers: Record<string, string>, timeoutMs = 30_000): Promise<{ status: number; etag?: string; at: number }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.url.hostname, port: this.url.port, path, method: 'GET', agent: this.agent, headers }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: res.headers.etag, at: now() }));
        res.on('error', reject);
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${path} within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
