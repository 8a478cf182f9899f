import { randomUUID } from 'node:crypto';
import type { types } from '@slack/bolt';
import type { Logger } from 'pino';
import { isPanelistError } from '../domain/errors';
import { phrase, type Phrase } from '../domain/phrase';
import { section } from './render/blocks';
import { code, fromPhrase, mrkdwn, type Mrkdwn } from './render/mrkdwn';

type KnownBlock = types.KnownBlock;

const USER_NOT_FOUND = 'user_not_found';

/** An answer to a user. `text` is mrkdwn too (Slack parses a message's text), so it is a Mrkdwn. */
export interface Reply {
  text: Mrkdwn;
  blocks?: KnownBlock[];
}

/** What Slack is sent for a reply (ack, respond, response_url). */
export function replyBody(reply: Reply): { text: string; blocks?: KnownBlock[] } {
  return { text: reply.text.toString(), ...(reply.blocks ? { blocks: reply.blocks } : {}) };
}

export function plain(text: Mrkdwn): Reply {
  return { text, blocks: [section(text)] };
}

/** A sentence from the domain (a refusal, a usage line) after an emoji code such as `:warning:`. */
export function sentence(emoji: string, words: Phrase): Reply {
  return plain(mrkdwn`${emoji} ${fromPhrase(words)}`);
}

/**
 * A user sees what went wrong in words. Our own coded errors carry their sentence; anything else
 * is logged with a reference the user can quote, and the user never sees a stack trace.
 */
export function errorReply(error: unknown, logger: Logger): Reply {
  const words = errorWords(error, logger);
  return sentence(isUnexpected(error) ? ':x:' : ':warning:', words);
}

/** The same as plain text, for what Slack shows unparsed (a modal field's error). */
export function errorText(error: unknown, logger: Logger): string {
  const words = errorWords(error, logger);
  return `${isUnexpected(error) ? ':x:' : ':warning:'} ${words.toString()}`;
}

/** The sentence for an error, for a reply or (as plain text) under a modal's field. */
export function errorWords(error: unknown, logger: Logger): Phrase {
  if (isPanelistError(error)) return error.phrase;
  const slackError = (error as { data?: { error?: string } })?.data?.error;
  if (slackError === USER_NOT_FOUND) return phrase`I can’t find that user in this workspace. Mention them with @, e.g. \`@ada\`.`;
  const reference = randomUUID().slice(0, 8);
  logger.error({ err: error, reference }, 'command failed');
  return phrase`Something went wrong on Panelist's side (reference \`${reference}\`). Nothing was changed; try again, and tell whoever runs Panelist if it keeps happening.`;
}

function isUnexpected(error: unknown): boolean {
  return !isPanelistError(error) && (error as { data?: { error?: string } })?.data?.error !== USER_NOT_FOUND;
}

export function savedReply(saved: { number: number; slug: string; changes: string[] }, verb = 'Saved'): Reply {
  return plain(mrkdwn`:white_check_mark: ${verb} *v${saved.number}* of ${code(saved.slug)}: ${saved.changes.join('; ')}.`);
}
