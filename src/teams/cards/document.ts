import type { Block, Inline, Reply, Tone } from '../../conversation/document';
import { buildEditCard, draftFromSpec } from './edit-form';
import { ADAPTIVE_CARD, textMessage, type TeamsMessage } from './message';
import { helpCard, historyCard, specCard, specListMessage } from './spec';
import { inert, oneLine, whenPlain } from './text';

export const TEAMS_PREFIX = '@Panelist';

const TONE: Record<Tone, string> = { ok: '✅ ', warning: '⚠️ ', error: '❌ ' };

/**
 * A conversation reply for Teams: a markdown text message for sentences and lists, a card for the
 * richer views. The one rule: every string is made inert here (inert() escapes what Teams'
 * markdown acts on), and markup comes only from the document's structure.
 */
export function documentMessage(reply: Reply): TeamsMessage {
  const [first] = reply.blocks;
  if (first && isView(first)) return renderView(first);
  return textMessage(reply.blocks.map(blockText).join('\n\n'));
}

/** Teams markdown for inlines. */
export function teamsMarkdown(parts: Inline[]): string {
  return parts.map(inline).join('');
}

function inline(part: Inline): string {
  if (typeof part === 'string') return inert(part);
  if ('user' in part) return inert(oneLine(part.user, part.max ?? 300));
  if ('code' in part) return code(part.code);
  if ('command' in part) return code(`${TEAMS_PREFIX} ${part.command}`);
  if ('strong' in part) return `**${teamsMarkdown(part.strong)}**`;
  // Outside the reply to the message that mentioned them, Teams has no way to mention a user by id.
  if ('mention' in part) return inert(oneLine(part.name ?? part.mention, 100));
  return whenPlain(part.date);
}

/** A code span cannot escape a backtick: a look-alike keeps the span closed where it should be. */
function code(text: string): string {
  return `\`${oneLine(text, 300).replace(/`/g, '\u02cb')}\``;
}

function blockText(block: Block): string {
  if (block.kind === 'paragraph') return `${block.tone ? TONE[block.tone] : ''}${teamsMarkdown(block.text)}`;
  if (block.kind === 'list') {
    const lines = [teamsMarkdown(block.heading), '', ...block.items.map((item) => `- ${teamsMarkdown(item)}`)];
    if (block.footer) lines.push('', teamsMarkdown(block.footer));
    return lines.join('\n');
  }
  return '';
}

type View = Extract<Block, { kind: 'specList' | 'spec' | 'history' | 'help' | 'editForm' }>;

function isView(block: Block): block is View {
  return block.kind !== 'paragraph' && block.kind !== 'list';
}

function renderView(block: View): TeamsMessage {
  switch (block.kind) {
    case 'specList':
      return specListMessage(block.specs);
    case 'spec':
      return specCard(block.view);
    case 'history':
      return historyCard(block.history);
    case 'help':
      return helpCard();
    case 'editForm': {
      const { state, draft } = draftFromSpec(block.spec);
      return { type: 'message', summary: `Edit ${block.spec.slug}`, attachments: [{ contentType: ADAPTIVE_CARD, content: buildEditCard(state, draft) }] };
    }
  }
}
