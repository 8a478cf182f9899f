import type { Db, Tx } from '../store/db';
import { enqueueDelivery } from '../store/queue';

/**
 * Pausing and resuming the channels Panelist posts to. A paused subscription makes new deliveries
 * paused (store/deliveries.ts); a paused delivery has no job. Resuming re-queues what was held.
 *
 * Callers: the delivery pipeline (a post answered "not in channel"), Slack's platform events (the
 * bot left, the channel was archived or deleted, the app was uninstalled, and their reverses) and
 * `/spec subscribe` (subscribing again is how a channel is resumed by hand).
 */

export interface ChannelKey {
  platform: string;
  channelId: string;
}

/** Someone whose subscription was just paused: who to tell, and where they can be reached. */
export interface PausedSubscriber {
  workspaceId: string;
  channelId: string;
  userId: string;
}

/**
 * Why a whole Slack workspace was paused. Only these are lifted when the workspace installs again:
 * a channel paused for its own reason (the bot left it) stays paused until the bot is back in it.
 */
export const WORKSPACE_PAUSE_REASONS = ['app_uninstalled', 'tokens_revoked'] as const;

/** Pauses a channel's running subscriptions and its pending deliveries; returns whom to tell (once each). */
export async function pauseChannel(db: Db, channel: ChannelKey, reason: string): Promise<PausedSubscriber[]> {
  const now = new Date();
  return db.$transaction(async (tx) => {
    const running = await tx.subscription.findMany({
      where: { platform: channel.platform, channelId: channel.channelId, pausedAt: null },
      select: { id: true, workspaceId: true, channelId: true, createdBy: true },
    });
    await tx.subscription.updateMany({
      where: { id: { in: running.map((s) => s.id) }, pausedAt: null },
      data: { pausedAt: now, pausedReason: reason },
    });
    await tx.delivery.updateMany({
      where: { platform: channel.platform, channelId: channel.channelId, status: 'pending' },
      data: { status: 'paused', lastError: reason, sendAt: null, updatedAt: now },
    });
    return distinctSubscribers(running);
  });
}

/** Pauses every channel of a workspace (its token is gone); nobody can be told, there is no token to tell them with. */
export async function pauseWorkspace(
  db: Db,
  platform: string,
  workspaceId: string,
  reason: (typeof WORKSPACE_PAUSE_REASONS)[number],
): Promise<{ subscriptions: number; deliveries: number }> {
  const now = new Date();
  const [subscriptions, deliveries] = await db.$transaction([
    db.subscription.updateMany({ where: { platform, workspaceId, pausedAt: null }, data: { pausedAt: now, pausedReason: reason } }),
    db.delivery.updateMany({
      where: { platform, workspaceId, status: 'pending' },
      data: { status: 'paused', lastError: reason, sendAt: null, updatedAt: now },
    }),
  ]);
  return { subscriptions: subscriptions.count, deliveries: deliveries.count };
}

/** Resumes every paused subscription of a channel and re-queues its held deliveries, inside the caller's transaction. */
export async function resumeChannel(tx: Tx, channel: ChannelKey): Promise<{ subscriptions: number; deliveries: number }> {
  const resumed = await tx.subscription.updateMany({
    where: { platform: channel.platform, channelId: channel.channelId, pausedAt: { not: null } },
    data: { pausedAt: null, pausedReason: null },
  });
  const held = await tx.delivery.findMany({
    where: { platform: channel.platform, channelId: channel.channelId, status: 'paused' },
    select: { id: true, platform: true, kind: true },
  });
  for (const { id, platform, kind } of held) {
    await tx.delivery.update({ where: { id }, data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(), updatedAt: new Date() } });
    await enqueueDelivery(tx, { id, platform, kind });
  }
  return { subscriptions: resumed.count, deliveries: held.length };
}

/**
 * The workspace is installed again: resumes its channels that were paused only because the
 * workspace was (uninstall, revoked token). A channel also paused for a reason of its own waits
 * for the bot to be invited back.
 */
export async function resumeWorkspace(db: Db, platform: string, workspaceId: string): Promise<{ channels: number; deliveries: number }> {
  return db.$transaction(async (tx) => {
    const paused = await tx.subscription.findMany({
      where: { platform, workspaceId, pausedAt: { not: null } },
      select: { channelId: true, pausedReason: true },
    });
    const ownReason = new Set(paused.filter((s) => !isWorkspaceReason(s.pausedReason)).map((s) => s.channelId));
    const channels = [...new Set(paused.map((s) => s.channelId))].filter((channelId) => !ownReason.has(channelId));
    let deliveries = 0;
    for (const channelId of channels) deliveries += (await resumeChannel(tx, { platform, channelId })).deliveries;
    return { channels: channels.length, deliveries };
  });
}

function isWorkspaceReason(reason: string | null): boolean {
  return (WORKSPACE_PAUSE_REASONS as readonly (string | null)[]).includes(reason);
}

function distinctSubscribers(subscriptions: { workspaceId: string; channelId: string; createdBy: string }[]): PausedSubscriber[] {
  const seen = new Map<string, PausedSubscriber>();
  for (const s of subscriptions)
    seen.set(`${s.workspaceId}:${s.createdBy}`, { workspaceId: s.workspaceId, channelId: s.channelId, userId: s.createdBy });
  return [...seen.values()];
}
