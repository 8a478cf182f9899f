import type { Logger } from 'pino';
import { interviewResultView } from '../services/interview-results';
import { DIGEST_KIND, type DigestService } from '../services/digests';
import { RESULT_KIND } from '../services/interview-apply';
import type { Db } from '../store/db';
import { LEASE_DELIVERY, MARK_ATTEMPT, MARK_FOUND, MARK_POSTED, MARK_UPDATED, READ_DELIVERY, RELEASE_LEASE, type DeliveryRow, type LeasedDelivery } from '../store/delivery-sql';
import type { SqlRunner } from '../store/sql-runner';
import type { Metrics } from '../observability/metrics';
import { addDeliverJob } from '../store/queue';
import type { ChannelPacer } from './pacer';
import { SendError, type ChatSender, type DeliveryContent } from './sender';

export interface DeliveryPolicy {
  maxAttempts: number;
  /** first retry delay; doubles per attempt, with full jitter, capped at five minutes */
  retryBaseMs: number;
}

export interface DeliverDeps {
  db: Db;
  /** the run's own statements (src/store/delivery-sql.ts): plain `pg` in the app */
  sql: SqlRunner;
  digests: DigestService;
  senders: Record<string, ChatSender>;
  /** per platform, for senders that do not pace themselves (Teams' sender keeps its own, at Teams' limit) */
  pacers: Partial<Record<string, ChannelPacer>>;
  policy: DeliveryPolicy;
  logger: Logger;
  metrics?: Metrics;
}

/**
 * Drives one delivery to "sent, showing the latest content". Idempotent: run it any number of
 * times, concurrently or after a crash, and the channel gets one message. Before each post the
 * attempt is recorded; if an attempt's outcome is unknown, the next run looks for the message
 * (tagged with the delivery id) before posting again. No database transaction is open while the
 * platform is called.
 */
export async function deliver(deps: DeliverDeps, deliveryId: string): Promise<void> {
  const { sql } = deps;
  const log = deps.logger.child({ deliveryId });
  const [delivery] = await sql.query<DeliveryRow>(READ_DELIVERY, [deliveryId]);
  if (!delivery) return;
  const sender = deps.senders[delivery.platform];
  if (!sender) {
    await markFailed(deps, deliveryId, `no sender for platform ${delivery.platform}`);
    return;
  }
  // Wait for the channel's turn before leasing: a lease outlives any single call, not a long queue.
  await deps.pacers[delivery.platform]?.wait(delivery.channelId);
  // One worker at a time talks to the platform about a delivery (a sweeper's re-queue may run
  // beside the original job). The lease expires if its holder dies. Taking it re-reads the row,
  // since the state may have moved while this job waited.
  const [leased] = await sql.query<LeasedDelivery>(LEASE_DELIVERY, [deliveryId]);
  if (!leased) {
    await deps.db.$executeRaw(addDeliverJob(deliveryId, new Date(Date.now() + LEASE_RETRY_MS)));
    return;
  }
  let released = false;
  try {
    released = await attempt(deps, leased, log);
  } finally {
    if (!released) await sql.query(RELEASE_LEASE, [deliveryId]);
  }
}

/** Queued behind a held lease: look again shortly (the holder may be posting older content). */
const LEASE_RETRY_MS = 2_000;

/** Returns true when it released the lease itself (with the write that recorded the post). */
async function attempt(deps: DeliverDeps, delivery: LeasedDelivery, log: Logger): Promise<boolean> {
  const { db, sql } = deps;
  const deliveryId = delivery.id;
  const sender = deps.senders[delivery.platform]!;
  const target = { workspaceId: delivery.workspaceId, channelId: delivery.channelId };
  const version = delivery.contentVersion;
  try {
    let messageId = delivery.messageId;
    // attemptedAt is the previous post's time: its outcome was not recorded, so look before posting again
    const searched = !messageId && delivery.attemptedAt !== null;
    if (searched) {
      messageId = (await sender.findPosted(target, deliveryId, delivery.attemptedAt!)) ?? null;
      if (messageId) {
        log.info({ messageId }, 'found the message an earlier attempt posted; not posting again');
        deps.metrics?.deliveryAttempts.inc({ platform: delivery.platform, result: 'found' });
        // The found message may show older content; rendered 0 makes the next step update it.
        await sql.query(MARK_FOUND, [deliveryId, messageId]);
      }
    }
    const content = await loadContent(deps, delivery);
    if (!content) {
      await markFailed(deps, deliveryId, `nothing to send: ${delivery.kind} ${delivery.subjectId} not found`);
      return false;
    }
    if (sender.hasContent && !sender.hasContent(content)) {
      await db.delivery.update({ where: { id: deliveryId }, data: { status: 'cancelled', lastError: 'nothing to show', updatedAt: new Date() } });
      return false;
    }
    if (!messageId) {
      if (searched) await sql.query(MARK_ATTEMPT, [deliveryId]);
      const posted = await sender.post(target, deliveryId, content);
      await sql.query(MARK_POSTED, [deliveryId, posted, version]);
      log.info({ channel: delivery.channelId, messageId: posted }, 'delivered');
      deps.metrics?.deliveryAttempts.inc({ platform: delivery.platform, result: 'sent' });
      deps.metrics?.deliveryLag.observe({ platform: delivery.platform, kind: delivery.kind }, (Date.now() - delivery.createdAt.getTime()) / 1000);
      return true;
    }
    await sender.update(target, messageId, deliveryId, content);
    await sql.query(MARK_UPDATED, [deliveryId, version]);
    log.info({ channel: delivery.channelId, messageId }, 'message updated');
    deps.metrics?.deliveryAttempts.inc({ platform: delivery.platform, result: 'updated' });
    return true;
  } catch (error) {
    if (!(error instanceof SendError)) throw error;
    deps.metrics?.deliveryAttempts.inc({ platform: delivery.platform, result: error.kind });
    if (error.kind === 'rate_limited') deps.pacers[delivery.platform]?.block(delivery.channelId, error.retryAfterMs ?? 1_000);
    await handleFailure(deps, deliveryId, error, log);
  }
  return false;
}

async function loadContent(deps: DeliverDeps, delivery: LeasedDelivery): Promise<DeliveryContent | undefined> {
  if (delivery.kind === RESULT_KIND) {
    return delivery.result ? { kind: RESULT_KIND, view: interviewResultView(delivery.subjectId, delivery.result, delivery.hideName) } : undefined;
  }
  if (delivery.kind === DIGEST_KIND) {
    // subject "<digest id>:<part>": one delivery per message of a digest split to fit the platform
    const [digestId, part] = delivery.subjectId.split(':');
    const digest = await deps.db.digest.findUnique({ where: { id: digestId! }, select: { parts: true } });
    const view = digest ? await deps.digests.view(digestId!) : undefined;
    return view && digest ? { kind: DIGEST_KIND, view, part: Number(part), parts: digest.parts } : undefined;
  }
  return undefined;
}

async function handleFailure(deps: DeliverDeps, deliveryId: string, error: SendError, log: Logger): Promise<void> {
  const { db } = deps;
  const delivery = await db.delivery.findUniqueOrThrow({ where: { id: deliveryId }, include: { subscription: true } });
  if (error.kind === 'gone') {
    await pauseChannel(deps, delivery, error.message);
    return;
  }
  if (error.kind === 'permanent' || delivery.attempts >= deps.policy.maxAttempts) {
    await markFailed(deps, deliveryId, error.message);
    return;
  }
  const backoff = Math.min(300_000, deps.policy.retryBaseMs * 2 ** Math.max(0, delivery.attempts - 1));
  const jittered = Math.round(backoff / 2 + Math.random() * (backoff / 2));
  // a sender may ask for a floor: Retry-After, or time for a lost post to become searchable
  const delay = error.kind === 'rate_limited' ? (error.retryAfterMs ?? 1_000) : Math.max(jittered, error.retryAfterMs ?? 0);
  const runAt = new Date(Date.now() + delay);
  await db.$transaction([
    db.delivery.update({ where: { id: deliveryId }, data: { lastError: error.message, nextAttemptAt: runAt, updatedAt: new Date() } }),
    db.$executeRaw(addDeliverJob(deliveryId, runAt)),
  ]);
  log.warn({ kind: error.kind, attempts: delivery.attempts, retryInMs: delay, err: error.message }, 'delivery attempt failed; will retry');
}

async function markFailed(deps: DeliverDeps, deliveryId: string, reason: string): Promise<void> {
  const failed = await deps.db.delivery.update({ where: { id: deliveryId }, data: { status: 'failed', lastError: reason, updatedAt: new Date() } });
  deps.logger.error({ deliveryId, reason }, 'delivery failed for good (dead letter); `npx panelist deliveries retry` re-queues it');
  deps.metrics?.deadLetters.inc({ platform: failed.platform, kind: failed.kind });
}

/** The channel cannot take messages: pause its subscriptions and pending messages, and say so. */
async function pauseChannel(
  deps: DeliverDeps,
  delivery: { id: string; platform: string; workspaceId: string; channelId: string; subscription: { createdBy: string } | null },
  reason: string,
): Promise<void> {
  const now = new Date();
  await deps.db.$transaction([
    deps.db.subscription.updateMany({
      where: { platform: delivery.platform, channelId: delivery.channelId, pausedAt: null },
      data: { pausedAt: now, pausedReason: reason },
    }),
    deps.db.delivery.updateMany({
      where: { platform: delivery.platform, channelId: delivery.channelId, status: 'pending' },
      data: { status: 'paused', lastError: reason, updatedAt: now },
    }),
  ]);
  deps.logger.warn({ deliveryId: delivery.id, channel: delivery.channelId, reason }, 'channel cannot take messages; its subscriptions are paused');
  const sender = deps.senders[delivery.platform];
  if (delivery.subscription && sender?.notifyUser) {
    await sender
      .notifyUser(
        delivery.workspaceId,
        delivery.subscription.createdBy,
        `I can't post to <#${delivery.channelId}> (${reason}), so its Panelist subscriptions are paused. ` +
          'Invite me back with `/invite @Panelist` in that channel, then run `/spec subscribe …` there again; held messages will follow.',
      )
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not tell the subscriber about the pause'));
  }
}
