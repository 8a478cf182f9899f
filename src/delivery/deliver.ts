import type { Logger } from 'pino';
import { interviewResult } from '../services/interview-results';
import { DIGEST_KIND, type DigestService } from '../services/digests';
import { RESULT_KIND } from '../services/interview-apply';
import { Prisma, type Db } from '../store/db';
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
  const { db } = deps;
  const log = deps.logger.child({ deliveryId });
  const [delivery] = await db.$queryRaw<DeliveryRow[]>`SELECT ${DELIVERY_COLUMNS} FROM delivery d WHERE d.id = ${deliveryId}::uuid`;
  if (!delivery || !needsWork(delivery)) return;
  const sender = deps.senders[delivery.platform];
  if (!sender) {
    await markFailed(deps, deliveryId, `no sender for platform ${delivery.platform}`);
    return;
  }
  await deps.pacers[delivery.platform]?.wait(delivery.channelId);
  // One worker at a time talks to the platform about a delivery (a sweeper's re-queue may run
  // beside the original job). The lease outlives any single call and expires if its holder dies.
  // Taking it re-reads the row, since the state may have moved while this job waited.
  const [leased] = await db.$queryRaw<DeliveryRow[]>`
    UPDATE delivery d SET lease_until = now() + interval '2 minutes'
    WHERE d.id = ${deliveryId}::uuid AND (d.lease_until IS NULL OR d.lease_until < now())
    RETURNING ${DELIVERY_COLUMNS}`;
  if (!leased) {
    await db.$executeRaw(addDeliverJob(deliveryId, new Date(Date.now() + LEASE_RETRY_MS)));
    return;
  }
  let released = false;
  try {
    released = await attempt(deps, leased, log);
  } finally {
    if (!released) await db.$executeRaw`UPDATE delivery SET lease_until = NULL WHERE id = ${deliveryId}::uuid`;
  }
}

/** What a run needs of a delivery, read in the statement that reads or leases it. */
interface DeliveryRow {
  id: string;
  kind: string;
  subjectId: string;
  platform: string;
  workspaceId: string;
  channelId: string;
  status: string;
  messageId: string | null;
  contentVersion: number;
  renderedVersion: number;
  attemptedAt: Date | null;
  createdAt: Date;
  /** the subscription's privacy; a delivery whose subscription is gone hides names */
  hideName: boolean;
}

const DELIVERY_COLUMNS = Prisma.sql`d.id, d.kind, d.subject_id AS "subjectId", d.platform, d.workspace_id AS "workspaceId",
  d.channel_id AS "channelId", d.status, d.message_id AS "messageId", d.content_version AS "contentVersion",
  d.rendered_version AS "renderedVersion", d.attempted_at AS "attemptedAt", d.created_at AS "createdAt",
  coalesce((SELECT s.private FROM subscription s WHERE s.id = d.subscription_id), true) AS "hideName"`;

function needsWork(delivery: DeliveryRow): boolean {
  if (SETTLED.has(delivery.status)) return false;
  return !delivery.messageId || delivery.renderedVersion < delivery.contentVersion;
}

/** States no job acts on: a dead letter waits for an operator, a paused one for its channel. */
const SETTLED = new Set(['failed', 'paused', 'cancelled']);

/** Queued behind a held lease: look again shortly (the holder may be posting older content). */
const LEASE_RETRY_MS = 2_000;

/** Returns true when it released the lease itself (with the write that recorded the post). */
async function attempt(deps: DeliverDeps, delivery: DeliveryRow, log: Logger): Promise<boolean> {
  const { db } = deps;
  const deliveryId = delivery.id;
  if (!needsWork(delivery)) return false;
  const sender = deps.senders[delivery.platform]!;
  const target = { workspaceId: delivery.workspaceId, channelId: delivery.channelId };
  const version = delivery.contentVersion;
  try {
    let messageId = delivery.messageId;
    if (!messageId && delivery.attemptedAt) {
      messageId = (await sender.findPosted(target, deliveryId, delivery.attemptedAt)) ?? null;
      if (messageId) {
        log.info({ messageId }, 'found the message an earlier attempt posted; not posting again');
        deps.metrics?.deliveryAttempts.inc({ platform: delivery.platform, result: 'found' });
        // The found message may show older content; rendered 0 makes the next step update it.
        await db.delivery.update({ where: { id: deliveryId }, data: { messageId, status: 'sent', postedAt: new Date(), renderedVersion: 0 } });
      }
    }
    const content = await loadContent(deps, delivery.kind, delivery.subjectId, delivery.hideName);
    if (!content) {
      await markFailed(deps, deliveryId, `nothing to send: ${delivery.kind} ${delivery.subjectId} not found`);
      return false;
    }
    if (sender.hasContent && !sender.hasContent(content)) {
      await db.delivery.update({ where: { id: deliveryId }, data: { status: 'cancelled', lastError: 'nothing to show', updatedAt: new Date() } });
      return false;
    }
    if (!messageId) {
      await db.delivery.update({
        where: { id: deliveryId },
        data: { attemptedAt: new Date(), attempts: { increment: 1 }, updatedAt: new Date() },
      });
      const posted = await sender.post(target, deliveryId, content);
      // attempts counts the current failure streak: a success ends it; the lease ends with it
      await db.$executeRaw`
        UPDATE delivery SET message_id = ${posted}, status = 'sent', posted_at = now(), rendered_version = ${version},
               attempts = 0, last_error = NULL, updated_at = now(), lease_until = NULL
        WHERE id = ${deliveryId}::uuid`;
      log.info({ channel: delivery.channelId, messageId: posted }, 'delivered');
      deps.metrics?.deliveryAttempts.inc({ platform: delivery.platform, result: 'sent' });
      deps.metrics?.deliveryLag.observe({ platform: delivery.platform, kind: delivery.kind }, (Date.now() - delivery.createdAt.getTime()) / 1000);
      return true;
    } else {
      await db.delivery.update({ where: { id: deliveryId }, data: { attempts: { increment: 1 }, updatedAt: new Date() } });
      await sender.update(target, messageId, deliveryId, content);
      // Only ever move forward: a slower, older update must not mark newer content as shown.
      await db.delivery.updateMany({
        where: { id: deliveryId, renderedVersion: { lt: version } },
        data: { renderedVersion: version, status: 'sent', attempts: 0, lastError: null, updatedAt: new Date() },
      });
      log.info({ channel: delivery.channelId, messageId }, 'message updated');
      deps.metrics?.deliveryAttempts.inc({ platform: delivery.platform, result: 'updated' });
    }
  } catch (error) {
    if (!(error instanceof SendError)) throw error;
    deps.metrics?.deliveryAttempts.inc({ platform: delivery.platform, result: error.kind });
    if (error.kind === 'rate_limited') deps.pacers[delivery.platform]?.block(delivery.channelId, error.retryAfterMs ?? 1_000);
    await handleFailure(deps, deliveryId, error, log);
  }
  return false;
}

async function loadContent(deps: DeliverDeps, kind: string, subjectId: string, hideName: boolean): Promise<DeliveryContent | undefined> {
  if (kind === RESULT_KIND) {
    const view = await interviewResult(deps.db, subjectId, hideName);
    return view ? { kind: RESULT_KIND, view } : undefined;
  }
  if (kind === DIGEST_KIND) {
    // subject "<digest id>:<part>": one delivery per message of a digest split to fit the platform
    const [digestId, part] = subjectId.split(':');
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
