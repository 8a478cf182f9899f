import type { Block, Inline, Reply, Tone } from '../../conversation/document';
import { plainText } from '../../conversation/document';
import { formFromSpec, PART_LABELS } from './edit-form';
import { code, joinMarkdown, md, type TeamsMarkdown } from './markdown';
import { cardMessage, textMessage, type TeamsMessage } from './message';
import { helpCard, historyCard, specCard, specListMessage } from './spec';
import { oneLine, whenPlain } from './text';

export const TEAMS_PREFIX = '@Panelist';

const TONE: Record<Tone, string> = { ok: '✅ ', warning: '⚠️ ', error: '❌ ' };

/**
 * A conversation reply for Teams: a markdown text message for sentences and lists, a card for the
 * richer views. Every string of the document goes through the `md` tag (src/teams/cards/markdown.ts:
 * Teams' one escaping rule); markup comes only from the document's structure.
 */
export function documentMessage(reply: Reply): TeamsMessage {
  const [first] = reply.blocks;
  if (first && isView(first)) return renderView(first);
  return textMessage(joinMarkdown(reply.blocks.map(blockText), '\n\n'));
}

/** Inlines as Teams markdown. */
export function inlineMarkdown(parts: Inline[]): TeamsMarkdown {
  return joinMarkdown(parts.map(inline), '');
}

function inline(part: Inline): TeamsMarkdown {
  if (typeof part === 'string') return md`${part}`;
  if ('user' in part) return md`${oneLine(part.user, part.max ?? 300)}`;
  if ('code' in part) return code(oneLine(part.code, 300));
  if ('command' in part) return code(`${TEAMS_PREFIX} ${part.command}`);
  // code() is bold already: bold inside bold would close it early.
  if ('strong' in part) return md`**${plainText(part.strong, TEAMS_PREFIX)}**`;
  // Outside the reply to the message that mentioned them, Teams has no way to mention a user by id.
  if ('mention' in part) return md`${oneLine(part.name ?? part.mention, 100)}`;
  if ('channel' in part) return md`a Teams channel`;
  // A text message does not expand {{DATE(…)}}, which only cards do.
  return md`${whenPlain(part.date)}`;
}

function blockText(block: Block): TeamsMarkdown {
  if (block.kind === 'paragraph') return block.tone ? md`${TONE[block.tone]}${inlineMarkdown(block.text)}` : inlineMarkdown(block.text);
  if (block.kind === 'list') {
    const lines = [inlineMarkdown(block.heading), md``, ...block.items.map((item) => md`- ${inlineMarkdown(item)}`)];
    if (block.footer) lines.push(md``, inlineMarkdown(block.footer));
    return joinMarkdown(lines, '\n');
  }
  return md``;
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
    case 'editForm':
      return cardMessage(formFromSpec(block.spec, block.part).card(), `Edit ${block.spec.slug}: ${PART_LABELS[block.part]}`);
  }
}
