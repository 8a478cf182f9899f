import type { Logger } from 'pino';
import { paceOf, type DeliverDeps } from './deps';
import { interviewResultView } from '../services/interview-results';
import { ChartPending } from '../services/digest-charts';
import { DIGEST_KIND } from '../services/digests';
import { RESULT_KIND } from '../services/interview-apply';
import { publishedVersionFrom, SPEC_VERSION_KIND } from '../services/spec-publication';
import type { LeasedDelivery } from '../store/delivery-sql';
import { parkForChart, wakeChartWaiters } from '../store/chart-waits';
import { digestMessageRow } from '../store/digest-view-sql';
import { leaseDelivery, markAttempt, markFound, markPosted, markUpdated, releaseLease, takeTurn } from '../store/delivery-steps';
import { enqueueDelivery } from '../store/queue';
import { leaseInLine, markPostedInLine } from '../store/version-line';
import { handleFailure, markFailed } from './failures';
import { SendError, type ChatSender, type DeliveryContent } from './sender';

/**
 * Drives one delivery to "sent, showing the latest content". Idempotent: run it any number of
 * times, concurrently or after a crash, and the channel gets one message. A delivery whose turn in
 * its channel has not come is rescheduled to it, never waited for: the worker slot and the
 * connection go straight back to other channels (a spec version behind an unfinished one is left
 * for that one to wake). Before each post the attempt is recorded; if an attempt's outcome is
 * unknown, the next run looks for the message (tagged with the delivery id) before posting again.
 * No database transaction is open while the platform is called.
 */
export async function deliver(deps: DeliverDeps, platform: string, deliveryId: string): Promise<void> {
  const sender = deps.senders[platform];
  // The worker registers `deliver:<platform>` only for the platforms it has a sender for.
  if (!sender) throw new Error(`no sender for platform ${platform} in this process`);
  let next: string | undefined = deliveryId;
  for (let run = 1; next; run += 1) next = await deliverOne(deps, sender, platform, next, run < LINE_RUN);
}

/**
 * In a line, the worker that sent a version goes on with the next one of the same spec, if one is
 * waiting, instead of handing it to a job: under load each hand-over (notify, fetch, start,
 * complete) stretched every step of a spec's line, and a spec saved twice a second fell behind.
 * After this many in a row it hands over anyway, so one busy spec cannot keep a worker for ever.
 */
const LINE_RUN = 20;

/** One delivery; returns the next version of its spec to go on with, when `mayGoOn` and there is one. */
async function deliverOne(
  deps: DeliverDeps,
  sender: ChatSender,
  platform: string,
  deliveryId: string,
  mayGoOn: boolean,
): Promise<string | undefined> {
  const log = deps.logger.child({ deliveryId });
  const taken = deps.inLine.has(platform) ? await takeInLine(deps, deliveryId, log) : await takeInTurn(deps, platform, deliveryId, log);
  if (!taken) return undefined;
  if (!taken.leased) {
    // Another run holds the lease. A chat message is looked at again shortly (the holder may be
    // posting older content); in a line the holder is sending this very version (versions never
    // change), and should it die, the sweeper re-queues the version once its lease has expired.
    if (!deps.inLine.has(platform)) {
      await enqueueDelivery(deps.db, { id: deliveryId, platform, kind: taken.kind }, new Date(Date.now() + LEASE_RETRY_MS));
    }
    return undefined;
  }
  let outcome: Attempted = { released: false };
  try {
    outcome = await attempt(deps, sender, taken.leased, log, mayGoOn);
  } finally {
    if (!outcome.released) await releaseLease(deps.sql, deliveryId);
  }
  return outcome.next;
}

/** `released`: the lease ended with the write that recorded the post; `next`: the version to go on with. */
type Attempted = { released: boolean; next?: string };

/**
 * The delivery leased, ready to send; `kind` alone when another run holds the lease; undefined when
 * it has nothing left to do or must wait (its job moved to its turn, or, in a line, to be woken).
 */
type Taken = { leased: LeasedDelivery } | { leased?: undefined; kind: string } | undefined;

/** A chat channel: the delivery's paced turn in it, then the lease. */
async function takeInTurn(deps: DeliverDeps, platform: string, deliveryId: string, log: Logger): Promise<Taken> {
  const turn = await takeTurn(deps.sql, deliveryId, paceOf(deps, platform));
  if (!turn) return undefined;
  if (!turn.due) {
    log.debug({ runAt: turn.runAt }, 'waiting for its turn in the channel');
    return undefined;
  }
  // One worker at a time talks to the platform about a delivery (a sweeper's re-queue may run
  // beside the original job). The lease expires if its holder dies. Taking it re-reads the row,
  // since the state may have moved meanwhile.
  const leased = await leaseDelivery(deps.sql, deliveryId);
  return leased ? { leased } : { kind: turn.kind };
}

/** A lined-up platform: the delivery's place in its line and the lease, in one statement. */
async function takeInLine(deps: DeliverDeps, deliveryId: string, log: Logger): Promise<Taken> {
  const place = await leaseInLine(deps.sql, deliveryId);
  if (!place) return undefined;
  if (place.waitingBehind > 0) {
    log.debug({ waitingBehind: place.waitingBehind }, 'waiting for earlier versions of its spec');
    return undefined;
  }
  return place.leased ? { leased: place.leased } : { kind: place.kind };
}

/** Queued behind a held lease: how soon to look again. */
const LEASE_RETRY_MS = 2_000;

async function attempt(deps: DeliverDeps, sender: ChatSender, delivery: LeasedDelivery, log: Logger, mayGoOn: boolean): Promise<Attempted> {
  const { db, sql } = deps;
  const deliveryId = delivery.id;
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
        await markFound(sql, deliveryId, messageId);
      }
    }
    const content = await loadContent(deps, delivery);
    if (!content) {
      await markFailed(deps, deliveryId, `nothing to send: ${delivery.kind} ${delivery.subjectId} not found`);
      return { released: false };
    }
    if (sender.hasContent && !sender.hasContent(content)) {
      await db.delivery.update({
        where: { id: deliveryId },
        data: { status: 'cancelled', lastError: 'nothing to show', updatedAt: new Date() },
      });
      return { released: false };
    }
    if (!messageId) {
      if (searched) await markAttempt(sql, deliveryId);
      const posted = await sender.post(target, deliveryId, content);
      // In a line, the post is recorded and then the next version of the spec woken (and gone on with).
      const next = deps.inLine.has(delivery.platform)
        ? await markPostedInLine(sql, deliveryId, posted, version, { goOn: mayGoOn })
        : await markPosted(sql, deliveryId, posted, version);
      log.info({ channel: delivery.channelId, messageId: posted }, 'delivered');
      deps.metrics?.deliveryAttempts.inc({ platform: delivery.platform, result: 'sent' });
      deps.metrics?.deliveryLag.observe(
        { platform: delivery.platform, kind: delivery.kind },
        (Date.now() - delivery.createdAt.getTime()) / 1000,
      );
      return { released: true, next: next ?? undefined };
    }
    await sender.update(target, messageId, deliveryId, content);
    await markUpdated(sql, deliveryId, version);
    log.info({ channel: delivery.channelId, messageId }, 'message updated');
    deps.metrics?.deliveryAttempts.inc({ platform: delivery.platform, result: 'updated' });
    return { released: true };
  } catch (error) {
    if (error instanceof ChartPending) {
      await parkUntilDrawn(deps, delivery, error, log);
      return { released: false };
    }
    if (!(error instanceof SendError)) throw error;
    deps.metrics?.deliveryAttempts.inc({ platform: delivery.platform, result: error.kind });
    await handleFailure(deps, delivery, error, log);
  }
  return { released: false };
}

/**
 * A digest part whose chart is being drawn gives its slot back: parked under the picture, woken when
 * it is stored, or after CHART_WAIT_FALLBACK_MS should the drawing's process die. Its turn in the
 * channel stays its own meanwhile, so nothing behind it in the channel overtakes it.
 */
async function parkUntilDrawn(deps: DeliverDeps, delivery: LeasedDelivery, pending: ChartPending, log: Logger): Promise<void> {
  // the leased row is as it was before the lease (LEASE_SET): what the lease stamped and counted is undone
  const before = { messageId: delivery.messageId, attemptedAt: delivery.attemptedAt };
  await parkForChart(deps.sql, delivery.id, pending.imageId, CHART_WAIT_FALLBACK_MS, {
    stampedAttempt: before.messageId === null && before.attemptedAt === null,
    countedAttempt: before.messageId !== null || before.attemptedAt === null,
  });
  // stored between the look and the park: its wake-up has gone by, so this part wakes itself
  if (pending.settled) await wakeChartWaiters(deps.sql, pending.imageId);
  log.debug({ imageId: pending.imageId }, 'waiting for its chart to be drawn');
  deps.metrics?.digestChartWaits.inc();
}

/** A parked part's own job runs this long after parking, should no wake-up come. */
const CHART_WAIT_FALLBACK_MS = 30_000;

async function loadContent(deps: DeliverDeps, delivery: LeasedDelivery): Promise<DeliveryContent | undefined> {
  if (delivery.kind === RESULT_KIND) {
    return delivery.result
      ? { kind: RESULT_KIND, view: interviewResultView(delivery.subjectId, delivery.result, delivery.hideName) }
      : undefined;
  }
  if (delivery.kind === SPEC_VERSION_KIND) {
    return delivery.version ? { kind: SPEC_VERSION_KIND, version: publishedVersionFrom(delivery.version) } : undefined;
  }
  if (delivery.kind === DIGEST_KIND) {
    // subject "<digest id>:<part>": one delivery per message of a digest split to fit the platform
    const [digestId, part] = delivery.subjectId.split(':');
    if (!delivery.digest) return undefined;
    const message = await deps.digests.messageFrom(digestId!, digestMessageRow(delivery.digest));
    return { kind: DIGEST_KIND, view: message.view, part: Number(part), parts: message.parts };
  }
  return undefined;
}
