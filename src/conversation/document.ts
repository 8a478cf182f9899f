import type { Phrase } from '../domain/phrase';
import type { EditPart } from '../domain/spec-part-commands';
import type { HistoryEntry, SpecSummary, SpecView } from '../services/spec-views';

/**
 * What the conversation core answers with: a small document, neutral about the platform. The
 * renderers (src/slack/render/document.ts, src/teams/cards/document.ts) turn it into Block Kit or
 * an Adaptive Card, and each escapes every string it is given: markup comes only from the
 * structure here, never from text, so no text (ours or a user's) can become a mention or a link.
 */

/** A run of text. A plain string is words; the objects give a part of it a meaning the renderer shows. */
export type Inline =
  | string
  /** text someone typed or the platform sent (a name, a note): shown as written, on one line */
  | { user: string; max?: number }
  /** a slug, an id, a value: monospace where the platform has it */
  | { code: string }
  /** a command, written without its prefix ("show <spec>"): the renderer adds `/spec` or `@Panelist` */
  | { command: string }
  | { strong: Inline[] }
  /** a user of the platform, by id (Slack mentions them; Teams has no mention outside a message it is replying to) */
  | { mention: string; name?: string }
  /** a channel of the platform, by id (Slack links it; Teams cannot name one by id) */
  | { channel: string }
  /** a moment, shown in the reader's zone where the platform can */
  | { date: Date };

export type Tone = 'ok' | 'warning' | 'error';

export type Block =
  | { kind: 'paragraph'; text: Inline[]; tone?: Tone }
  | { kind: 'list'; heading: Inline[]; items: Inline[][]; footer?: Inline[] }
  /** views each platform renders in its own way: they are too rich for paragraphs */
  | { kind: 'specList'; specs: SpecSummary[] }
  | { kind: 'spec'; view: SpecView }
  | { kind: 'history'; history: { slug: string; entries: HistoryEntry[]; total: number } }
  | { kind: 'help' }
  /** the edit form for one part of a spec; the adapter opens it (Slack: a modal; Teams: a card) */
  | { kind: 'editForm'; spec: SpecView; part: EditPart };

export interface Reply {
  blocks: Block[];
}

export function paragraph(text: Inline[], tone?: Tone): Reply {
  return { blocks: [{ kind: 'paragraph', text, ...(tone ? { tone } : {}) }] };
}

/** A sentence from the domain or a service (an error, a refusal): its spans become code. */
export function sentence(words: Phrase, tone?: Tone): Reply {
  return paragraph(phraseInlines(words), tone);
}

export function phraseInlines(words: Phrase): Inline[] {
  return words.parts.map((part) => (part.code ? { code: part.text } : part.text));
}

/** A reply's sentences as plain text (a form's error line, a notification): lists and views are left out. */
export function replyText(reply: Reply, prefix: string): string {
  return reply.blocks
    .map((block) => (block.kind === 'paragraph' ? plainText(block.text, prefix) : ''))
    .filter(Boolean)
    .join('\n');
}

/** Plain text of inlines, for summaries, logs and tests: no markup at all. */
export function plainText(parts: Inline[], prefix: string): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      if ('user' in part) return part.user;
      if ('code' in part) return part.code;
      if ('command' in part) return `${prefix} ${part.command}`;
      if ('strong' in part) return plainText(part.strong, prefix);
      if ('mention' in part) return part.name ?? part.mention;
      if ('channel' in part) return part.channel;
      return `${part.date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    })
    .join('');
}
