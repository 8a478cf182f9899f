import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { isPanelistError } from '../domain/errors';
import { phrase, type Phrase } from '../domain/phrase';
import { sentence, type Reply } from './document';

/**
 * A user sees what went wrong in words. Our own coded errors carry their sentence; anything else
 * is logged with a reference the user can quote, and the user never sees a stack trace or a
 * driver's message.
 */
export function errorReply(error: unknown, logger: Logger): Reply {
  return sentence(errorPhrase(error, logger), isPanelistError(error) ? 'warning' : 'error');
}

/** The sentence alone, for a form's error line. */
export function errorPhrase(error: unknown, logger: Logger): Phrase {
  if (isPanelistError(error)) return error.phrase;
  const reference = randomUUID().slice(0, 8);
  logger.error({ err: error, reference }, 'command failed');
  return phrase`Something went wrong on Panelist's side (reference \`${reference}\`). Nothing was changed; try again, and tell whoever runs Panelist if it keeps happening.`;
}
