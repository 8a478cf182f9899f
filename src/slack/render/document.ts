import type { types } from '@slack/bolt';
import type { Block, Inline, Reply, Tone } from '../../conversation/document';
import { renderHelp, renderHistory, renderSpecList } from './lists';
import { renderSpec } from './spec';
import { clip, escapeMrkdwn, oneLine, when } from './text';

type KnownBlock = types.KnownBlock;

export const SLACK_PREFIX = '/spec';

const TONE: Record<Tone, string> = { ok: ':white_check_mark: ', warning: ':warning: ', error: ':x: ' };

/**
 * A conversation reply as Block Kit. The one rule: every string is escaped here (`& < >`, and what
 * Slack would read as formatting in a user's text), and markup comes only from the document's
 * structure. The fallback `text` is the same escaped mrkdwn, since Slack parses it too.
 */
export function renderDocument(reply: Reply): { text: string; blocks: KnownBlock[] } {
  const [first] = reply.blocks;
  if (first && isView(first)) return renderView(first);
  const sections = reply.blocks.map(blockText);
  const text = clip(sections.join('\n'));
  return { text, blocks: sections.map((section) => ({ type: 'section', text: { type: 'mrkdwn', text: clip(section) } })) };
}

/** mrkdwn for inlines: the renderer's escaping rule in one place. */
export function mrkdwn(parts: Inline[]): string {
  return parts.map(inline).join('');
}

function inline(part: Inline): string {
  if (typeof part === 'string') return escapeMrkdwn(part);
  if ('user' in part) return inertUserText(oneLine(part.user, part.max ?? 300));
  if ('code' in part) return code(part.code);
  if ('command' in part) return code(`${SLACK_PREFIX} ${part.command}`);
  if ('strong' in part) return `*${mrkdwn(part.strong)}*`;
  if ('mention' in part) return /^[UW][A-Z0-9]{2,}$/.test(part.mention) ? `<@${part.mention}>` : inertUserText(part.name ?? part.mention);
  return when(part.date);
}

/** Slack has no escape inside a code span: a backtick becomes a look-alike so the span cannot end early. */
function code(text: string): string {
  return `\`${escapeMrkdwn(oneLine(text, 300)).replace(/`/g, '\u02cb')}\``;
}

/**
 * A user's text: escaped, and the characters mrkdwn formats with replaced by look-alikes. An
 * underscore inside a word (financial_systems_design) formats nothing and stays as typed.
 */
export function inertUserText(text: string): string {
  return escapeMrkdwn(text)
    .replace(/\*/g, '\u2217')
    .replace(/~/g, '\u223c')
    .replace(/`/g, '\u02cb')
    .replace(/(^|[^\p{L}\p{N}])_|_(?=[^\p{L}\p{N}]|$)/gu, (match) => match.replace('_', '\u02cd'));
}

function blockText(block: Block): string {
  if (block.kind === 'paragraph') return `${block.tone ? TONE[block.tone] : ''}${mrkdwn(block.text)}`;
  if (block.kind === 'list') {
    const lines = [mrkdwn(block.heading), ...block.items.map((item) => `• ${mrkdwn(item)}`)];
    if (block.footer) lines.push(mrkdwn(block.footer));
    return lines.join('\n');
  }
  return '';
}

type View = Extract<Block, { kind: 'specList' | 'spec' | 'history' | 'help' | 'editForm' }>;

function isView(block: Block): block is View {
  return block.kind !== 'paragraph' && block.kind !== 'list';
}

function renderView(block: View): { text: string; blocks: KnownBlock[] } {
  switch (block.kind) {
    case 'specList':
      return renderSpecList(block.specs);
    case 'spec':
      return renderSpec(block.view);
    case 'history':
      return renderHistory(block.history);
    case 'help':
    case 'editForm':
      // The edit form is a modal the Slack adapter opens itself; answering it in text is help.
      return renderHelp(SLACK_PREFIX);
  }
}
