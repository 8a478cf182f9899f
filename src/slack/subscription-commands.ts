import type { App } from '@slack/bolt';
import type { SlashCommand } from '@slack/bolt';
import type { Command } from '../domain/command';
import { describeDigestTime } from '../domain/digest-schedule';
import type { ScheduleInfo } from '../services/digest-schedules';
import type { SubscriptionInfo } from '../services/subscriptions';
import { code, joinMrkdwn, mrkdwn, type Mrkdwn } from './render/mrkdwn';
import { when } from './render/text';
import { plain, type Reply } from './replies';
import type { SlackServices } from './services';

type Client = Parameters<Parameters<App['command']>[1]>[0]['client'];
type SubscriptionCommand = Extract<Command, { name: 'subscribe' | 'unsubscribe' | 'subscriptions' | 'digest' }>;

/** subscribe / unsubscribe / subscriptions / digest, for the channel the command was typed in. */
export async function runSubscriptionCommand(
  command: SubscriptionCommand,
  slash: SlashCommand,
  services: SlackServices,
  client: Client,
): Promise<Reply> {
  const channel = { platform: 'slack' as const, workspaceId: slash.team_id, channelId: slash.channel_id };
  if (command.name === 'subscriptions') {
    const organizationId = await services.actors.organizationFor(slash.team_id);
    const [subscriptions, schedule] = await Promise.all([
      services.subscriptions.list(organizationId, channel),
      services.digestSchedules.describe(channel),
    ]);
    return renderSubscriptions(subscriptions, schedule);
  }
  const context = await services.actors.resolve(client, slash.team_id, slash.user_id, slash.user_name);
  if (command.name === 'digest') {
    if (command.schedule === 'off') {
      const changed = await services.digestSchedules.disable(context, channel);
      return plain(
        changed
          ? mrkdwn`:white_check_mark: No more weekly digests in this channel. ${code('/spec digest <day> <HH:MM>')} turns them back on.`
          : mrkdwn`This channel gets no weekly digest; nothing changed.`,
      );
    }
    const info = await services.digestSchedules.set(context, channel, command.schedule);
    return plain(mrkdwn`:white_check_mark: This channel's weekly digest now comes ${describeDigestTime(info.time)}; the next one ${when(info.nextRunAt!)}.`);
  }
  if (command.name === 'unsubscribe') {
    const result = await services.subscriptions.unsubscribe(context, channel, command.spec);
    const what = command.spec === 'all' ? mrkdwn`anything` : code(result.slug ?? String(command.spec));
    return plain(
      result.removed > 0
        ? mrkdwn`:white_check_mark: This channel no longer follows ${command.spec === 'all' ? mrkdwn`any spec` : what}.`
        : mrkdwn`This channel was not following ${what}; nothing changed.`,
    );
  }
  const result = await services.subscriptions.subscribe(context, channel, command.spec, command.private);
  const what = result.info.scope.kind === 'all' ? mrkdwn`every spec` : code(result.info.scope.slug);
  const privacy = command.private ? ' Candidate names are hidden here ("a candidate").' : '';
  const verb = result.created ? 'now follows' : result.resumed ? 'follows again' : 'already follows';
  const lines = [mrkdwn`:white_check_mark: This channel ${verb} ${what}: each completed interview is posted here.${privacy}`];
  if (!(await botIsMember(client, slash.channel_id))) {
    lines.push(mrkdwn`:warning: I am not in this channel yet, so I cannot post here. Invite me with ${code('/invite @Panelist')}.`);
  }
  return plain(joinMrkdwn(lines, '\n'));
}

async function botIsMember(client: Client, channel: string): Promise<boolean> {
  try {
    const info = await client.conversations.info({ channel });
    // DMs and group DMs with the bot have no is_member; the bot is in them by definition.
    return info.channel?.is_member ?? Boolean(info.channel?.is_im || info.channel?.is_mpim);
  } catch {
    // channel_not_found: a private channel the bot is not in.
    return false;
  }
}

function renderSubscriptions(subscriptions: SubscriptionInfo[], schedule: ScheduleInfo | undefined): Reply {
  if (subscriptions.length === 0) {
    return plain(mrkdwn`This channel follows no specs. ${code('/spec subscribe <spec|all> [private]')} starts that.`);
  }
  const digest: Mrkdwn = !schedule
    ? mrkdwn`No weekly digest.`
    : schedule.enabled
      ? mrkdwn`Weekly digest ${describeDigestTime(schedule.time)}; next ${when(schedule.nextRunAt!)}.`
      : mrkdwn`Weekly digest: off (${code('/spec digest <day> <HH:MM>')} turns it on).`;
  const lines = subscriptions.map((s) => {
    const what = s.scope.kind === 'all' ? mrkdwn`all specs` : code(s.scope.slug);
    const flags = [s.private ? 'names hidden' : undefined, s.pausedReason ? `paused: ${s.pausedReason}` : undefined].filter(Boolean);
    return mrkdwn`• ${what}${flags.length > 0 ? ` (${flags.join(', ')})` : ''}`;
  });
  return plain(mrkdwn`*This channel follows*\n${joinMrkdwn(lines, '\n')}\n${digest}`);
}
