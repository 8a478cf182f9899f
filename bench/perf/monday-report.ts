import type { BareClientRun } from './monday-anchor';
import type { Client as PgClient } from 'pg';
import { DIGEST_KIND } from '../../src/services/digests';
import { ms, x, type Row } from './context';
import { DIGEST_CHANNEL_PREFIX, LIVE_CHANNEL_PREFIX, type chooseDue, type MondaySize } from './monday-seed';
import type { InterviewLoad, TransactionReport } from './monday-watch';
import { describe, type ProbeReport } from './probe';
import type { SlackSink } from './slack-sink';
import { percentile } from './util';

export interface MondayInput {
  size: MondaySize;
  scheduled: number;
  concurrency: number;
  latencyMs: number;
  boundMs: number;
  deadlineMs: number;
  /** performance.now() of the due minute, and of the watch's start */
  dueAt: number;
  watchStart: number;
  when: ReturnType<typeof chooseDue>;
  sink: SlackSink;
  load: InterviewLoad;
  transactions: TransactionReport;
  probe: ProbeReport;
  memory?: { peakMiB: number; rssMiB: number };
  memoryBefore?: { peakMiB: number; rssMiB: number };
  /** the app's chart process (with PUBLIC_URL), if one was running at the end */
  chartProcess?: { peakMiB: number; rssMiB: number; sharedMiB: number };
  /** the app's log (LOG_LEVEL=warn): counts and its most frequent messages */
  log: { warn: number; error: number; samples: string[] };
}

/** What the run showed, as plain numbers (kept in the run's JSON record). */
export interface MondayResult {
  size: MondaySize;
  concurrency: number;
  latencyMs: number;
  occurrence: string;
  due: string;
  boundSeconds: number;
  deadlineSeconds: number;
  timedOut: boolean;
  firstSentSeconds: number;
  lastSentSeconds: number;
  /** digests answered by the fake Slack (distinct delivery ids), calls for them, distinct channels */
  posted: number;
  postCalls: number;
  channels: number;
  duplicates: number;
  /** stillDue: schedules whose time had come but were not claimed; specsWithWeek: specs with completed interviews in the digests' week */
  db: { digests: number; late: number; deliveries: number; sent: number; stillDue: number; specsWithWeek: number };
  /** seconds after due: first digest row committed, all committed (NaN if never) */
  firstClaimedSeconds: number;
  allClaimedSeconds: number;
  claimCurve: [number, number][];
  transactions: Omit<TransactionReport, 'claimed'>;
  live: {
    rate: number;
    sent: number;
    accepted: number;
    refused: Record<string, number>;
    delivered: number;
    p50: number;
    p99: number;
    max: number;
    baselineP50: number;
    baselineP99: number;
    baselineN: number;
  };
  probe: ProbeReport;
  memory?: { peakMiB: number; rssMiB: number };
  memoryBefore?: { peakMiB: number; rssMiB: number };
  chartProcess?: MondayInput['chartProcess'];
  log: MondayInput['log'];
  /** the anchor (monday-anchor.ts), run after the figure */
  bareClient?: BareClientRun;
}

export async function mondayOutcome(pg: PgClient, input: MondayInput): Promise<MondayResult> {
  const { dueAt, sink } = input;
  const digestPosts = sink.posts.filter((p) => p.channel.startsWith(DIGEST_CHANNEL_PREFIX) && p.answeredAt !== undefined);
  const answered = digestPosts.map((p) => p.answeredAt! - dueAt);
  const ids = new Set(digestPosts.map((p) => p.deliveryId ?? '?'));
  const db = (
    await pg.query<MondayResult['db']>(
      `SELECT (SELECT count(*) FROM digest)::int AS digests, (SELECT count(*) FROM digest WHERE late)::int AS late,
              (SELECT count(*) FROM delivery WHERE kind = $1)::int AS deliveries,
              (SELECT count(*) FROM delivery WHERE kind = $1 AND status = 'sent')::int AS sent,
              (SELECT count(*) FROM digest_schedule WHERE channel_id LIKE '${DIGEST_CHANNEL_PREFIX}%' AND next_run_at <= now())::int AS "stillDue",
              (SELECT count(DISTINCT spec_id) FROM interview_rollup
                WHERE bucket >= $2::timestamptz - interval '7 days' AND bucket < $2::timestamptz AND completed > 0
                  AND spec_id::text IN (SELECT scope FROM subscription WHERE channel_id LIKE '${DIGEST_CHANNEL_PREFIX}%'))::int AS "specsWithWeek"`,
      [DIGEST_KIND, input.when.occurrence.toISOString()],
    )
  ).rows[0]!;
  const curve = input.transactions.claimed.map(([t, n]): [number, number] => [Math.round((input.watchStart + t - dueAt) / 100) / 10, n]);
  const claimedAt = (n: number) => curve.find(([, count]) => count >= n)?.[0] ?? Number.NaN;
  const fromDue = curve.filter(([t]) => t >= -1);

  const livePosts = new Map<string, number>();
  for (const post of sink.posts) {
    if (
      post.channel.startsWith(LIVE_CHANNEL_PREFIX) &&
      post.interviewId &&
      post.answeredAt !== undefined &&
      !livePosts.has(post.interviewId)
    )
      livePosts.set(post.interviewId, post.answeredAt);
  }
  const during: number[] = [];
  const before: number[] = [];
  let acceptedDuring = 0;
  for (const [id, acceptedAt] of input.load.accepted) {
    if (acceptedAt >= dueAt) acceptedDuring += 1;
    const postedAt = livePosts.get(id);
    if (postedAt !== undefined) (acceptedAt >= dueAt ? during : before).push(postedAt - acceptedAt);
  }
  const { claimed: _claimed, ...transactions } = input.transactions;
  return {
    size: input.size,
    concurrency: input.concurrency,
    latencyMs: input.latencyMs,
    occurrence: input.when.occurrence.toISOString(),
    due: input.when.due.toISOString(),
    boundSeconds: input.boundMs / 1000,
    deadlineSeconds: input.deadlineMs / 1000,
    timedOut: ids.size < input.scheduled,
    firstSentSeconds: answered.length ? Math.min(...answered) / 1000 : Number.NaN,
    lastSentSeconds: answered.length ? Math.max(...answered) / 1000 : Number.NaN,
    posted: ids.size,
    postCalls: digestPosts.length,
    channels: new Set(digestPosts.map((p) => p.channel)).size,
    duplicates: digestPosts.length - ids.size,
    db,
    firstClaimedSeconds: claimedAt(1),
    allClaimedSeconds: claimedAt(input.scheduled),
    // from just before due, only where the count moved (each commit of claimed digests shows as a step)
    claimCurve: fromDue.filter(([, count], i) => i === 0 || count !== fromDue[i - 1]![1]),
    transactions,
    live: {
      rate: input.load.ratePerSecond,
      sent: input.load.sent,
      accepted: acceptedDuring,
      refused: input.load.refused,
      delivered: during.length,
      p50: percentile(during, 50),
      p99: percentile(during, 99),
      max: during.length ? Math.max(...during) : Number.NaN,
      baselineP50: percentile(before, 50),
      baselineP99: percentile(before, 99),
      baselineN: before.length,
    },
    probe: input.probe,
    memory: input.memory,
    memoryBefore: input.memoryBefore,
    chartProcess: input.chartProcess,
    log: input.log,
  };
}

const s = (seconds: number) => (Number.isFinite(seconds) ? `${seconds.toFixed(1)} s` : '–');

export function mondayRows(r: MondayResult, quick: boolean): { rows: Row[]; notes: string[] } {
  const n = r.size.channels;
  const label = `${n.toLocaleString('en')} ch / ${r.size.specs} specs / ${r.size.workspaces} ws${quick ? ', --quick' : ''}`;
  const ratio = r.lastSentSeconds / r.boundSeconds;
  const allOnce = r.posted === n && r.duplicates === 0 && r.db.digests === n;
  const refused = Object.values(r.live.refused).reduce((a, b) => a + b, 0);
  const longest = r.transactions.longest;
  const rows: Row[] = [
    {
      key: 'monday-xact',
      figure: `8. Monday 09:00 (${label}): longest app transaction`,
      value: ms(longest.ms),
      anchor: longest.applicationName,
      ratio: '–',
      target: '≤ 1000 ms',
      pass: longest.ms <= 1000,
    },
    {
      key: 'monday-first',
      figure: '8. first digest sent, after it fell due',
      value: s(r.firstSentSeconds),
      anchor: '–',
      ratio: '–',
      target: '≤ 5 s',
      pass: r.firstSentSeconds <= 5,
    },
    {
      key: 'monday-last',
      figure: `8. last digest sent, after due (${r.posted}/${n} sent${r.timedOut ? `, stopped at ${r.deadlineSeconds.toFixed(0)} s` : ''})`,
      value: r.timedOut ? `> ${r.deadlineSeconds.toFixed(0)} s` : s(r.lastSentSeconds),
      anchor: `${r.boundSeconds.toFixed(1)} s bound`,
      ratio: r.timedOut ? '–' : x(ratio),
      target: '≤ 1.10×',
      pass: !r.timedOut && ratio <= 1.1 && allOnce,
    },
    {
      key: 'monday-count',
      figure: '8. digests posted / digest rows / duplicates',
      value: `${r.posted} / ${r.db.digests} / ${r.duplicates}`,
      anchor: `${n} channels`,
      ratio: '–',
      target: `${n} / ${n} / 0`,
      pass: allOnce,
    },
    {
      key: 'monday-live',
      figure: `8. interview accepted → message p50 / p99 meanwhile (${r.live.delivered}/${r.live.accepted} at ${r.live.rate}/s${
        refused
          ? `, ${refused} refused: ${Object.entries(r.live.refused)
              .map(([why, n]) => `${why}×${n}`)
              .join(' ')}`
          : ''
      })`,
      value: `${r.live.p50.toFixed(0)} / ${r.live.p99.toFixed(0)} ms`,
      anchor: `${r.live.baselineP50.toFixed(0)} / ${r.live.baselineP99.toFixed(0)} ms before due`,
      ratio: '–',
      target: 'p99 ≤ 1000 ms',
      pass: r.live.p99 <= 1000 && r.live.delivered === r.live.accepted && r.live.accepted > 0 && refused === 0,
    },
    {
      key: 'monday-memory',
      figure: r.chartProcess
        ? "8. app peak resident memory (VmHWM of the figure's own app + its chart process's, less the pages they share)"
        : "8. app peak resident memory (VmHWM, the figure's own app)",
      value: r.memory
        ? `${peakMiB(r).toFixed(0)} MiB${r.chartProcess ? ` (${r.memory.peakMiB.toFixed(0)} + ${(r.chartProcess.peakMiB - r.chartProcess.sharedMiB).toFixed(0)})` : ''}`
        : 'unknown',
      anchor: r.memoryBefore ? `${r.memoryBefore.peakMiB.toFixed(0)} MiB before due` : '–',
      ratio: '–',
      target: '≤ 200 MB',
      pass: r.memory ? peakMiB(r) * 1.048576 <= 200 : false,
    },
  ];
  const byApp = Object.entries(r.transactions.byApplication)
    .map(([app, t]) => `${app} ${t.ms.toFixed(0)} ms (${t.query ? `\`${t.query.slice(0, 70)}…\`` : 'no statement yet'})`)
    .join('; ');
  const notes = [
    `Monday 09:00: schedules at ${r.occurrence} (UTC), next_run_at ${r.due} = "due" (the clock's tick at that minute is the first to find them due); ` +
      `sent = the fake Slack's answer, ${r.latencyMs} ms after each call; bound = ceil(${n} / DELIVERY_CONCURRENCY ${r.concurrency}) × ${r.latencyMs} ms = ${r.boundSeconds.toFixed(1)} s. ` +
      `Digest rows committed: first at ${s(r.firstClaimedSeconds)}, all at ${s(r.allClaimedSeconds)} after due ` +
      `(committed count by seconds after due: ${r.claimCurve.map(([t, c]) => `${t} s ${c}`).join(', ')}); ${r.db.late} marked late; deliveries ${r.db.sent}/${r.db.deliveries} sent; ` +
      `${r.db.stillDue} schedules still due at the end${r.timedOut ? ` (stopped waiting ${r.deadlineSeconds.toFixed(0)} s after due)` : ''}; ` +
      `${r.db.specsWithWeek} of ${r.size.specs} specs had completed interviews in the digests' week.`,
    ...(r.chartProcess
      ? [
          `Monday 09:00 chart process (PUBLIC_URL set): peak ${r.chartProcess.peakMiB.toFixed(0)} MiB resident, ${r.chartProcess.sharedMiB.toFixed(0)} MiB of it pages of files the app maps too (node itself), ${r.chartProcess.rssMiB.toFixed(0)} MiB at the end; the app's CPU above includes it.`,
        ]
      : []),
    ...(r.bareClient ? [bareClientNote(r.bareClient, r.boundSeconds)] : []),
    `Monday 09:00 transactions (pg_stat_activity every ~100 ms, ${r.transactions.samples} samples): ${r.transactions.overOneSecond} over 1 s; longest per connection kind: ${byApp || 'none seen'}.`,
    `Monday 09:00 interviews: ${r.live.sent} sent at ${r.live.rate}/s from 10 s before due; ${r.live.baselineN} before due took p50 ${r.live.baselineP50.toFixed(0)} / p99 ${r.live.baselineP99.toFixed(0)} ms, ` +
      `those after due max ${r.live.max.toFixed(0)} ms (each includes the fake Slack's ${r.latencyMs} ms).`,
    // no digest sent: the probe's unit is 1, so its numbers are the window's totals
    describe(
      r.posted > 0
        ? 'Monday 09:00, per digest sent (the interview load included)'
        : 'Monday 09:00, no digest sent; in all, from due to the end',
      r.probe,
    ),
    `Monday 09:00 app log (LOG_LEVEL=warn): ${r.log.warn} warnings, ${r.log.error} errors${
      r.log.samples.length
        ? `; most frequent: ${r.log.samples
            .slice(0, 3)
            .map((m) => m.slice(0, 140))
            .join(' | ')}`
        : ''
    }.`,
  ];
  return { rows, notes };
}

/** The app's peak, plus its chart process's without the pages both map from the same files (node itself). */
function peakMiB(r: MondayResult): number {
  return (r.memory?.peakMiB ?? Number.NaN) + (r.chartProcess ? r.chartProcess.peakMiB - r.chartProcess.sharedMiB : 0);
}

function bareClientNote(bare: BareClientRun, boundSeconds: number): string {
  const perPost = bare.cpuMs / bare.posts;
  return (
    `Monday 09:00 anchor, Slack's Web API client alone (bench/perf/bare-post.ts: no database, no queue, no rendering; the figure's first digest as sent, ${bare.posts} times with ${bare.concurrency} in flight, to the same fake Slack): ` +
    `${s(bare.wallMs / 1000)} (${x(bare.wallMs / 1000 / boundSeconds)} the bound), ${perPost.toFixed(2)} ms of CPU a post, so ${s((perPost * bare.posts) / 1000)} of one core for the figure's posts before anything else.`
  );
}
