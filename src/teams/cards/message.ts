import type { AdaptiveCard } from '@microsoft/teams.cards';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** What Panelist sends to a Teams conversation: text, or an Adaptive Card with a text summary. */
export interface TeamsMessage {
  type: 'message';
  text?: string;
  textFormat?: 'markdown' | 'plain' | 'xml';
  summary?: string;
  attachments?: { contentType: string; content: unknown }[];
}

export function textMessage(text: string): TeamsMessage {
  return { type: 'message', text, textFormat: 'markdown' };
}

export function cardMessage(card: AdaptiveCard, summary: string): TeamsMessage {
  return { type: 'message', summary, attachments: [{ contentType: ADAPTIVE_CARD, content: plain(card) }] };
}

/** Cards go over the wire as plain JSON (the builders are classes). */
export function plain<T>(card: T): Record<string, unknown> {
  return JSON.parse(JSON.stringify(card)) as Record<string, unknown>;
}
