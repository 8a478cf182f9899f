import type { types } from '@slack/bolt';
import { MAX_NAME_LENGTH } from '../../domain/spec';
import type { DigestSpecSection, DigestView } from '../../services/digest-views';
import {
  active,
  candidateName,
  competencyRow,
  days,
  figures,
  fit,
  linkUrl,
  plain,
  plainText,
  range,
  shortRange,
  showsCompetencies,
  specTitle,
} from './digest-figures';
import { chartBlocks, MAX_ALT_TEXT } from './digest-chart';
import { joinMrkdwn, link, mrkdwn, type Mrkdwn } from './mrkdwn';
import { safeUrl } from './text';

type KnownBlock = types.KnownBlock;
export type DigestMessage = { text: string; blocks: KnownBlock[] };

/**
 * Specs per Slack message. `DigestService` fixes a digest's number of messages when it claims it,
 * from the number of followed specs alone (each message is its own delivery), so the split has to be
 * a function of the spec count, not of the content: spec i is always in message ⌊i / 5⌋ + 1. Digests
 * already claimed were counted with this value, so changing it strands in-flight parts.
 */
export const DIGEST_SPECS_PER_MESSAGE = 5;

const MAX_FIELDS = 10;
const MAX_FIELD_TEXT = 2000;
const MAX_HEADER_TEXT = 150;
/**
 * Slack also refuses a message whose blocks carry too much text in total (`msg_blocks_too_long`).
 * The threshold is undocumented; reports put it near 12,000 characters, some failing below that, so
 * the digest keeps well clear of it.
 */
export const MAX_MESSAGE_TEXT = 10_000;

/** Under Slack's 3,000 characters for a section or context text, so none sits on the limit. */
const SECTION_BUDGET = 2900;
/** Room for the heading, the late note and the overflow note; the rest is shared by the specs. */
const MESSAGE_OVERHEAD = 400;
const SPECS_BUDGET = MAX_MESSAGE_TEXT - MESSAGE_OVERHEAD;
/** Two sections of ten fields. */
const MAX_COMPETENCY_FIELDS = 2 * MAX_FIELDS;
const MAX_TOP_SHOWN = 10;
const LATE_NOTE = 'Sent late: Panelist was catching up after downtime.';
const NO_ACTIVITY = 'No interviews this week.';

/**
 * How long each untrusted string may be once escaped, from roomiest to tightest. A spec is drawn at the
 * first level where it fits its share of the message, with competency names as long as the rest leaves
 * room for (never below `minCompetency` at that level): ordinary specs show every name in full, and
 * twenty long competency names are shortened before titles and candidates are. The last level fits any
 * input (the limits test checks the worst case) because it drops links, whose length the platform,
 * not the spec, decides.
 */
const LEVELS: readonly Limits[] = [
  { title: 400, slug: 200, candidate: 300, link: 600, minCompetency: 48, chart: 1200 },
  { title: 150, slug: 100, candidate: 100, link: 300, minCompetency: 40, chart: 600 },
  { title: 100, slug: 60, candidate: 48, link: 200, minCompetency: 32, chart: 300 },
  { title: 60, slug: 40, candidate: 24, link: 0, minCompetency: 20, chart: 120 },
];
/** A competency name is at most MAX_NAME_LENGTH characters; escaping can make that several times longer. */
const MAX_COMPETENCY_TEXT = 300;

interface Limits {
  title: number;
  slug: number;
  candidate: number;
  /** 0: no links */
  link: number;
  minCompetency: number;
  /** the chart's words: the picture's alt text, or the line that stands in for it */
  chart: number;
}

/**
 * How many messages a digest takes. With a number (what `DigestService` knows when it claims), the
 * count for that many specs; with a view, also knowing that a quiet week is a single message.
 */
export function digestMessageCount(viewOrSpecCount: DigestView | number): number {
  if (typeof viewOrSpecCount !== 'number' && viewOrSpecCount.quiet) return 1;
  const specs = typeof viewOrSpecCount === 'number' ? viewOrSpecCount : viewOrSpecCount.specs.length;
  return Math.max(1, Math.ceil(Math.max(0, specs) / DIGEST_SPECS_PER_MESSAGE));
}

/** The whole digest as Slack messages, posted in order; each fits Slack's limits on its own. */
export function renderDigestMessages(view: DigestView): DigestMessage[] {
  const parts = digestMessageCount(view);
  const messages: DigestMessage[] = [];
  for (let part = 1; part <= parts; part += 1) {
    const message = renderDigestPart(view, part, parts);
    if (message) messages.push(message);
  }
  return messages;
}

/**
 * Whether `renderDigestPart` has a message for this part, without drawing it: the delivery run asks
 * before it posts, and drawing a digest's blocks twice was a tenth of a Monday morning's CPU.
 */
export function digestPartHasContent(view: DigestView, part: number, parts: number): boolean {
  if (!Number.isInteger(part) || !Number.isInteger(parts) || part < 1 || part > parts) return false;
  if (view.quiet) return part === 1;
  return view.specs.length > (part - 1) * DIGEST_SPECS_PER_MESSAGE;
}

/**
 * Message `part` (1-based) of `parts`, as counted when the digest was claimed. The view is built again
 * when each part is delivered, so the followed specs may have changed since: `undefined` when this
 * part has nothing left to show, and specs beyond the last part are counted in a note, not squeezed in
 * past the limits.
 */
export function renderDigestPart(view: DigestView, part: number, parts: number): DigestMessage | undefined {
  if (!digestPartHasContent(view, part, parts)) return undefined;
  if (view.quiet) return quietMessage(view);
  const from = (part - 1) * DIGEST_SPECS_PER_MESSAGE;
  const specs = view.specs.slice(from, from + DIGEST_SPECS_PER_MESSAGE);
  const label = parts > 1 ? ` (part ${part} of ${parts})` : '';

  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: `Weekly digest · ${range(view)}${label}` } }];
  if (view.late) blocks.push(context(mrkdwn`${LATE_NOTE}`));
  for (const drawn of drawSpecs(specs)) blocks.push({ type: 'divider' }, ...drawn);
  const overflow = part === parts ? view.specs.length - (from + specs.length) : 0;
  if (overflow > 0) {
    blocks.push(context(mrkdwn`…and ${overflow} more followed spec${overflow === 1 ? '' : 's'}, added after this digest was prepared.`));
  }

  const sum = (pick: (spec: DigestSpecSection) => number) => specs.reduce((total, spec) => total + pick(spec), 0);
  const text = mrkdwn`Weekly digest ${shortRange(view)}${label}${view.late ? ', sent late' : ''}: ${specs.length} spec${specs.length === 1 ? '' : 's'}, ${sum((s) => s.completed)} completed, ${sum((s) => s.started)} started, ${sum((s) => s.abandoned)} abandoned`;
  return { text: text.toString(), blocks };
}

/**
 * The whole digest as plain text, for `npx panelist digests preview` and logs: the same figures and
 * the same privacy rule as Slack, no markup, no length limits.
 */
export function renderDigestText(view: DigestView): string {
  const lines = [view.quiet ? quietSentence(view) : `Weekly digest · ${range(view)}`];
  if (view.late) lines.push(LATE_NOTE);
  if (view.quiet) return lines.join('\n');
  for (const spec of view.specs) {
    lines.push('', `${plain(specTitle(spec), 150)} (${plain(spec.slug, 100)})`);
    const specUrl = safeUrl(spec.specUrl);
    if (specUrl) lines.push(`  Spec: ${specUrl}`);
    if (!active(spec)) {
      lines.push(`  ${NO_ACTIVITY}`);
      continue;
    }
    for (const line of figures(plainText, spec, (s) => plain(s, 10))) lines.push(`  ${line}`);
    if (showsCompetencies(spec)) {
      lines.push('  Competencies:');
      for (const c of spec.competencies)
        lines.push(`    ${competencyRow(plainText, plain(c.name, MAX_NAME_LENGTH), c, (s) => plain(s, 10))}`);
    }
    if (spec.chart) lines.push(`  ${plain(spec.chart.altText, 4000)}`);
    if (spec.top.length > 0) {
      lines.push('  Top candidates:');
      spec.top.forEach((t, index) => {
        const url = safeUrl(t.reportUrl);
        lines.push(`    ${index + 1}. ${plain(candidateName(t.candidateName), 100)} · ${plain(t.overall, 10)}${url ? `  ${url}` : ''}`);
      });
    }
  }
  return lines.join('\n');
}

function quietSentence(view: DigestView): string {
  const { start, end } = days(view);
  return `Quiet week: no interviews for the specs this channel follows between ${start} and ${end}.`;
}

// No header and no zeros: a channel that follows many specs would otherwise get a page of nothing.
function quietMessage(view: DigestView): DigestMessage {
  const text = mrkdwn`${quietSentence(view)}`;
  const blocks: KnownBlock[] = [section(text)];
  if (view.late) blocks.push(context(mrkdwn`${LATE_NOTE}`));
  return { text: text.toString(), blocks };
}

/**
 * The specs of one message, sharing its text budget. Smallest first, each takes what it needs up to an
 * equal share of what is left, so a spec next to quiet ones keeps its long names, and every spec still
 * gets at least an equal share of the whole, which the tightest level always fits in.
 */
function drawSpecs(specs: DigestSpecSection[]): KnownBlock[][] {
  const drawn: KnownBlock[][] = specs.map(() => []);
  const order = specs.map((spec, index) => ({ index, size: measure(specBlocks(spec, Infinity)) })).sort((a, b) => a.size - b.size);
  let left = SPECS_BUDGET;
  order.forEach(({ index }, position) => {
    const blocks = specBlocks(specs[index]!, Math.floor(left / (order.length - position)));
    drawn[index] = blocks;
    left -= measure(blocks);
  });
  return drawn;
}

/** At most four blocks (figures, two sections of competencies, top candidates); the caller adds a divider. */
function specBlocks(spec: DigestSpecSection, budget: number): KnownBlock[] {
  let blocks: KnownBlock[] = [];
  for (const limits of LEVELS) {
    const head = headBlocks(spec, limits);
    const room = budget - measure(head);
    if (!showsCompetencies(spec)) {
      blocks = head;
      if (room >= 0) return blocks;
      continue;
    }
    // The longest names that fit; the total only grows with the cap, so a binary search finds it.
    let low = limits.minCompetency;
    let high = MAX_COMPETENCY_TEXT;
    while (low < high) {
      const cap = Math.ceil((low + high) / 2);
      if (measure(competencyBlocks(spec, cap)) <= room) low = cap;
      else high = cap - 1;
    }
    const competencies = competencyBlocks(spec, low);
    blocks = [head[0]!, ...competencies, ...head.slice(1)];
    if (measure(competencies) <= room) return blocks;
  }
  return blocks;
}

/** The heading with the figures (or the no-activity line), the chart, and the top candidates. */
function headBlocks(spec: DigestSpecSection, limits: Limits): KnownBlock[] {
  const specUrl = linkUrl(spec.specUrl, limits.link);
  // The slug is escaped like the title (look-alikes included) although it sits in a code span.
  const heading = mrkdwn`*${fit(specTitle(spec), limits.title)}* · \`${fit(spec.slug, limits.slug)}\`${specUrl ? mrkdwn` · ${link(specUrl, mrkdwn`Open spec`)}` : ''}`;
  if (!active(spec)) return [section(mrkdwn`${heading}\n${NO_ACTIVITY}`)];
  const blocks = [
    section(joinMrkdwn([heading, ...figures(mrkdwn, spec, (s) => fit(s, 10))], '\n')),
    ...chartBlocks(spec.chart, limits.chart),
  ];
  if (spec.top.length > 0) {
    const rows = spec.top.slice(0, MAX_TOP_SHOWN).map((t, index) => {
      const name = fit(candidateName(t.candidateName), limits.candidate);
      return mrkdwn`${index + 1}. ${link(linkUrl(t.reportUrl, limits.link), name)} · *${fit(t.overall, 10)}*`;
    });
    blocks.push(section(mrkdwn`*Top candidates*\n${joinMrkdwn(rows, '\n')}`));
  }
  return blocks;
}

function competencyBlocks(spec: DigestSpecSection, cap: number): KnownBlock[] {
  const rows = spec.competencies.map((c) => competencyRow(mrkdwn, fit(c.name, cap), c, (s) => fit(s, 10)));
  if (rows.length > MAX_COMPETENCY_FIELDS) {
    rows.splice(
      MAX_COMPETENCY_FIELDS - 1,
      Infinity,
      mrkdwn`…and ${spec.competencies.length - (MAX_COMPETENCY_FIELDS - 1)} more competencies`,
    );
  }
  const blocks: KnownBlock[] = [];
  for (let at = 0; at < rows.length; at += MAX_FIELDS) {
    blocks.push({ type: 'section', fields: rows.slice(at, at + MAX_FIELDS).map((text) => ({ type: 'mrkdwn', text: text.toString() })) });
  }
  return blocks;
}

/** Total text in `blocks`, or Infinity when one text is over its own limit. */
function measure(blocks: KnownBlock[]): number {
  let total = 0;
  for (const { text, max } of blockTexts(blocks)) {
    if (text.length > max) return Infinity;
    total += text.length;
  }
  return total;
}

// Not blocks.ts's builders, which clip: here `measure` must see a text over its limit to choose a level.
function section(text: Mrkdwn): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: text.toString() } };
}

function context(text: Mrkdwn): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: text.toString() }] };
}

/** Every text Slack measures in these blocks, with the limit Slack applies to it. */
function blockTexts(blocks: KnownBlock[]): { text: string; max: number }[] {
  const out: { text: string; max: number }[] = [];
  for (const block of blocks) {
    if (block.type === 'section') {
      if (block.text) out.push({ text: block.text.text, max: SECTION_BUDGET });
      for (const field of block.fields ?? []) out.push({ text: field.text, max: MAX_FIELD_TEXT });
    } else if (block.type === 'header') {
      out.push({ text: block.text.text, max: MAX_HEADER_TEXT });
    } else if (block.type === 'context') {
      for (const element of block.elements)
        if ('text' in element && typeof element.text === 'string') out.push({ text: element.text, max: SECTION_BUDGET });
    } else if (block.type === 'image') {
      // counted against the message's text too: Slack's total is undocumented, so assume it counts
      out.push({ text: block.alt_text, max: MAX_ALT_TEXT });
    }
  }
  return out;
}
