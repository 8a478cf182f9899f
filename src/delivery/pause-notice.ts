import type { Logger } from 'pino';
import type { Reply } from '../conversation';
import type { PausedSubscriber } from '../services/paused-channels';
import type { ChatSender } from './sender';

/**
 * Tells each person whose subscription was just paused, by direct message through the platform's
 * sender. Best effort: a DM that fails is logged and the pause stands (it is already committed).
 */
export async function tellPausedSubscribers(
  sender: Pick<ChatSender, 'notifyUser'> | undefined,
  subscribers: PausedSubscriber[],
  notice: (subscriber: PausedSubscriber) => Reply,
  logger: Logger,
): Promise<void> {
  if (!sender?.notifyUser) return;
  for (const subscriber of subscribers) {
    await sender
      .notifyUser(subscriber.workspaceId, subscriber.userId, notice(subscriber))
      .catch((error: unknown) =>
        logger.warn({ err: error, channel: subscriber.channelId }, 'could not tell the subscriber about the pause'),
      );
  }
}
