import { FakeSlack } from '../../test/support/fake-slack';
import { ChannelLimit, retryAfterSeconds } from '../perf/channel-limit';
import { openLoop, percentile } from '../perf/util';
import { channelsOf, deliveryStatuses, makeEvent, sendAsPlatform, setupDelivery, type DrillEvent } from './load';
import { bump, deliveryLines, expectedPairs, interviewIn, pool, samples, statusLine, waitForDrain, type DrillResult } from './tally';

const RATE = 1;
const BURST = 3;
const QUIET_EVERY_MS = 2_000;

/**
 * The fake Slack with Slack's per-channel limit on chat.postMessage and chat.update (1 message/s,
 * burst 3, as the benchmark's SlackSink): a call over it is answered 429 with Retry-After.
 */
export function pacedSlack(): { slack: FakeSlack; limited: Map<string, number> } {
  const slack = new FakeSlack();
  const limit = new ChannelLimit({ ratePerSecond: RATE, burst: BURST });
  const limited = new Map<string, number>();
  slack.gate = (method, args) => {
    if (method !== 'chat.postMessage' && method !== 'chat.update') return undefined;
    const earlyMs = limit.take(String(args.channel), Date.now());
    if (earlyMs === undefined) return undefined;
    bump(limited, String(args.channel));
    return { kind: 'status', status: 429, retryAfter: retryAfterSeconds(earlyMs) };
  };
  return { slack, limited };
}

/**
 * Noisy neighbour (benchmark figure 7, smaller): a channel following one spec gets a backlog of 300
 * completed interviews (quick: 60) while a channel following another spec gets one every 2 s (30;
 * quick: 10). The app runs with Slack's pacing (SLACK_CHANNEL_RATE=1, BURST=3) against a fake Slack
 * that enforces it. Fails when the quiet channel's accepted → message p99 is over 1 s, or any
 * message is missing or arrives twice. The busy channel's drain against its bound is reported.
 */
export async function noisyNeighbour(options: { quick: boolean; log: (line: string) => void }): Promise<DrillResult> {
  const started = Date.now();
  const backlog = options.quick ? 60 : 300;
  const quietCount = options.quick ? 10 : 30;
  const boundSeconds = (backlog - BURST) / RATE;
  const { slack, limited } = pacedSlack();
  const setup = await setupDelivery({
    specCount: 2,
    channelsPerSpec: 1,
    slack,
    name: 'noisy',
    env: { SLACK_CHANNEL_RATE: String(RATE), SLACK_CHANNEL_BURST: String(BURST) },
  });
  const [busy, quiet] = setup.specs.map((spec) => spec.channels[0]!) as [string, string];
  try {
    // makeEvent sends event i to spec i mod 2: even numbers are the busy channel's, odd ones the quiet channel's
    const events = new Map<string, DrillEvent>();
    const statuses = new Map<number, number>();
    const refused: string[] = [];
    const send = async (event: DrillEvent) => {
      events.set(event.interviewId, event);
      const status = await sendAsPlatform(setup.rig, event, statuses);
      if (status !== 202 && status !== 200) refused.push(`${event.eventId}: ${status}`);
      return status;
    };
    options.log(`  ${backlog} interviews for ${busy} (8 senders), then ${quietCount} for ${quiet}, one every ${QUIET_EVERY_MS / 1000} s`);
    const t0 = Date.now();
    await pool(backlog, 8, async (i) => void (await send(makeEvent(setup, 'noisy', 2 * i))));
    const ingestSeconds = (Date.now() - t0) / 1000;
    const acceptedAt = new Map<string, number>();
    const pending: Promise<void>[] = [];
    await openLoop(1000 / QUIET_EVERY_MS, quietCount * QUIET_EVERY_MS, (k) => {
      const event = makeEvent(setup, 'noisy', 2 * k + 1);
      pending.push(
        send(event).then((status) => void (status === 202 || status === 200 ? acceptedAt.set(event.interviewId, Date.now()) : undefined)),
      );
    });
    await Promise.all(pending);

    const expected = expectedPairs(events.keys(), channelsOf(setup, events));
    const { delivered } = await waitForDrain(slack, expected, { timeoutMs: (boundSeconds * 1.5 + 60) * 1000, log: options.log });
    const firstIn = (channel: string) => {
      const first = new Map<string, number>();
      for (const message of slack.posted(channel)) {
        const id = interviewIn(message);
        if (id && !first.has(id)) first.set(id, message.at);
      }
      return first;
    };
    const quietFirst = firstIn(quiet);
    const latencies = [...acceptedAt].filter(([id]) => quietFirst.has(id)).map(([id, at]) => quietFirst.get(id)! - at);
    const p99 = percentile(latencies, 99);
    const busyTimes = [...firstIn(busy).values()];
    const lastBusy = busyTimes.length > 0 ? Math.max(...busyTimes) : Number.NaN;
    const drainSeconds = (lastBusy - t0) / 1000;
    const duringDrain = [...quietFirst.values()].filter((at) => at < lastBusy).length;
    const pass =
      p99 <= 1_000 &&
      latencies.length === quietCount &&
      refused.length === 0 &&
      delivered.missing.length === 0 &&
      delivered.twice.length === 0 &&
      delivered.unexpected === 0;
    const s = (ms: number) => (ms / 1000).toFixed(2);
    return {
      name: 'noisy neighbour',
      pass,
      seconds: (Date.now() - started) / 1000,
      lines: [
        ['busy channel: interviews of spec 0', `${backlog} (sent in ${ingestSeconds.toFixed(1)} s)`],
        ['quiet channel: interviews of spec 1', `${quietCount}, one every ${QUIET_EVERY_MS / 1000} s after the backlog`],
        ['answers', statusLine(statuses)],
        ...deliveryLines(events.size, events.size - refused.length, delivered),
        [
          'quiet: accepted → message p50 / p99 / max',
          `${s(percentile(latencies, 50))} / ${s(p99)} / ${s(latencies.length ? Math.max(...latencies) : Number.NaN)} s (target p99 ≤ 1 s)`,
        ],
        ['quiet messages that came while the busy channel drained', `${duringDrain}/${quietFirst.size}`],
        [
          'busy: first webhook → last message',
          `${drainSeconds.toFixed(1)} s, bound ${boundSeconds} s (${(drainSeconds / boundSeconds).toFixed(2)}×; info)`,
        ],
        ['429s busy / quiet', `${limited.get(busy) ?? 0} / ${limited.get(quiet) ?? 0}`],
        ['deliveries in the database', await deliveryStatuses(setup.rig.databaseUrl)],
        ['app log lines at error+', setup.rig.errorLineCount],
        ['app log', setup.rig.logFile],
      ],
      notes: [
        ...samples('refused', refused),
        ...samples('missing', delivered.missing),
        ...samples('twice', delivered.twice),
        ...samples('app errors', setup.rig.errorLines, 3),
      ],
    };
  } finally {
    await setup.rig.close();
  }
}
