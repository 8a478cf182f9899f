import { importSpecs, subscribeChannels } from './channels';
import { ms, type BenchContext, type Row } from './context';
import { Client, completedEvent, eventId, interviewId } from './http';
import type { ProbeReport } from './probe';
import { loopMonitor, now, openLoop, percentile, sleep, waitUntil } from './util';

const RATE = 200;
/** a light load first, for context: the pipeline's own latency when the app is not saturated */
const LIGHT_RATE = 20;
const CHANNELS = 500;
export const FANOUT_CHANNEL_PREFIX = 'CF3';

export interface FanoutRun {
  rate: number;
  events: number;
  accepted: number;
  delivered: number;
  duplicates: number;
  p50: number;
  p99: number;
  max: number;
  limited: number;
  /** webhook answers other than 202, by status (the contract's 503 = shed under load, retried by the platform) */
  refused: Record<string, number>;
  /** from an event's intended send time to its 202 */
  acceptP50: number;
  acceptP99: number;
  generatorLateP99: number;
  benchLoop: { p99Ms: number; maxMs: number };
  probe: ProbeReport;
}

export interface FanoutResult {
  setupSeconds: number;
  subscribeRetried: number;
  light: FanoutRun;
  full: FanoutRun;
}

/**
 * Figure 3: webhook accepted (its 202 arrives) → chat.postMessage for that interview arrives at the
 * fake Slack, open loop at 200 events/s over 500 channels. Every event fans out to every channel
 * following its spec, so "spread over 500 channels" needs 500 specs each followed by one channel:
 * event k goes to spec (k mod 500), i.e. each channel gets an event every 2.5 s (0.4/s, under the
 * 1/s pacing). Specs are imported as the CLI imports them; channels subscribe by signed
 * `/spec subscribe <spec>` commands.
 */
export async function fanoutFigure(ctx: BenchContext): Promise<{ rows: Row[]; result: FanoutResult }> {
  const seconds = ctx.quick ? 4 : 10;
  const setupStart = Date.now();
  ctx.log(`figure 3: importing ${CHANNELS} specs and subscribing ${CHANNELS} channels`);
  const specs = await importSpecs(ctx.databaseUrl, CHANNELS, 'bench-fanout');
  const subscribed = await subscribeChannels(
    ctx,
    specs.map((spec, i) => ({ channel: `${FANOUT_CHANNEL_PREFIX}${String(i).padStart(4, '0')}`, slug: spec.slug })),
    'f',
  );
  const setupSeconds = (Date.now() - setupStart) / 1000;
  ctx.log(
    `figure 3: setup took ${setupSeconds.toFixed(1)} s (subscriptions ${subscribed.seconds.toFixed(1)} s, ${subscribed.retried} retried)`,
  );
  await sleep(1_000);
  ctx.log(`figure 3: ${LIGHT_RATE} events/s for ${seconds} s (light load, for context)`);
  const light = await measure(ctx, specs, LIGHT_RATE, seconds, 0);
  ctx.log(`figure 3: ${RATE} events/s for ${seconds} s`);
  const full = await measure(ctx, specs, RATE, seconds, 100_000);
  const result: FanoutResult = { setupSeconds, subscribeRetried: subscribed.retried, light, full };
  return {
    result,
    rows: [
      {
        key: 'e2e-light',
        figure: `3. accepted → message p50 / p99 at ${LIGHT_RATE}/s (context)`,
        value: `${light.p50.toFixed(1)} / ${light.p99.toFixed(1)} ms`,
        anchor: '–',
        ratio: '–',
        target: '–',
      },
      {
        key: 'e2e-p50',
        figure: `3. accepted → message p50 (${RATE}/s, ${CHANNELS} ch; ${full.accepted}/${full.events} accepted${refusedText(full)})`,
        value: ms(full.p50),
        anchor: '–',
        ratio: '–',
        target: '≤ 50 ms',
        pass: full.p50 <= 50,
      },
      {
        key: 'e2e-p99',
        figure: `3. accepted → message p99 (${full.delivered}/${full.accepted} delivered, ${full.duplicates} dup, ${full.limited} 429)`,
        value: ms(full.p99),
        anchor: '–',
        ratio: '–',
        target: '≤ 250 ms, all once',
        pass: full.p99 <= 250 && full.delivered === full.accepted && full.duplicates === 0,
      },
    ],
  };
}

const refusedText = (run: FanoutRun) =>
  Object.keys(run.refused).length === 0
    ? ''
    : `, ${Object.entries(run.refused)
        .map(([status, n]) => `${n}× ${status}`)
        .join(', ')}`;

async function measure(ctx: BenchContext, specs: { id: string }[], rate: number, seconds: number, offset: number): Promise<FanoutRun> {
  const client = new Client(ctx.appUrl, 256);
  const acceptedAt = new Map<string, number>();
  const acceptLatency: number[] = [];
  const refused: Record<string, number> = {};
  const pending: Promise<void>[] = [];
  const monitor = loopMonitor();
  await ctx.probe.start();
  const runStart = now();
  const loop = await openLoop(rate, seconds * 1000, (k, intendedAt) => {
    const interview = interviewId(3, offset + k);
    const body = completedEvent({ eventId: eventId(3, offset + k), interviewId: interview, specId: specs[k % specs.length]!.id });
    pending.push(
      client.webhook(body).then(
        (answer) => {
          acceptLatency.push(answer.at - intendedAt);
          if (answer.status === 202) acceptedAt.set(interview, answer.at);
          else refused[answer.status] = (refused[answer.status] ?? 0) + 1;
        },
        () => {
          refused.error = (refused.error ?? 0) + 1;
        },
      ),
    );
  });
  await Promise.all(pending);
  client.close();
  const ours = () =>
    ctx.sink.posts.filter(
      (p) => p.channel.startsWith(FANOUT_CHANNEL_PREFIX) && p.interviewId !== undefined && acceptedAt.has(p.interviewId),
    );
  await waitUntil('figure 3 messages', 120_000, () => ours().length >= acceptedAt.size || undefined, 100).catch(() => undefined);
  await sleep(1_000); // anything posted twice would show up here
  const probe = await ctx.probe.stop(acceptedAt.size);
  const benchLoop = monitor.stop();

  const posts = ours();
  const first = new Map<string, number>();
  const perDelivery = new Map<string, number>();
  for (const post of posts) {
    if (!first.has(post.interviewId!)) first.set(post.interviewId!, post.at);
    perDelivery.set(post.deliveryId ?? '?', (perDelivery.get(post.deliveryId ?? '?') ?? 0) + 1);
  }
  const latencies = [...acceptedAt].filter(([id]) => first.has(id)).map(([id, at]) => first.get(id)! - at);
  const channels = new Set(posts.map((p) => p.channel));
  return {
    rate,
    events: loop.sent,
    accepted: acceptedAt.size,
    delivered: first.size,
    duplicates: posts.length - perDelivery.size,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    limited: ctx.sink.limited.filter((l) => l.at >= runStart && channels.has(l.channel)).length,
    refused,
    acceptP50: percentile(acceptLatency, 50),
    acceptP99: percentile(acceptLatency, 99),
    generatorLateP99: loop.lateP99,
    benchLoop,
    probe,
  };
}
