import { Client as PgClient } from 'pg';
import { ms, x, type BenchContext, type Row } from './context';
import { Client } from './http';
import type { ProbeReport } from './probe';
import { loopMonitor, openLoop, percentile, sleep, waitUntil } from './util';

const RATE = 200;
const LIGHT_RATE = 20;
const SLUG = 'senior-backend-payments';

export interface LatencyRun {
  sent: number;
  /** answers that came in the ack itself (the rest came by response_url) */
  inAck: number;
  answered: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
  generatorLateP99: number;
  benchLoop: { p99Ms: number; maxMs: number };
  probe?: ProbeReport;
}

/**
 * Figure 2: `/spec show senior-backend-payments` at 200 commands/s, open loop. Panelist answers a
 * read in the ack when it is ready within half a second, else by response_url; its latency runs from the
 * command's intended send time to the answer, wherever it came. The bare Bolt app only acks, so its
 * latency runs to the (empty) ack.
 */
export async function specShowFigure(
  ctx: BenchContext,
  bareUrl: string,
): Promise<{ rows: Row[]; panelist: LatencyRun; bare: LatencyRun; light: LatencyRun; specInterviews: number }> {
  const seconds = ctx.quick ? 4 : 10;
  const db = new PgClient({ connectionString: ctx.databaseUrl });
  await db.connect();
  const counted = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM interview i JOIN spec s ON s.id = i.spec_id WHERE s.slug = $1`,
    [SLUG],
  );
  await db.end();
  const specInterviews = counted.rows[0]!.n;

  ctx.log(`figure 2: warming up both apps`);
  await run(ctx, ctx.appUrl, 'w', 100, 1, 'response');
  await run(ctx, bareUrl, 'v', 100, 1, 'ack');
  ctx.log(`figure 2: /spec show on Panelist, ${LIGHT_RATE}/s for ${seconds} s (light load, for context)`);
  const light = await run(ctx, ctx.appUrl, 'l', LIGHT_RATE, seconds, 'response');
  ctx.log(`figure 2: /spec show on Panelist, ${RATE}/s for ${seconds} s (spec has ${specInterviews} interviews)`);
  await ctx.probe.start();
  const panelist = await run(ctx, ctx.appUrl, 'p', RATE, seconds, 'response');
  panelist.probe = await ctx.probe.stop(panelist.sent);
  await sleep(500);
  ctx.log(`figure 2: the same load on the bare Bolt app`);
  const bare = await run(ctx, bareUrl, 'b', RATE, seconds, 'ack');
  const p99Ratio = panelist.p99 / bare.p99;
  return {
    panelist,
    bare,
    light,
    specInterviews,
    rows: [
      {
        key: 'show-light',
        figure: `2. /spec show answer p50 / p99 at ${LIGHT_RATE}/s (context)`,
        value: `${light.p50.toFixed(1)} / ${light.p99.toFixed(1)} ms`,
        anchor: '–',
        ratio: '–',
        target: '–',
      },
      {
        key: 'show-p50',
        figure: `2. /spec show answer p50 (${RATE}/s open loop, ${panelist.sent} cmds)`,
        value: ms(panelist.p50),
        anchor: `${ms(bare.p50)} bare`,
        ratio: x(panelist.p50 / bare.p50),
        target: '–',
      },
      {
        key: 'show-p99',
        figure: `2. /spec show answer p99 (errors: ${panelist.errors})`,
        value: ms(panelist.p99),
        anchor: `${ms(bare.p99)} bare`,
        ratio: x(p99Ratio),
        target: '≤ 50 ms, ≤ 1.5× bare',
        pass: panelist.p99 <= 50 && p99Ratio <= 1.5 && panelist.errors === 0,
      },
    ],
  };
}

async function run(
  ctx: BenchContext,
  baseUrl: string,
  tag: string,
  rate: number,
  seconds: number,
  until: 'response' | 'ack',
): Promise<LatencyRun> {
  const client = new Client(baseUrl, 256);
  const intended = new Map<string, number>();
  const latencies: number[] = [];
  const answeredInAck = new Set<string>();
  let errors = 0;
  const pending: Promise<void>[] = [];
  const monitor = loopMonitor();
  const loop = await openLoop(rate, seconds * 1000, (i, at) => {
    const id = `s2${tag}${i}`;
    intended.set(id, at);
    pending.push(
      client.slash(`show ${SLUG}`, ctx.sink.responseUrl(id)).then(
        (answer) => {
          if (answer.status !== 200) errors += 1;
          else if (until === 'ack') latencies.push(answer.at - at);
          else if (isTheAnswer(answer.body)) {
            answeredInAck.add(id);
            latencies.push(answer.at - at);
          }
        },
        () => {
          errors += 1;
        },
      ),
    );
  });
  await Promise.all(pending);
  if (until === 'response') {
    const byResponseUrl = [...intended].filter(([id]) => !answeredInAck.has(id));
    await waitUntil('the /spec show answers', 90_000, () => byResponseUrl.every(([id]) => ctx.sink.responses.has(id)) || undefined).catch(
      () => undefined,
    );
    for (const [id, at] of byResponseUrl) {
      const response = ctx.sink.responses.get(id);
      if (!response) errors += 1;
      else if (!isTheAnswer(response.text)) errors += 1;
      else latencies.push(response.at - at);
    }
  }
  client.close();
  const benchLoop = monitor.stop();
  return {
    sent: loop.sent,
    inAck: answeredInAck.size,
    answered: latencies.length,
    errors,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    generatorLateP99: loop.lateP99,
    benchLoop,
  };
}

/** The spec page, wherever it came: in the ack's body or by response_url. */
function isTheAnswer(body: string): boolean {
  return body.includes(SLUG) || body.includes('Senior Backend');
}
