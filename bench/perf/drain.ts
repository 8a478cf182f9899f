import { Client as PgClient } from 'pg';
import { x, type BenchContext, type Row } from './context';
import { DEMO_SLUG, subscribeChannels } from './channels';
import { FANOUT_CHANNEL_PREFIX } from './fanout';
import { Client, completedEvent, eventId, interviewId } from './http';
import type { ProbeReport } from './probe';
import { now, percentile, pool, sleep } from './util';

const CHANNELS = 50;
const RATE = 1;
const BURST = 3;
export const DRAIN_CHANNEL_PREFIX = 'CD4';

export interface DrainResult {
  deliveries: number;
  events: number;
  perChannel: number;
  boundSeconds: number;
  drainSeconds: number;
  firstToLastSeconds: number;
  ingestSeconds: number;
  delivered: number;
  calls: number;
  limited: number;
  limitedEarlyP50Ms: number;
  limitedEarlyMaxMs: number;
  /** "message number in its channel: how many 429s", e.g. {4: 50} */
  limitedAt: Record<string, number>;
  duplicates: number;
  channelsShort: number;
  /** per channel, first → last message (s): min, median, max */
  channelSpan: { min: number; median: number; max: number };
  /** gaps between consecutive messages of a channel longer than 1.5 s (the limit allows 1 s) */
  longGaps: number;
  longGapSeconds: number;
  /** long gaps by when they began, in 20 s windows from the first webhook: { "0": n, "20": n, … } */
  longGapsByWindow: Record<string, number>;
  dbSent: number;
  probe: ProbeReport;
}

/**
 * Figure 4: 10k deliveries (200 completed interviews of the demo spec × 50 following channels), the
 * fake Slack enforcing 1 message/s per channel with a burst of 3 and answering 429 + Retry-After
 * when over. The bound is what that limit allows: with a full bucket of 3 at the first message, a
 * channel's m-th message can come no sooner than (m − 3)/rate s after its first, so 200 messages per
 * channel need 197 s. The drain is timed from the first webhook sent to the last message arrived.
 */
export async function drainFigure(ctx: BenchContext): Promise<{ rows: Row[]; result: DrainResult }> {
  const deliveries = ctx.quick ? 1_000 : 10_000;
  const events = deliveries / CHANNELS;
  const boundSeconds = Math.max(0, events - BURST) / RATE;
  const db = new PgClient({ connectionString: ctx.databaseUrl });
  await db.connect();
  try {
    // Figure 3's channels stop following (as if unsubscribed) so only the 50 drain channels get messages.
    await db.query(`DELETE FROM subscription WHERE channel_id LIKE '${FANOUT_CHANNEL_PREFIX}%'`);
    ctx.log(`figure 4: subscribing ${CHANNELS} channels to ${DEMO_SLUG}`);
    const channels = Array.from({ length: CHANNELS }, (_, i) => `${DRAIN_CHANNEL_PREFIX}${String(i).padStart(3, '0')}`);
    await subscribeChannels(
      ctx,
      channels.map((channel) => ({ channel, slug: DEMO_SLUG })),
      'd',
    );
    await sleep(1_000);

    ctx.log(`figure 4: ${events} events → ${deliveries} deliveries over ${CHANNELS} channels; bound ${boundSeconds} s`);
    const client = new Client(ctx.appUrl, 8);
    await ctx.probe.start();
    const t0 = now();
    const answers = await pool(events, 8, (n) =>
      client.webhook(completedEvent({ eventId: eventId(4, n), interviewId: interviewId(4, n) })),
    );
    const ingestSeconds = (now() - t0) / 1000;
    client.close();
    const refused = answers.filter((a) => a.status !== 202);
    if (refused.length > 0) throw new Error(`figure 4: ${refused.length} events refused, e.g. ${refused[0]!.status} ${refused[0]!.body}`);

    const ours = () => ctx.sink.posts.filter((p) => p.channel.startsWith(DRAIN_CHANNEL_PREFIX));
    const deadline = t0 + (boundSeconds * 2 + 60) * 1000;
    let lastReport = now();
    for (let count = ours().length; count < deliveries && now() < deadline; count = ours().length) {
      if (now() - lastReport > 30_000) {
        ctx.log(`figure 4: ${count}/${deliveries} after ${((now() - t0) / 1000).toFixed(0)} s`);
        lastReport = now();
      }
      await sleep(200);
    }
    await sleep(2_000); // anything posted twice would show up here
    const probe = await ctx.probe.stop(deliveries);
    const posts = ours();
    const perDelivery = new Map<string, number>();
    for (const post of posts) perDelivery.set(post.deliveryId ?? '?', (perDelivery.get(post.deliveryId ?? '?') ?? 0) + 1);
    const perChannel = new Map<string, Set<string>>();
    for (const post of posts) perChannel.set(post.channel, (perChannel.get(post.channel) ?? new Set()).add(post.interviewId ?? '?'));
    const limited = ctx.sink.limited.filter((l) => l.channel.startsWith(DRAIN_CHANNEL_PREFIX));
    const spans: number[] = [];
    let longGaps = 0;
    let longGapSeconds = 0;
    const longGapsByWindow: Record<string, number> = {};
    for (const channel of channels) {
      const times = posts
        .filter((p) => p.channel === channel)
        .map((p) => p.at)
        .sort((a, b) => a - b);
      if (times.length === 0) continue;
      spans.push((times.at(-1)! - times[0]!) / 1000);
      for (let i = 1; i < times.length; i += 1) {
        const gap = (times[i]! - times[i - 1]!) / 1000;
        if (gap > 1.5) {
          longGaps += 1;
          longGapSeconds += gap - 1;
          const window = String(Math.floor((times[i - 1]! - t0) / 20_000) * 20);
          longGapsByWindow[window] = (longGapsByWindow[window] ?? 0) + 1;
        }
      }
    }
    const arrivals = posts.map((p) => p.at);
    const last = Math.max(...arrivals);
    const stats = await db.query<{ sent: number }>(
      `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent FROM delivery WHERE channel_id LIKE '${DRAIN_CHANNEL_PREFIX}%'`,
    );
    const result: DrainResult = {
      deliveries,
      events,
      perChannel: events,
      boundSeconds,
      drainSeconds: (last - t0) / 1000,
      firstToLastSeconds: (last - Math.min(...arrivals)) / 1000,
      ingestSeconds,
      delivered: perDelivery.size,
      calls: posts.length + limited.length,
      limited: limited.length,
      limitedEarlyP50Ms: percentile(
        limited.map((l) => l.earlyMs),
        50,
      ),
      limitedEarlyMaxMs: limited.length ? Math.max(...limited.map((l) => l.earlyMs)) : 0,
      limitedAt: limited.reduce<Record<string, number>>((acc, l) => {
        acc[l.nth] = (acc[l.nth] ?? 0) + 1;
        return acc;
      }, {}),
      duplicates: posts.length - perDelivery.size,
      channelsShort: channels.filter((c) => (perChannel.get(c)?.size ?? 0) < events).length,
      channelSpan: { min: Math.min(...spans), median: percentile(spans, 50), max: Math.max(...spans) },
      longGaps,
      longGapSeconds,
      longGapsByWindow,
      dbSent: stats.rows[0]!.sent,
      probe,
    };
    const ratio = result.drainSeconds / boundSeconds;
    const limitedShare = result.limited / Math.max(1, result.calls);
    const size = `${deliveries / 1000}k over ${CHANNELS} ch${ctx.quick ? ', --quick' : ''}`;
    return {
      result,
      rows: [
        {
          key: 'drain',
          figure: `4. drain ${size} (${result.delivered}/${deliveries} delivered)`,
          value: `${result.drainSeconds.toFixed(1)} s`,
          anchor: `${boundSeconds.toFixed(1)} s bound`,
          ratio: x(ratio),
          target: '≤ 1.10×',
          pass: ratio <= 1.1 && result.delivered === deliveries,
        },
        {
          key: 'drain-429',
          figure: `4. 429s (of ${result.calls} postMessage calls)`,
          value: `${result.limited} (${(limitedShare * 100).toFixed(2)}%)`,
          anchor: '–',
          ratio: '–',
          target: '≤ 1%',
          pass: limitedShare <= 0.01,
        },
        {
          key: 'drain-dup',
          figure: '4. duplicates (messages per delivery id)',
          value: String(result.duplicates),
          anchor: `${result.delivered} ids`,
          ratio: '–',
          target: '0',
          pass: result.duplicates === 0 && result.channelsShort === 0,
        },
      ],
    };
  } finally {
    await db.end();
  }
}
