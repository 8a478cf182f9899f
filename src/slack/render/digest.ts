import type { types } from '@slack/bolt';
import { DateTime } from 'luxon';
import type { DigestSpecSection, DigestView } from '../../services/digest-views';
import { linkTarget, literal, oneLine, pack, safeUrl } from './text';

type KnownBlock = types.KnownBlock;
type Message = { text: string; blocks: KnownBlock[] };

/**
 * Specs per Slack message. A section is at most five blocks (figures, competencies in one or two
 * packed sections, top candidates, link), so five specs plus the heading stay far under 50 blocks.
 * Callers split a digest into ceil(specs / this) deliveries when they claim it.
 */
export const DIGEST_SPECS_PER_MESSAGE = 5;
const SECTION_BUDGET = 2900;
const ANONYMOUS = 'A candidate';

export function digestMessageCount(specCount: number): number {
  return Math.max(1, Math.ceil(specCount / DIGEST_SPECS_PER_MESSAGE));
}

/** Message `part` (1-based) of `parts`; a quiet week is a single short message. */
export function renderDigestPart(view: DigestView, part: number, parts: number): Message | undefined {
  if (view.quiet) return part === 1 ? quietMessage(view) : undefined;
  const specs = view.specs.slice((part - 1) * DIGEST_SPECS_PER_MESSAGE, part * DIGEST_SPECS_PER_MESSAGE);
  // The spec list can grow between claim and send; the last part carries whatever is left.
  const rest = part === parts ? view.specs.slice(part * DIGEST_SPECS_PER_MESSAGE) : [];
  const shown = [...specs, ...rest].slice(0, DIGEST_SPECS_PER_MESSAGE * 2);
  if (shown.length === 0) return undefined;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `Weekly digest · ${range(view)}${parts > 1 ? ` (part ${part} of ${parts})` : ''}` } },
  ];
  if (view.late) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Sent late: Panelist was catching up after downtime.' }] });
  for (const spec of shown) blocks.push({ type: 'divider' }, ...specBlocks(spec));
  const completed = shown.reduce((total, spec) => total + spec.completed, 0);
  return { text: `Weekly digest ${range(view)}: ${shown.length} spec${shown.length === 1 ? '' : 's'}, ${completed} completed interviews`, blocks: blocks.slice(0, 50) };
}

/** The whole digest as plain text (`panelist digests preview`). */
export function renderDigestText(view: DigestView): string {
  if (view.quiet) return quietMessage(view).text;
  const lines = [`Weekly digest ${range(view)}${view.late ? ' (sent late)' : ''}`];
  for (const spec of view.specs) {
    lines.push('', `${oneLine(spec.title, 150)} (${spec.slug})`);
    if (!active(spec)) {
      lines.push('  No interviews this week.');
      continue;
    }
    lines.push(`  ${figures(spec).join(' · ')}`);
    for (const c of spec.competencies) lines.push(`  ${oneLine(c.name, 100)}: ${c.average ?? '—'} (n=${c.n})`);
    spec.top.forEach((t, index) => lines.push(`  ${index + 1}. ${t.candidateName === null ? ANONYMOUS : oneLine(t.candidateName, 100)} ${t.overall}`));
    if (safeUrl(spec.specUrl)) lines.push(`  ${safeUrl(spec.specUrl)}`);
  }
  return lines.join('\n');
}

function quietMessage(view: DigestView): Message {
  const text = `Quiet week: no interviews for the specs this channel follows between ${range(view)}.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

function specBlocks(spec: DigestSpecSection): KnownBlock[] {
  const title = `*${literal(oneLine(spec.title, 150))}* · \`${literal(oneLine(spec.slug, 100))}\``;
  if (!active(spec)) return [{ type: 'section', text: { type: 'mrkdwn', text: `${title}\nNo interviews this week.` } }];
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `${title}\n${figures(spec).join(' · ')}` } }];
  const rows = spec.competencies.map((c) => `${literal(oneLine(c.name, 100))} *${c.average ?? '—'}* (n=${c.n})`);
  for (const text of pack(rows, SECTION_BUDGET).slice(0, 2)) blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
  if (spec.top.length > 0) {
    const top = spec.top.map((t, index) => {
      const name = t.candidateName === null ? ANONYMOUS : literal(oneLine(t.candidateName, 100));
      const url = safeUrl(t.reportUrl);
      return `${index + 1}. ${url ? `<${linkTarget(url)}|${name}>` : name} *${t.overall}*`;
    });
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Top candidates*\n${top.join('\n')}` } });
  }
  const specUrl = safeUrl(spec.specUrl);
  if (specUrl) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `<${linkTarget(specUrl)}|Open the spec>` }] });
  return blocks;
}

function figures(spec: DigestSpecSection): string[] {
  const rate = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);
  return [
    `started ${spec.started} (${countDelta(spec.started, spec.previous.started)})`,
    `completed ${spec.completed} (${countDelta(spec.completed, spec.previous.completed)})`,
    `abandoned ${spec.abandoned} (${countDelta(spec.abandoned, spec.previous.abandoned)})`,
    `completion rate ${rate(spec.completionRate)}${pointsDelta(spec.completionRate, spec.previous.completionRate)}`,
    `average score ${spec.averageScore ?? '—'}${scoreDelta(spec.averageScore, spec.previous.averageScore)}`,
  ];
}

function active(spec: DigestSpecSection): boolean {
  return spec.started + spec.completed + spec.abandoned > 0;
}

function countDelta(now: number, before: number): string {
  const delta = now - before;
  return delta > 0 ? `▲${delta}` : delta < 0 ? `▼${-delta}` : '±0';
}

function pointsDelta(now: number | null, before: number | null): string {
  if (now === null || before === null) return '';
  const delta = Math.round(now * 100) - Math.round(before * 100);
  return ` (${delta > 0 ? `▲${delta}` : delta < 0 ? `▼${-delta}` : '±0'} pts)`;
}

/** "77.9" vs "76.7" → " (▲1.2)", in integer tenths: no binary floats. */
function scoreDelta(now: string | null, before: string | null): string {
  if (now === null || before === null) return '';
  const tenths = (value: string) => Number(value.replace('.', ''));
  const delta = tenths(now) - tenths(before);
  const magnitude = Math.abs(delta);
  const text = `${Math.floor(magnitude / 10)}.${magnitude % 10}`;
  return ` (${delta > 0 ? `▲${text}` : delta < 0 ? `▼${text}` : '±0.0'})`;
}

function range(view: DigestView): string {
  const format = (date: Date) => DateTime.fromJSDate(date, { zone: view.timeZone }).toFormat('LLL d');
  // The period ends at the scheduled time; its last full day is the day before.
  return `${format(view.periodStart)} – ${format(new Date(view.periodEnd.getTime() - 1))}`;
}
