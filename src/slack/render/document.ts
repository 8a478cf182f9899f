import type { Block, Inline, Reply, Tone } from '../../conversation/document';
import { replyBody, section, type SlackReply } from './blocks';
import { renderHelp, renderHistory, renderSpecList } from './lists';
import { channelLink, clip, code, date, joinMrkdwn, mention, mrkdwn, type Mrkdwn } from './mrkdwn';
import { renderSpec } from './spec';
import { oneLine } from './text';

export const SLACK_PREFIX = '/spec';

const TONE: Record<Tone, string> = { ok: ':white_check_mark: ', warning: ':warning: ', error: ':x: ' };

/**
 * A conversation reply as what Slack is sent. Every string of the document goes through the
 * `mrkdwn` tag (src/slack/render/mrkdwn.ts: Slack's one escaping rule); markup comes only from the
 * document's structure. The fallback `text` is the same escaped mrkdwn, since Slack parses it too.
 */
export function renderDocument(reply: Reply): ReturnType<typeof replyBody> {
  return replyBody(documentReply(reply));
}

function documentReply(reply: Reply): SlackReply {
  const [first] = reply.blocks;
  if (first && isView(first)) return renderView(first);
  const sections = reply.blocks.map(blockText);
  return { text: clip(joinMrkdwn(sections, '\n')), blocks: sections.map(section) };
}

/** Inlines as mrkdwn. */
export function inlineMrkdwn(parts: Inline[]): Mrkdwn {
  return joinMrkdwn(parts.map(inline), '');
}

function inline(part: Inline): Mrkdwn {
  if (typeof part === 'string') return mrkdwn`${part}`;
  if ('user' in part) return mrkdwn`${oneLine(part.user, part.max ?? 300)}`;
  if ('code' in part) return code(oneLine(part.code, 300));
  if ('command' in part) return code(`${SLACK_PREFIX} ${part.command}`);
  if ('strong' in part) return mrkdwn`*${inlineMrkdwn(part.strong)}*`;
  if ('mention' in part) return mention(part.mention);
  if ('channel' in part) return channelLink(part.channel);
  return date(part.date);
}

function blockText(block: Block): Mrkdwn {
  if (block.kind === 'paragraph')
    return block.tone ? mrkdwn`${trustedTone(block.tone)}${inlineMrkdwn(block.text)}` : inlineMrkdwn(block.text);
  if (block.kind === 'list') {
    const lines = [inlineMrkdwn(block.heading), ...block.items.map((item) => mrkdwn`• ${inlineMrkdwn(item)}`)];
    if (block.footer) lines.push(inlineMrkdwn(block.footer));
    return joinMrkdwn(lines, '\n');
  }
  return mrkdwn``;
}

/** The tone's emoji code: ours, and `:` and letters are inert anyway. */
function trustedTone(tone: Tone): Mrkdwn {
  return mrkdwn`${TONE[tone]}`;
}

type View = Extract<Block, { kind: 'specList' | 'spec' | 'history' | 'help' | 'editForm' }>;

function isView(block: Block): block is View {
  return block.kind !== 'paragraph' && block.kind !== 'list';
}

function renderView(block: View): SlackReply {
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
