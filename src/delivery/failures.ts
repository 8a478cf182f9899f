import type { Logger } from 'pino';
import type { LeasedDelivery } from '../store/delivery-sql';
import { holdChannel } from '../store/delivery-steps';
import { pauseChannel } from '../services/paused-channels';
import { enqueueDelivery } from '../store/queue';
import { wakeNextInLine } from '../store/version-line';
import { paceOf, type DeliverDeps } from './deps';
import { tellPausedSubscribers } from './pause-notice';
import { channelPausedNotice } from '../conversation';
import type { SendError } from './sender';

/** A failed attempt decides what happens next: hold the channel, back off, pause, or dead-letter. */
export async function handleFailure(deps: DeliverDeps, delivery: LeasedDelivery, error: SendError, log: Logger): Promise<void> {
  const { db } = deps;
  const current = await db.delivery.findUniqueOrThrow({ where: { id: delivery.id }, include: { subscription: true } });
  if (error.kind === 'gone') {
    await pauseUnreachableChannel(deps, current, error.message);
    return;
  }
  if (error.kind === 'permanent' || current.attempts >= deps.policy.maxAttempts) {
    await markFailed(deps, delivery.id, error.message);
    return;
  }
  // A lined-up platform has no turns to hold: the refused delivery backs off (no sooner than
  // Retry-After, below), and the rest of its line waits behind it anyway.
  if (error.kind === 'rate_limited' && !deps.inLine.has(delivery.platform)) {
    // Every replica's turns in this channel move back together, this delivery's first.
    const waitMs = error.retryAfterMs ?? 1_000;
    const pace = paceOf(deps, delivery.platform);
    await holdChannel(deps.sql, delivery.id, waitMs, pace);
    await db.delivery.update({ where: { id: delivery.id }, data: { lastError: error.message, updatedAt: new Date() } });
    log.warn(
      { channel: delivery.channelId, attempts: current.attempts, retryInMs: waitMs },
      'the platform asked us to slow down; the channel waits',
    );
    return;
  }
  const backoff = Math.min(300_000, deps.policy.retryBaseMs * 2 ** Math.max(0, current.attempts - 1));
  const jittered = Math.round(backoff / 2 + Math.random() * (backoff / 2));
  // a sender may ask for a floor: time for a lost post to become searchable, or a 429's Retry-After
  const delay = Math.max(jittered, error.retryAfterMs ?? 0);
  const runAt = new Date(Date.now() + delay);
  await db.$transaction(async (tx) => {
    await tx.delivery.update({
      where: { id: delivery.id },
      data: { lastError: error.message, nextAttemptAt: runAt, sendAt: null, updatedAt: new Date() },
    });
    await enqueueDelivery(tx, delivery, runAt);
  });
  log.warn({ kind: error.kind, attempts: current.attempts, retryInMs: delay, err: error.message }, 'delivery attempt failed; will retry');
}

export async function markFailed(deps: DeliverDeps, deliveryId: string, reason: string): Promise<void> {
  const failed = await deps.db.delivery.update({
    where: { id: deliveryId },
    data: { status: 'failed', lastError: reason, sendAt: null, updatedAt: new Date() },
  });
  deps.logger.error({ deliveryId, reason }, 'delivery failed for good (dead letter); `npx panelist deliveries retry` re-queues it');
  deps.metrics?.deadLetters.inc({ platform: failed.platform, kind: failed.kind });
  // A dead letter is finished too: the next in its line goes now, not after it is retried.
  if (deps.inLine.has(failed.platform)) await wakeNextInLine(deps.sql, deliveryId);
}

/** The channel cannot take messages: pause its subscriptions and pending messages, and say so. */
async function pauseUnreachableChannel(
  deps: DeliverDeps,
  delivery: { id: string; platform: string; channelId: string },
  reason: string,
): Promise<void> {
  const subscribers = await pauseChannel(deps.db, delivery, reason);
  deps.logger.warn(
    { deliveryId: delivery.id, channel: delivery.channelId, reason },
    'channel cannot take messages; its subscriptions are paused',
  );
  await tellPausedSubscribers(
    deps.senders[delivery.platform],
    subscribers,
    ({ channelId }) => channelPausedNotice(delivery.platform, channelId, reason),
    deps.logger,
  );
}
