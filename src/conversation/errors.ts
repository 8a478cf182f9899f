import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { isPanelistError } from '../domain/errors';
import { paragraph, sentence, type Reply } from './document';

/**
 * A user sees what went wrong in words. Our own coded errors carry their sentence; anything else
 * is logged with a reference the user can quote, and the user never sees a stack trace or a
 * driver's message.
 */
export function errorReply(error: unknown, logger: Logger): Reply {
  if (isPanelistError(error)) return sentence(error.message, 'warning');
  const reference = randomUUID().slice(0, 8);
  logger.error({ err: error, reference }, 'command failed');
  return paragraph(
    ["Something went wrong on Panelist's side (reference ", { code: reference }, '). Nothing was changed; try again, and tell whoever runs Panelist if it keeps happening.'],
    'error',
  );
}
