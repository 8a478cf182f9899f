import { LRUCache } from 'lru-cache';
import { DateTime, IANAZone } from 'luxon';
import { weeklyCompletion } from '../../domain/completion';
import type { DigestSpecSection, DigestView } from '../../services/digest-views';
import { linkTarget } from './mrkdwn';
import { oneLine, safeUrl } from './text';

export { fit } from './mrkdwn';

/** The digest's figures and dates as words, shared by the Slack blocks and the plain-text digest. */

const ANONYMOUS = 'A candidate';

/**
 * How a medium puts words together: Slack's `mrkdwn` tag (every value escaped) or `plainText` below.
 * The figures and rows are written once, as templates, so Slack and plain text always say the same.
 */
export type Tag<T> = (strings: TemplateStringsArray, ...values: (string | number | T)[]) => T;

/** The plain-text medium: values as they are (the caller has made them safe for a terminal). */
export const plainText: Tag<string> = (strings, ...values) =>
  strings.reduce((out, chunk, index) => out + String(values[index - 1]) + chunk);

/**
 * "started 5 (▲3)…", then "completion 60% (▲10 pts): 3 completed ÷ 5 started this week · average
 * score…". `score` makes a score string safe for the medium: scores are strings from the service,
 * never trusted as markup.
 */
export function figures<T>(tag: Tag<T>, spec: DigestSpecSection, score: (text: string) => T): T[] {
  const before = spec.previous;
  const average = spec.averageScore === null ? '—' : score(spec.averageScore);
  const scoreChange = scoreDelta(spec.averageScore, before.averageScore);
  return [
    tag`started ${spec.started} (${signed(spec.started - before.started)}) · completed ${spec.completed} (${signed(spec.completed - before.completed)}) · abandoned ${spec.abandoned} (${signed(spec.abandoned - before.abandoned)})`,
    tag`${weeklyCompletion(spec, before)} · average score ${average}${scoreChange === null ? '' : ` (${scoreChange})`}`,
  ];
}

/** "Financial Systems Design 81.0 (n=12)"; `name` arrives already made safe for its medium. */
export function competencyRow<T>(tag: Tag<T>, name: T, c: DigestSpecSection['competencies'][number], score: (text: string) => T): T {
  return tag`${name} ${c.average === null ? '—' : score(c.average)} (n=${c.n})`;
}

// A spec with starts but no completions has no averages yet; twenty "— (n=0)" rows would only be noise.
export function showsCompetencies(spec: DigestSpecSection): boolean {
  return spec.competencies.some((c) => c.n > 0);
}

export function active(spec: DigestSpecSection): boolean {
  return spec.started + spec.completed + spec.abandoned > 0;
}

function signed(delta: number): string {
  return delta > 0 ? `▲${delta}` : delta < 0 ? `▼${-delta}` : '±0';
}

/** "77.9" vs "76.7" → "▲1.2", in integer tenths so no binary float is involved; null when either side has no score. */
function scoreDelta(now: string | null, before: string | null): string | null {
  const a = tenths(now);
  const b = tenths(before);
  if (a === null || b === null) return null;
  const delta = a - b;
  const magnitude = Math.abs(delta);
  const text = `${Math.floor(magnitude / 10)}.${magnitude % 10}`;
  return delta > 0 ? `▲${text}` : delta < 0 ? `▼${text}` : `±${text}`;
}

function tenths(score: string | null): number | null {
  const match = score === null ? null : /^\s*(\d{1,9})(?:\.(\d))?\s*$/.exec(score);
  if (!match) return null;
  return Number(match[1]) * 10 + Number(match[2] ?? '0');
}

export function candidateName(name: string | null): string {
  // A blank name is no name; never fall back to anything derived from the candidate.
  const flat = name === null ? '' : oneLine(name, 100);
  return flat === '' ? ANONYMOUS : flat;
}

export function specTitle(spec: DigestSpecSection): string {
  for (const candidate of [spec.title, spec.slug, spec.specId]) if (oneLine(candidate, 1) !== '') return candidate;
  return 'Untitled spec';
}

/** An http(s) URL whose link target fits in `max` characters, or null when there is none or it would not. */
export function linkUrl(raw: string | null, max: number): string | null {
  if (max === 0) return null;
  const url = safeUrl(raw);
  if (url === null) return null;
  return linkTarget(url).length <= max ? url : null;
}

/**
 * Plain text goes to a terminal: besides the C0 controls `oneLine` removes, C1 controls (some terminals
 * read 0x9b as CSI) and bidi overrides could rewrite what is shown.
 */
export function plain(text: string, max: number): string {
  return oneLine(text.replace(/[\u0080-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' '), max);
}

/** The period as the channel's calendar shows it: its first and last day, and both for a short line. */
interface PeriodDays {
  start: string;
  end: string;
  /** "Nov 16–23" within a month, else "Nov 30 – Dec 6" */
  short: string;
}

/**
 * Every digest of a week shares its period and, mostly, its time zone: the labels are made once per
 * (period, zone), since luxon's formatting was a tenth of a Monday morning's CPU when made per part.
 */
const periodDays = new LRUCache<string, PeriodDays>({ max: 256 });

/** The period ends at the scheduled time, so its last day is the day of `periodEnd - 1 ms`. */
export function days(view: DigestView): PeriodDays {
  const key = `${view.periodStart.getTime()}/${view.periodEnd.getTime()}/${view.timeZone}`;
  let labels = periodDays.get(key);
  if (!labels) {
    labels = periodLabels(view);
    periodDays.set(key, labels);
  }
  return labels;
}

function periodLabels(view: DigestView): PeriodDays {
  // create() is cached per name; isValidZone would build an Intl formatter on every call
  const zone = IANAZone.create(view.timeZone).isValid ? view.timeZone : 'UTC';
  const first = DateTime.fromJSDate(view.periodStart, { zone });
  const last = DateTime.fromJSDate(new Date(view.periodEnd.getTime() - 1), { zone });
  const format = (date: DateTime) => (date.isValid ? date.toFormat('LLL d') : '?');
  const [start, end] = [format(first), format(last)];
  const short = first.isValid && last.isValid && first.hasSame(last, 'month') ? `${start}–${last.toFormat('d')}` : `${start} – ${end}`;
  return { start, end, short };
}

/** "Nov 16 – Nov 23" */
export function range(view: DigestView): string {
  const { start, end } = days(view);
  return `${start} – ${end}`;
}

/** "Nov 16–23" for the notification line, where space is short. */
export function shortRange(view: DigestView): string {
  return days(view).short;
}
