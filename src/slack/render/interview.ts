import type { types } from '@slack/bolt';
import { MAX_COMPETENCIES, MAX_NAME_LENGTH } from '../../domain/spec';
import type { InterviewResultView } from '../../services/interview-views';
import { clip, escapeMrkdwn, linkTarget, literal, oneLine, pack, safeUrl, when } from './text';

type KnownBlock = types.KnownBlock;

/** Slack rejects a message with more blocks, or a section text longer than 3,000 characters. */
export const MAX_BLOCKS = 50;
export const MAX_SECTION_TEXT = 3000;
/** Room left under MAX_SECTION_TEXT so a packed section never sits on the limit. */
const SECTION_BUDGET = 2900;

const BAR_CELLS = 10;
const FULL = '▰';
const EMPTY = '▱';
const ANONYMOUS = 'A candidate';
// The candidate name comes from the interview platform, i.e. from the candidate; it is not validated
// like spec fields are, so it gets its own cap.
const MAX_CANDIDATE_NAME = 100;
const MAX_TITLE = 150;
const MAX_SLUG = 100;

/**
 * Ten cells, one per 10 points, rounded half up (4.9 → 0 cells, 5 → 1); "—" when not scored, because an
 * empty bar would read as a zero.
 */
export function scoreBar(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const clamped = Math.min(100, Math.max(0, value));
  // (v + 5) / 10 keeps the .5 boundaries exact for one-decimal scores, where v / 10 + 0.5 can drift.
  const cells = Math.floor((clamped + 5) / 10);
  return FULL.repeat(cells) + EMPTY.repeat(BAR_CELLS - cells);
}

/** The Slack message for one interview: channel post, and the `chat.update` body when it is rescored. */
export function renderInterviewResult(view: InterviewResultView): { text: string; blocks: KnownBlock[] } {
  const name = candidate(view);
  const slug = oneLine(view.spec.slug, MAX_SLUG);
  const lines = [
    `*${literal(name)}* · ${literal(oneLine(view.spec.title, MAX_TITLE))} (\`${literal(slug)}\`)`,
    `${outcome(view, 'mrkdwn')} · ${versionLabel(view)}${view.rescored ? ' · _rescored_' : ''}`,
  ];
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n')) } }];

  const shown = rowsToShow(view);
  if (shown.length) {
    const rows = shown.slice(0, MAX_COMPETENCIES).map(mrkdwnRow);
    const hidden = shown.length - rows.length;
    if (hidden > 0) rows.push(`_…and ${hidden} more competencies not shown_`);
    for (const text of pack(rows, SECTION_BUDGET)) blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
  }

  const context = [`Interview \`${literal(oneLine(view.interviewId, 100))}\``];
  if (view.completedAt && !Number.isNaN(view.completedAt.getTime())) context.push(`completed ${when(view.completedAt)}`);
  const url = safeUrl(view.reportUrl);
  if (url) context.push(`<${linkTarget(url)}|Open the full report>`);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(context.join(' · ')) }] });

  return { text: clip(fallback(view, literal(name), literal(slug)), MAX_SECTION_TEXT), blocks };
}

/** Plain text for the CLI and logs: no markup, one competency per line, same privacy rule as Slack. */
export function renderInterviewResultText(view: InterviewResultView): string {
  const lines = [
    `${candidate(view)} — ${oneLine(view.spec.title, MAX_TITLE)} (${oneLine(view.spec.slug, MAX_SLUG)})`,
    `${outcome(view, 'plain')} · ${versionLabel(view)}${view.rescored ? ' · rescored' : ''}`,
  ];
  for (const competency of rowsToShow(view)) {
    const score = (competency.score === null ? '—' : oneLine(competency.score, 10)).padStart(5);
    lines.push(
      `${scoreBar(competency.scoreValue)}  ${score}  ${oneLine(competency.name, MAX_NAME_LENGTH)} · weight ${oneLine(competency.weight, 10)}`,
    );
  }
  const url = safeUrl(view.reportUrl);
  if (url) lines.push(`Report: ${url}`);
  return lines.join('\n');
}

type Competency = InterviewResultView['competencies'][number];

function candidate(view: InterviewResultView): string {
  const name = view.candidateName === null ? '' : oneLine(view.candidateName, MAX_CANDIDATE_NAME);
  return name === '' ? ANONYMOUS : name;
}

function outcome(view: InterviewResultView, style: 'mrkdwn' | 'plain'): string {
  switch (view.status) {
    case 'completed':
      if (view.overall === null) return 'Completed — not scored yet';
      return style === 'mrkdwn' ? `*${literal(oneLine(view.overall, 10))}* / 100` : `Overall ${oneLine(view.overall, 10)} / 100`;
    case 'abandoned':
      return 'Abandoned — no score';
    case 'started':
      return 'In progress — not scored yet';
  }
}

// An unfinished interview normally has no scores; a block of "not scored" rows would only be noise.
// The version is pinned when the interview starts, but "scored with" is only true once it has been scored.
function versionLabel(view: InterviewResultView): string {
  return view.status === 'completed' ? `scored with v${view.version}` : `spec v${view.version}`;
}

function rowsToShow(view: InterviewResultView): Competency[] {
  if (view.status === 'completed' || view.competencies.some((c) => c.score !== null)) return view.competencies;
  return [];
}

function mrkdwnRow(competency: Competency): string {
  const bar = `\`${scoreBar(competency.scoreValue)}\``;
  const score = competency.score === null ? 'not scored' : `*${literal(oneLine(competency.score, 10))}*`;
  return `${bar} ${score} · ${literal(oneLine(competency.name, MAX_NAME_LENGTH))} · weight ${literal(oneLine(competency.weight, 10))}`;
}

function fallback(view: InterviewResultView, name: string, slug: string): string {
  const spec = `${slug} (v${view.version}${view.rescored ? ', rescored' : ''})`;
  switch (view.status) {
    case 'completed':
      return view.overall === null
        ? `${name} completed the interview for ${spec}; not scored yet`
        : `${name} scored ${literal(oneLine(view.overall, 10))}/100 for ${spec}`;
    case 'abandoned':
      return `${name} abandoned the interview for ${spec}`;
    case 'started':
      return `${name} started the interview for ${spec}`;
  }
}

