import http from 'node:http';
import { Client as PgClient } from 'pg';
import { CLI_ACTOR } from '../../src/services/actor';
import { ApiKeyService } from '../../src/services/api-keys';
import { createDb } from '../../src/store/db';
import { DEMO_SLUG } from './channels';
import { ms, type BenchContext, type Row } from './context';
import { describe, type ProbeReport } from './probe';
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
    ctx.log(`figure ${SPEC_API_FIGURE}: warming up (GET ${route}, 100/s for 2 s)`);
    await run(client, route, headers, 200, 100, 2);
    ctx.log(`figure ${SPEC_API_FIGURE}: GET /api/v1/specs/{id}, ${RATE}/s for ${seconds} s`);
    await ctx.probe.start();
    const full = await run(client, route, headers, 200, RATE, seconds);
    full.probe = await ctx.probe.stop(full.sent);
    ctx.log(`figure ${SPEC_API_FIGURE}: the same with If-None-Match (304), ${RATE}/s for ${seconds} s`);
    await ctx.probe.start();
    const notModified = await run(client, route, conditional, 304, RATE, seconds);
    notModified.probe = await ctx.probe.stop(notModified.sent);
    const row = (which: string, result: PullRun): Row => ({
      key: `pull-${which}-p99`,
      figure: `${SPEC_API_FIGURE}. GET /api/v1/specs/{id} ${which} p50 / p99 (${RATE}/s open loop, ${result.sent} requests, errors: ${result.errors})`,
      value: `${ms(result.p50)} / ${ms(result.p99)}`,
      anchor: '–',
      ratio: '–',
      target: which === '200' ? `p99 ≤ ${TARGET_P99_MS} ms` : `p99 ≤ ${TARGET_P99_MS} ms, below the 200s`,
      pass: result.errors === 0 && result.p99 <= TARGET_P99_MS && (which === '200' || result.p99 <= full.p99),
    });
    const notes = [
      `Pull API: max ${full.max.toFixed(1)} ms (200) and ${notModified.max.toFixed(1)} ms (304); load generator late by p99 ${full.generatorLateP99.toFixed(1)} / ${notModified.generatorLateP99.toFixed(1)} ms, bench event loop p99 ${full.benchLoop.p99Ms.toFixed(1)} / ${notModified.benchLoop.p99Ms.toFixed(1)} ms.`,
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
