import type { Db } from '../store/db';
import type { ActorContext } from './actor';
import { recordAudit } from './audit';
import { ensureDigestSchedule } from './digest-schedules';
import type { ChannelRef } from './actor';
import { resumeChannel } from './paused-channels';
import { ALL_SPECS } from './permissions';
import { findSpec } from './spec-lookup';

export interface SubscriptionInfo {
  id: string;
  scope: { kind: 'all' } | { kind: 'spec'; slug: string; id: string };
  private: boolean;
  pausedReason: string | null;
}

/** Which channels follow which specs. Anyone may subscribe the channel they are in. */
export class SubscriptionService {
  constructor(private readonly db: Db) {}

  async subscribe(context: ActorContext, channel: ChannelRef, reference: string | 'all', isPrivate: boolean) {
    return this.db.$transaction(async (tx) => {
      const spec = reference === 'all' ? undefined : await findSpec(tx, context.organizationId, reference);
      const scope = spec?.id ?? ALL_SPECS;
      const key = { platform_channelId_scope: { platform: channel.platform, channelId: channel.channelId, scope } };
      const before = await tx.subscription.findUnique({ where: key });
      // Subscribing again also resumes a paused subscription (e.g. after inviting the bot back).
      const subscription = await tx.subscription.upsert({
        where: key,
        create: {
          organizationId: context.organizationId,
          platform: channel.platform,
          workspaceId: channel.workspaceId,
          channelId: channel.channelId,
          scope,
          private: isPrivate,
          createdBy: context.actor.userId,
        },
        update: { private: isPrivate, pausedAt: null, pausedReason: null },
      });
      // The bot is back in the channel: everything held for it resumes, whichever subscription it came from.
      const resumed = await resumeChannel(tx, channel);
      await ensureDigestSchedule(tx, context, channel);
      await recordAudit(tx, context, {
        action: 'subscription.add',
        specId: spec?.id,
        detail: { channel: channel.channelId, private: isPrivate },
      });
      return { created: !before, resumed: Boolean(before?.pausedAt) || resumed.subscriptions > 0, info: info(subscription, spec) };
    });
  }

  async unsubscribe(context: ActorContext, channel: ChannelRef, reference: string | 'all') {
    return this.db.$transaction(async (tx) => {
      const spec = reference === 'all' ? undefined : await findSpec(tx, context.organizationId, reference);
      const where = { platform: channel.platform, channelId: channel.channelId, organizationId: context.organizationId };
      // "all" stops everything the channel follows; a spec stops that spec only.
      const subscriptions = await tx.subscription.findMany({ where: spec ? { ...where, scope: spec.id } : where });
      for (const subscription of subscriptions) {
        await tx.delivery.updateMany({
          where: { subscriptionId: subscription.id, status: { in: ['pending', 'paused'] } },
          data: { status: 'cancelled', lastError: 'unsubscribed' },
        });
      }
      const removed = await tx.subscription.deleteMany({ where: { id: { in: subscriptions.map((s) => s.id) } } });
      if (removed.count > 0) {
        await recordAudit(tx, context, { action: 'subscription.remove', specId: spec?.id, detail: { channel: channel.channelId } });
      }
      return { removed: removed.count, slug: spec?.slug };
    });
  }

  async list(organizationId: string, channel: ChannelRef): Promise<SubscriptionInfo[]> {
    const subscriptions = await this.db.subscription.findMany({
      where: { organizationId, platform: channel.platform, channelId: channel.channelId },
      orderBy: { createdAt: 'asc' },
    });
    const specs = await this.db.spec.findMany({ where: { id: { in: subscriptions.map((s) => s.scope).filter((s) => s !== ALL_SPECS) } } });
    return subscriptions.map((s) =>
      info(
        s,
        specs.find((spec) => spec.id === s.scope),
      ),
    );
  }
}

function info(
  subscription: { id: string; scope: string; private: boolean; pausedReason: string | null },
  spec: { id: string; slug: string } | undefined,
): SubscriptionInfo {
  return {
    id: subscription.id,
    scope: subscription.scope === ALL_SPECS || !spec ? { kind: 'all' } : { kind: 'spec', slug: spec.slug, id: spec.id },
    private: subscription.private,
    pausedReason: subscription.pausedReason,
  };
}
