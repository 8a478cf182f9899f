import { randomUUID } from 'node:crypto';
import type { types } from '@slack/bolt';
import type { Logger } from 'pino';
import { isPanelistError } from '../domain/errors';

type KnownBlock = types.KnownBlock;

export interface Reply {
  text: string;
  blocks?: KnownBlock[];
}

export function plain(text: string): Reply {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/**
 * A user sees what went wrong in words. Our own coded errors carry their sentence; anything else
 * is logged with a reference the user can quote, and the user never sees a stack trace.
 */
export function errorReply(error: unknown, logger: Logger): Reply {
  if (isPanelistError(error)) return plain(`:warning: ${error.message}`);
  const slackError = (error as { data?: { error?: string } })?.data?.error;
  if (slackError === 'user_not_found') return plain(':warning: I can’t find that user in this workspace. Mention them with @, e.g. `@ada`.');
  const reference = randomUUID().slice(0, 8);
  logger.error({ err: error, reference }, 'command failed');
  return plain(`:x: Something went wrong on Panelist's side (reference \`${reference}\`). Nothing was changed; try again, and tell whoever runs Panelist if it keeps happening.`);
}

export function savedReply(saved: { number: number; slug: string; changes: string[] }, verb = 'Saved'): Reply {
  return plain(`:white_check_mark: ${verb} *v${saved.number}* of \`${saved.slug}\`: ${saved.changes.join('; ')}.`);
}
