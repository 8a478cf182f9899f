import type { FakeSlack, PostedMessage } from '../../test/support/fake-slack';
import { sleep } from './rig';

/** One drill's outcome, printed the same way for every drill. */
export interface DrillResult {
  name: string;
  pass: boolean;
  lines: [string, string | number][];
  notes: string[];
  seconds: number;
}

// the report link carries the interview id verbatim (the visible id has its underscores escaped);
// a result message's link is "Open the full report" (a digest links its top candidates by name)
const INTERVIEW = /interviews\.example\.com\/r\/([^|>"]+)\|Open the full report>/;

const interviewOf = new WeakMap<object, string>();

/** The interview a delivered result message is about ('' for anything else, e.g. a digest). */
export function interviewIn(message: PostedMessage): string {
  if (message.metadata?.event_type !== 'panelist_delivery') return '';
  let interview = interviewOf.get(message);
  if (interview === undefined) {
    // cached: the drain loop polls this often, and stringifying 10k messages each time costs CPU the app needs
    interview = INTERVIEW.exec(JSON.stringify(message.blocks ?? ''))?.[1] ?? '';
    interviewOf.set(message, interview);
  }
  return interview;
}

/** (interview id, channel) → how many messages the fake Slack holds for it. */
export function arrivals(slack: FakeSlack): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [channel, messages] of slack.messages) {
    for (const message of messages) {
      const interview = interviewIn(message);
      if (!interview) continue;
      const key = `${interview} ${channel}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** Every (interview, channel) pair a drill expects one message for. */
export function expectedPairs(interviews: Iterable<string>, channelsOf: (interview: string) => string[]): Set<string> {
  const pairs = new Set<string>();
  for (const interview of interviews) for (const channel of channelsOf(interview)) pairs.add(`${interview} ${channel}`);
  return pairs;
}

export interface Delivered {
  expected: number;
  arrived: number;
  missing: string[];
  twice: string[];
  unexpected: number;
}

export function compare(expected: Set<string>, counts: Map<string, number>): Delivered {
  const missing = [...expected].filter((pair) => !counts.has(pair));
  const twice = [...counts].filter(([, n]) => n > 1).map(([pair, n]) => `${pair} ×${n}`);
  let arrived = 0;
  for (const pair of expected) if (counts.has(pair)) arrived += 1;
  const unexpected = [...counts.keys()].filter((pair) => !expected.has(pair)).length;
  return { expected: expected.size, arrived, missing, twice, unexpected };
}

/**
 * Polls (the fake Slack's messages, or any count of arrivals) until every expected pair arrived (or `timeoutMs`), then keeps watching `settleMs` more so a
 * late second copy is caught too. Prints progress every 10 s.
 */
export async function waitForDrain(
  source: FakeSlack | (() => Map<string, number>),
  expected: Set<string>,
  options: { timeoutMs: number; settleMs?: number; log?: (line: string) => void },
): Promise<{ delivered: Delivered; drainSeconds: number }> {
  const arrived = typeof source === 'function' ? source : () => arrivals(source);
  const started = Date.now();
  let lastLog = started;
  for (;;) {
    const delivered = compare(expected, arrived());
    if (delivered.missing.length === 0 || Date.now() - started > options.timeoutMs) break;
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      options.log?.(`  …waiting: ${delivered.arrived}/${delivered.expected} arrived`);
    }
    await sleep(250);
  }
  const drainSeconds = (Date.now() - started) / 1000;
  await sleep(options.settleMs ?? 3_000);
  return { delivered: compare(expected, arrived()), drainSeconds };
}

/** The lines every delivery drill prints: sent, accepted, arrived, missing, twice. */
export function deliveryLines(sent: number, accepted: number, delivered: Delivered): [string, string | number][] {
  return [
    ['events sent (distinct)', sent],
    ['events accepted (202 or 200 duplicate)', accepted],
    ['messages expected (interview × channel)', delivered.expected],
    ['arrived', delivered.arrived],
    ['missing', delivered.missing.length],
    ['arrived twice', delivered.twice.length],
  ];
}

export function samples(label: string, items: string[], max = 5): string[] {
  return items.length === 0 ? [] : [`${label}: ${items.slice(0, max).join(', ')}${items.length > max ? ` … (${items.length})` : ''}`];
}

export function printResult(result: DrillResult): void {
  const width = Math.max(...result.lines.map(([label]) => label.length));
  console.log(`\n== ${result.name}: ${result.pass ? 'PASS' : 'FAIL'} (${result.seconds.toFixed(1)} s)`);
  for (const [label, value] of result.lines) console.log(`  ${label.padEnd(width)}  ${value}`);
  for (const note of result.notes) console.log(`  - ${note}`);
}

/** Runs `count` tasks with at most `concurrency` in flight. */
export async function pool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Status code → count, printed as "202×10000 200×20000". */
export function statusLine(statuses: Map<number, number>): string {
  return (
    [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status === 0 ? 'no answer' : status}×${n}`)
      .join(' ') || '-'
  );
}

export function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}
