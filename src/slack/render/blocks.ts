import type { types } from '@slack/bolt';
import { clip, joinMrkdwn, type Mrkdwn } from './mrkdwn';

type KnownBlock = types.KnownBlock;

/**
 * The blocks Panelist sends, built only from `Mrkdwn` (see mrkdwn.ts), so no text reaches a block
 * unescaped. Section and context texts are capped under Slack's 3,000 characters.
 */
export function section(text: Mrkdwn): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text).toString() } };
}

export function fields(texts: readonly Mrkdwn[]): KnownBlock {
  return { type: 'section', fields: texts.map((text) => ({ type: 'mrkdwn', text: clip(text, 2000).toString() })) };
}

export function context(...texts: Mrkdwn[]): KnownBlock {
  return { type: 'context', elements: texts.map((text) => ({ type: 'mrkdwn', text: clip(text).toString() })) };
}

/**
 * Slack shows plain_text as written (no mentions, links or formatting), so it takes the user's text
 * as it is; only its length is capped.
 */
export function header(text: string, max = 150): KnownBlock {
  if (text.length <= max) return { type: 'header', text: { type: 'plain_text', text } };
  // Cut on a character boundary: half a surrogate pair would show as a replacement character.
  const cut = text.slice(0, max - 1).replace(/[\ud800-\udbff]$/, '');
  return { type: 'header', text: { type: 'plain_text', text: `${cut}…` } };
}

export const divider = (): KnownBlock => ({ type: 'divider' });

/** Greedy: as many whole rows per section as fit, so no row is ever cut by the length cap. */
export function pack(rows: readonly Mrkdwn[], budget: number): Mrkdwn[] {
  const sections: Mrkdwn[][] = [];
  let current: Mrkdwn[] = [];
  let length = 0;
  for (const row of rows) {
    const line = clip(row, budget);
    if (current.length > 0 && length + 1 + line.length > budget) {
      sections.push(current);
      current = [];
      length = 0;
    }
    length += (current.length > 0 ? 1 : 0) + line.length;
    current.push(line);
  }
  if (current.length > 0) sections.push(current);
  return sections.map((group) => joinMrkdwn(group, '\n'));
}

/** An answer to a user. `text` is mrkdwn too (Slack parses a message's text), so it is a Mrkdwn. */
export interface SlackReply {
  text: Mrkdwn;
  blocks?: KnownBlock[];
}

/** What Slack is sent for a reply (ack, respond, response_url). */
export function replyBody(reply: SlackReply): { text: string; blocks?: KnownBlock[] } {
  return { text: reply.text.toString(), ...(reply.blocks ? { blocks: reply.blocks } : {}) };
}
