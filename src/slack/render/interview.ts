import type { types } from '@slack/bolt';
import { MAX_COMPETENCIES, MAX_NAME_LENGTH } from '../../domain/spec';
import type { InterviewResultView } from '../../services/interview-views';
import { context, pack, section } from './blocks';
import { clip, code, joinMrkdwn, link, mrkdwn, type Mrkdwn } from './mrkdwn';
import { oneLine, safeUrl, when } from './text';

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
  const head = mrkdwn`*${name}* · ${oneLine(view.spec.title, MAX_TITLE)} (${slugSpan(slug)})\n${outcome(view)} · ${versionLabel(view)}${view.rescored ? mrkdwn` · _rescored_` : ''}`;
  const blocks: KnownBlock[] = [section(head)];

  const shown = rowsToShow(view);
  if (shown.length) {
    const rows = shown.slice(0, MAX_COMPETENCIES).map(mrkdwnRow);
    const hidden = shown.length - rows.length;
    if (hidden > 0) rows.push(mrkdwn`_…and ${hidden} more competencies not shown_`);
    for (const text of pack(rows, SECTION_BUDGET)) blocks.push(section(text));
  }

  const facts = [mrkdwn`Interview ${slugSpan(oneLine(view.interviewId, 100))}`];
  if (view.completedAt && !Number.isNaN(view.completedAt.getTime())) facts.push(mrkdwn`completed ${when(view.completedAt)}`);
  const url = safeUrl(view.reportUrl);
  if (url) facts.push(link(url, mrkdwn`Open the full report`));
  blocks.push(context(joinMrkdwn(facts, ' · ')));

  return { text: clip(fallback(view, name, slug), MAX_SECTION_TEXT).toString(), blocks };
}

/** Plain text for the CLI and logs: no markup, one competency per line, same privacy rule as Slack. */
export function renderInterviewResultText(view: InterviewResultView): string {
  const lines = [
    `${candidate(view)} — ${oneLine(view.spec.title, MAX_TITLE)} (${oneLine(view.spec.slug, MAX_SLUG)})`,
    `${outcomeText(view)} · ${versionLabel(view)}${view.rescored ? ' · rescored' : ''}`,
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

function outcome(view: InterviewResultView): Mrkdwn {
  return view.status === 'completed' && view.overall !== null ? mrkdwn`*${oneLine(view.overall, 10)}* / 100` : mrkdwn`${outcomeText(view)}`;
}

function outcomeText(view: InterviewResultView): string {
  switch (view.status) {
    case 'completed':
      if (view.overall === null) return 'Completed — not scored yet';
      return `Overall ${oneLine(view.overall, 10)} / 100`;
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

function mrkdwnRow(competency: Competency): Mrkdwn {
  const score = competency.score === null ? mrkdwn`not scored` : mrkdwn`*${oneLine(competency.score, 10)}*`;
  return mrkdwn`${code(scoreBar(competency.scoreValue))} ${score} · ${oneLine(competency.name, MAX_NAME_LENGTH)} · weight ${oneLine(competency.weight, 10)}`;
}

/** A span whose text is escaped in full (look-alikes too): the interview id comes from the platform unchecked. */
function slugSpan(text: string): Mrkdwn {
  return mrkdwn`\`${text}\``;
}

function fallback(view: InterviewResultView, name: string, slug: string): Mrkdwn {
  const spec = mrkdwn`${slug} (v${view.version}${view.rescored ? ', rescored' : ''})`;
  switch (view.status) {
    case 'completed':
      return view.overall === null
        ? mrkdwn`${name} completed the interview for ${spec}; not scored yet`
        : mrkdwn`${name} scored ${oneLine(view.overall, 10)}/100 for ${spec}`;
    case 'abandoned':
      return mrkdwn`${name} abandoned the interview for ${spec}`;
    case 'started':
      return mrkdwn`${name} started the interview for ${spec}`;
  }
}
