import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { channelGoneNotice } from '../conversation';
import type { Metrics } from '../observability/metrics';
import { tellPausedSubscribers } from '../delivery/pause-notice';
import { SlackSender } from './sender';
import { pauseChannel, pauseWorkspace, resumeChannel, type WORKSPACE_PAUSE_REASONS } from '../services/paused-channels';
import type { Db } from '../store/db';
import { boltLogger } from './bolt-logger';
import type { SlackInstallationStore } from './installation-store';
import { slackTokenLookup } from './tokens';

/** What a channel event means for the channel's subscriptions, in words on the subscription. */
const CHANNEL_GONE = {
  removed: 'Panelist was removed from the channel',
  archived: 'the channel was archived',
  deleted: 'the channel was deleted',
} as const;

/**
 * Slack's platform events (the manifest's bot_events), all idempotent because Slack retries:
 * - app_uninstalled, tokens_revoked (bot token): the workspace's token is dead. OAuth mode removes
 *   the installation; either mode pauses the workspace's subscriptions and deliveries, so nothing
 *   dead-letters against a dead token. OAuth: installing again resumes them (installation-store.ts).
 *   Single-token mode has no install flow to notice: a channel resumes when the bot is invited back
 *   (member_joined_channel) or someone runs `/spec subscribe` there.
 * - tokens_revoked (user tokens only): forgets that user's token; the bot keeps working.
 * - channel_left/group_left, channel_archive/group_archive, channel_deleted/group_deleted: the
 *   channel's subscriptions and pending deliveries pause, and each subscriber gets a DM.
 * - member_joined_channel for the bot itself: the channel resumes and held messages are sent.
 */
export function registerPlatformEvents(
  app: App,
  config: Config,
  db: Db,
  installationStore: SlackInstallationStore | undefined,
  log: Logger,
  metrics?: Metrics,
): void {
  const tokenFor = slackTokenLookup(config, db);
  const sender = tokenFor ? new SlackSender(tokenFor, { slackApiUrl: config.slackApiUrl, logger: boltLogger(log) }) : undefined;
  const handled = (type: string, outcome: 'applied' | 'stale') => metrics?.slackPlatformEvents.inc({ type, outcome });

  const workspaceTokenGone = async (
    context: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean },
    why: (typeof WORKSPACE_PAUSE_REASONS)[number],
    sentAt: Date | undefined,
  ) => {
    const workspaceInstall = Boolean(context.teamId) && !context.isEnterpriseInstall;
    if (installationStore && workspaceInstall && sentAt) {
      const outcome = await installationStore.deleteInstallationWrittenBefore(context.teamId!, sentAt);
      if (outcome === 'newer') {
        log.info({ team: context.teamId, why }, 'a token-gone event older than the current installation: ignored');
        handled(why, 'stale');
        return;
      }
    } else if (installationStore) {
      await installationStore.deleteInstallation({
        teamId: context.teamId,
        enterpriseId: context.enterpriseId,
        isEnterpriseInstall: Boolean(context.isEnterpriseInstall),
      });
    }
    if (!context.teamId) {
      log.warn(
        { enterprise: context.enterpriseId, why },
        'an org-wide installation lost its token; its workspaces are not paused one by one',
      );
      handled(why, 'applied');
      return;
    }
    const paused = await pauseWorkspace(db, 'slack', context.teamId, why);
    log.info(
      { team: context.teamId, why, ...paused, installationRemoved: Boolean(installationStore) },
      'the workspace token is gone; its subscriptions are paused',
    );
    if (!installationStore)
      log.warn(
        { team: context.teamId },
        'SLACK_BOT_TOKEN no longer works for this workspace: reinstall the app, set the new token, restart',
      );
    handled(why, 'applied');
  };

  app.event('app_uninstalled', async ({ event, body, context }) => workspaceTokenGone(context, 'app_uninstalled', sentAtOf(event, body)));

  app.event('tokens_revoked', async ({ event, body, context }) => {
    if ((event.tokens.bot ?? []).length > 0) {
      await workspaceTokenGone(context, 'tokens_revoked', sentAtOf(event, body));
      return;
    }
    // Panelist asks for no user scopes, but an installer's token may still have been stored.
    for (const userId of event.tokens.oauth ?? []) {
      await installationStore?.deleteInstallation({
        teamId: context.teamId,
        enterpriseId: context.enterpriseId,
        isEnterpriseInstall: Boolean(context.isEnterpriseInstall),
        userId,
      });
    }
    handled('tokens_revoked', 'applied');
  });

  const channelGone = async (channel: string, what: keyof typeof CHANNEL_GONE) => {
    const reason = CHANNEL_GONE[what];
    const subscribers = await pauseChannel(db, { platform: 'slack', channelId: channel }, reason);
    if (subscribers.length > 0) log.info({ channel, reason }, 'channel paused');
    await tellPausedSubscribers(sender, subscribers, () => channelGoneNotice(what, channel), log);
    handled(what === 'removed' ? 'channel_left' : what === 'archived' ? 'channel_archive' : 'channel_deleted', 'applied');
  };
  app.event('channel_left', async ({ event }) => channelGone(event.channel, 'removed'));
  app.event('group_left', async ({ event }) => channelGone(event.channel, 'removed'));
  app.event('channel_archive', async ({ event }) => channelGone(event.channel, 'archived'));
  app.event('group_archive', async ({ event }) => channelGone(event.channel, 'archived'));
  app.event('channel_deleted', async ({ event }) => channelGone(event.channel, 'deleted'));
  app.event('group_deleted', async ({ event }) => channelGone(event.channel, 'deleted'));

  app.event('member_joined_channel', async ({ event, context }) => {
    // Someone else joining says nothing about Panelist's subscriptions.
    if (!context.botUserId || event.user !== context.botUserId) return;
    const resumed = await db.$transaction((tx) => resumeChannel(tx, { platform: 'slack', channelId: event.channel }));
    if (resumed.subscriptions > 0) log.info({ channel: event.channel, ...resumed }, 'invited back: the channel resumed');
    handled('member_joined_channel', 'applied');
  });
}

/**
 * When Slack sent the event: the event's own `event_ts` (microseconds) where it has one, else the
 * envelope's `event_time` (whole seconds). Undefined when neither is a plausible time.
 */
function sentAtOf(event: unknown, body: unknown): Date | undefined {
  const eventTs = Number((event as { event_ts?: unknown }).event_ts);
  const eventTime = Number((body as { event_time?: unknown }).event_time);
  const seconds = Number.isFinite(eventTs) && eventTs > 0 ? eventTs : Number.isFinite(eventTime) && eventTime > 0 ? eventTime : undefined;
  // To the whole microsecond first: 1764723560.123 * 1000 is 1764723560122.9998 in floating point.
  return seconds === undefined ? undefined : new Date(Math.ceil(Math.round(seconds * 1e6) / 1e3));
}
