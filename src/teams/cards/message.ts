import { AdaptiveCard, TextBlock } from '@microsoft/teams.cards';
import { markedSpans } from '../../domain/phrase';
import { fromPhrase, isMarkdown, plainSummary, type TeamsMarkdown } from './markdown';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** What Panelist sends to a Teams conversation: text, or an Adaptive Card with a text summary. */
export interface TeamsMessage {
  type: 'message';
  text?: string;
  textFormat?: 'markdown' | 'plain' | 'xml';
  summary?: string;
  attachments?: { contentType: string; content: unknown }[];
}

/** A markdown message. Its text is Teams markdown built by the `md` tag (see markdown.ts). */
export function textMessage(text: TeamsMarkdown): TeamsMessage;
/**
 * For the delivery pipeline's own notices (src/delivery/): a sentence Panelist wrote as a string,
 * backticks marking commands. It is escaped like any text; its spans become `code`.
 */
export function textMessage(text: string): TeamsMessage;
export function textMessage(text: TeamsMarkdown | string): TeamsMessage {
  const markdown = isMarkdown(text) ? text : fromPhrase(markedSpans(text));
  return { type: 'message', text: markdown.toString(), textFormat: 'markdown' };
}

/** A card with its summary, the plain line a notification shows (made inert, see plainSummary). */
export function cardMessage(card: AdaptiveCard | Record<string, unknown>, summary: string): TeamsMessage {
  const content = card instanceof AdaptiveCard ? plain(card) : card;
  return { type: 'message', summary: plainSummary(summary), attachments: [{ contentType: ADAPTIVE_CARD, content }] };
}

/** Cards go over the wire as plain JSON (the builders are classes). */
export function plain<T>(card: T): Record<string, unknown> {
  return JSON.parse(JSON.stringify(card)) as Record<string, unknown>;
}

/**
 * The tag a delivered card carries, as the id of its first element: Microsoft Graph returns a card
 * as the JSON the bot sent, so a post whose answer was lost can be found by it (TeamsSender.findPosted).
 */
export function deliveryTag(deliveryId: string): string {
  return `panelist-delivery-${deliveryId}`;
}

/** A delivery's message as a card tagged with its delivery (a plain-text message becomes a one-line card). */
export function tagDelivery(message: TeamsMessage, deliveryId: string): TeamsMessage {
  const card = message.attachments?.find((a) => a.contentType === ADAPTIVE_CARD)?.content as
    | { body?: Record<string, unknown>[] }
    | undefined;
  if (!card?.body?.length) {
    // Both already inert: a text message's text is TeamsMarkdown, a summary went through plainSummary.
    const text = message.text ?? message.summary ?? '';
    return cardMessage(new AdaptiveCard(new TextBlock(text, { wrap: true, id: deliveryTag(deliveryId) })).withVersion('1.5'), text);
  }
  const [first, ...rest] = card.body;
  const content = { ...card, body: [{ ...first, id: deliveryTag(deliveryId) }, ...rest] };
  return { ...message, attachments: message.attachments!.map((a) => (a.content === card ? { ...a, content } : a)) };
}
