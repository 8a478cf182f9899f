import { importSpecs, subscribeChannels } from './channels';
import { x, type BenchContext, type Row } from './context';
import { Client, completedEvent, eventId, interviewId } from './http';
import type { ProbeReport } from './probe';
import { now, openLoop, percentile, pool, sleep } from './util';

const RATE = 1;
const BURST = 3;
export const NOISY_BUSY_CHANNEL = 'CN7BUSY';
export const NOISY_QUIET_CHANNEL = 'CN7QUIET';
/** the quiet channel gets one completed interview this often */
const QUIET_EVERY_MS = 2_000;
/** the quiet channel's interview numbers start here (the busy channel's from 0) */
const QUIET_FROM = 500_000;

const sizes = (quick: boolean) => ({ backlog: quick ? 100 : 1_000, quiet: quick ? 15 : 60 });
const boundOf = (backlog: number) => Math.max(0, backlog - BURST) / RATE;
/** How long the figure waits for the last message, from the first webhook (s). */
const deadlineOf = (quick: boolean) => Math.max(boundOf(sizes(quick).backlog) * 1.5, (sizes(quick).quiet * QUIET_EVERY_MS) / 1000) + 60;
/** The figure's worst case (setup included), for the benchmark's watchdog. */
export const NOISY_FIGURE = 7;
export const noisyBudgetSeconds = (quick: boolean) => deadlineOf(quick) + 120;

export interface NoisyResult {
  backlog: number;
  boundSeconds: number;
  /** first backlog webhook sent → last busy-channel message arrived */
  drainSeconds: number;
  ingestSeconds: number;
  busyDelivered: number;
  quietSent: number;
  quietAccepted: number;
  quietDelivered: number;
  /** quiet interviews whose message came while the busy channel still had messages to come */
  quietDuringDrain: number;
  /** quiet channel, webhook 202 → message at the fake Slack (ms) */
  quiet: { p50: number; p99: number; max: number };
  quietRefused: Record<string, number>;
  calls: number;
  limited: { busy: number; quiet: number };
  duplicates: number;
  missing: { busy: number; quiet: number };
  probe: ProbeReport;
}

/**
 * Figure 7, the noisy neighbour: one channel following spec A gets a backlog of 1,000 completed
 * interviews (quick: 100), sent by 8 senders as fast as the app takes them; then a channel following
 * spec B gets one completed interview every 2 s (60; quick: 15) while the first drains under the fake
 * Slack's 1 message/s (burst 3). The quiet channel's messages should not wait behind the busy one's:
 * accepted (its 202) → message, p99 ≤ 1 s. The busy channel should still drain at the limit: first
 * webhook → last message within 1.1× of (n − 3)/1 s, few 429s. Every message once.
 */
export async function noisyFigure(ctx: BenchContext): Promise<{ rows: Row[]; result: NoisyResult }> {
  const { backlog, quiet } = sizes(ctx.quick);
  const boundSeconds = boundOf(backlog);
  ctx.log(`figure 7: importing specs A and B; ${NOISY_BUSY_CHANNEL} follows A, ${NOISY_QUIET_CHANNEL} follows B`);
  const [specA, specB] = await importSpecs(ctx.databaseUrl, 2, 'bench-noisy', 7_001);
  await subscribeChannels(
    ctx,
    [
      { channel: NOISY_BUSY_CHANNEL, slug: specA!.slug },
      { channel: NOISY_QUIET_CHANNEL, slug: specB!.slug },
    ],
    'n',
  );
  await sleep(1_000);

  ctx.log(
    `figure 7: ${backlog} interviews of spec A (bound ${boundSeconds} s), then ${quiet} of spec B, one every ${QUIET_EVERY_MS / 1000} s`,
  );
  const client = new Client(ctx.appUrl, 8);
  await ctx.probe.start();
  const t0 = now();
  const answers = await pool(backlog, 8, (n) =>
    client.webhook(completedEvent({ eventId: eventId(7, n), interviewId: interviewId(7, n), specId: specA!.id })),
  );
  const ingestSeconds = (now() - t0) / 1000;
  const refused = answers.filter((a) => a.status !== 202);
  if (refused.length > 0)
    throw new Error(`figure 7: ${refused.length} backlog events refused, e.g. ${refused[0]!.status} ${refused[0]!.body}`);

  const acceptedAt = new Map<string, number>();
  const quietRefused: Record<string, number> = {};
  const pending: Promise<void>[] = [];
  await openLoop(1000 / QUIET_EVERY_MS, quiet * QUIET_EVERY_MS, (k) => {
    const id = interviewId(7, QUIET_FROM + k);
    pending.push(
      client.webhook(completedEvent({ eventId: eventId(7, QUIET_FROM + k), interviewId: id, specId: specB!.id })).then(
        (answer) => {
          if (answer.status === 202) acceptedAt.set(id, answer.at);
          else quietRefused[answer.status] = (quietRefused[answer.status] ?? 0) + 1;
        },
        () => {
          quietRefused.error = (quietRefused.error ?? 0) + 1;
        },
      ),
    );
  });
  await Promise.all(pending);
  client.close();

  const busyIds = new Set(Array.from({ length: backlog }, (_, n) => interviewId(7, n)));
  const delivered = (channel: string, wanted: (id: string) => boolean) =>
    new Set(
      ctx.sink.posts
        .filter((p) => p.channel === channel && p.interviewId !== undefined && wanted(p.interviewId))
        .map((p) => p.interviewId!),
    );
  const deadline = t0 + deadlineOf(ctx.quick) * 1000;
  let lastReport = now();
  for (;;) {
    const busy = delivered(NOISY_BUSY_CHANNEL, (id) => busyIds.has(id)).size;
    const calm = delivered(NOISY_QUIET_CHANNEL, (id) => acceptedAt.has(id)).size;
    if ((busy >= backlog && calm >= acceptedAt.size) || now() > deadline) break;
    if (now() - lastReport > 30_000) {
      ctx.log(`figure 7: busy ${busy}/${backlog}, quiet ${calm}/${acceptedAt.size} after ${((now() - t0) / 1000).toFixed(0)} s`);
      lastReport = now();
    }
    await sleep(200);
  }
  await sleep(2_000); // anything posted twice would show up here
  const probe = await ctx.probe.stop(backlog + acceptedAt.size);

  const ours = ctx.sink.posts.filter((p) => p.channel === NOISY_BUSY_CHANNEL || p.channel === NOISY_QUIET_CHANNEL);
  const busyPosts = ours.filter((p) => p.channel === NOISY_BUSY_CHANNEL);
  const firstQuiet = new Map<string, number>();
  for (const post of ours)
    if (post.channel === NOISY_QUIET_CHANNEL && post.interviewId && !firstQuiet.has(post.interviewId))
      firstQuiet.set(post.interviewId, post.at);
  const latencies = [...acceptedAt].filter(([id]) => firstQuiet.has(id)).map(([id, at]) => firstQuiet.get(id)! - at);
  const lastBusy = busyPosts.length > 0 ? Math.max(...busyPosts.map((p) => p.at)) : Number.NaN;
  const limitedIn = (channel: string) => ctx.sink.limited.filter((l) => l.channel === channel).length;
  const limited = { busy: limitedIn(NOISY_BUSY_CHANNEL), quiet: limitedIn(NOISY_QUIET_CHANNEL) };
  const busyDelivered = delivered(NOISY_BUSY_CHANNEL, (id) => busyIds.has(id)).size;
  const quietDelivered = [...acceptedAt.keys()].filter((id) => firstQuiet.has(id)).length;
  const result: NoisyResult = {
    backlog,
    boundSeconds,
    drainSeconds: (lastBusy - t0) / 1000,
    ingestSeconds,
    busyDelivered,
    quietSent: quiet,
    quietAccepted: acceptedAt.size,
    quietDelivered,
    quietDuringDrain: [...acceptedAt.keys()].filter((id) => (firstQuiet.get(id) ?? Infinity) < lastBusy).length,
    quiet: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.length ? Math.max(...latencies) : Number.NaN },
    quietRefused,
    calls: ours.length + limited.busy + limited.quiet,
    limited,
    duplicates: ours.length - new Set(ours.map((p) => p.deliveryId ?? '?')).size,
    missing: { busy: backlog - busyDelivered, quiet: acceptedAt.size - quietDelivered },
    probe,
  };
  return { result, rows: rowsOf(result, ctx.quick) };
}

const seconds = (valueMs: number) => (valueMs / 1000).toFixed(2);

function rowsOf(r: NoisyResult, quick: boolean): Row[] {
  const ratio = r.drainSeconds / r.boundSeconds;
  const limited = r.limited.busy + r.limited.quiet;
  const share = limited / Math.max(1, r.calls);
  const size = quick ? ', --quick' : '';
  return [
    {
      key: 'noisy-quiet',
      figure: `7. noisy neighbour: quiet channel accepted → message p50 / p99 / max (spec B, 1 per ${QUIET_EVERY_MS / 1000} s; ${r.quietDelivered}/${r.quietAccepted} delivered of ${r.quietSent} sent${size})`,
      value: `${seconds(r.quiet.p50)} / ${seconds(r.quiet.p99)} / ${seconds(r.quiet.max)} s`,
      anchor: '–',
      ratio: '–',
      target: 'p99 ≤ 1 s',
      pass: r.quiet.p99 <= 1_000 && r.quietDelivered === r.quietSent,
    },
    {
      key: 'noisy-drain',
      figure: `7. noisy neighbour: busy channel drain (${r.backlog} of spec A in 1 ch; ${r.busyDelivered}/${r.backlog} delivered${size})`,
      value: `${r.drainSeconds.toFixed(1)} s`,
      anchor: `${r.boundSeconds.toFixed(1)} s bound`,
      ratio: x(ratio),
      target: '≤ 1.10×',
      pass: ratio <= 1.1 && r.busyDelivered === r.backlog,
    },
    {
      key: 'noisy-429',
      figure: `7. noisy neighbour: 429s (of ${r.calls} postMessage calls; busy ${r.limited.busy}, quiet ${r.limited.quiet})`,
      value: `${limited} (${(share * 100).toFixed(2)}%)`,
      anchor: '–',
      ratio: '–',
      target: '≤ 1%',
      pass: share <= 0.01,
    },
    {
      key: 'noisy-dup',
      figure: '7. noisy neighbour: duplicates / missing (both channels)',
      value: `${r.duplicates} / ${r.missing.busy + r.missing.quiet}`,
      anchor: '–',
      ratio: '–',
      target: '0 / 0',
      pass: r.duplicates === 0 && r.missing.busy + r.missing.quiet === 0,
    },
  ];
}
