import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Metrics } from '../observability/metrics';
import type { DigestService } from '../services/digests';
import { boltLogger } from '../slack/bolt-logger';
import { slackTokenLookup } from '../slack/tokens';
import type { Db } from '../store/db';
import { prismaRunner, type SqlRunner } from '../store/sql-runner';
import type { ChannelPace, DeliverDeps } from './deps';
import type { ChatSender } from './sender';
import { SlackSender } from './slack-sender';

/** Everything a delivery run needs, for the app's worker and for `panelist digests run` alike. */
export function deliveryDeps(
  config: Config,
  db: Db,
  digests: DigestService,
  logger: Logger,
  metrics?: Metrics,
  /** senders built elsewhere (Teams: its runtime owns the SDK's authenticated client) */
  extraSenders: Record<string, ChatSender> = {},
  /** the run's hot statements: the app passes its `pg` pool; the CLI goes through Prisma */
  sql: SqlRunner = prismaRunner(db),
): DeliverDeps {
  const tokenFor = slackTokenLookup(config, db);
  const log = logger.child({ component: 'delivery' });
  // The Web API client's own lines (a failed request) go to our JSON log, not to the console.
  const slackOptions = { slackApiUrl: config.slackApiUrl, logger: boltLogger(log) };
  return {
    db,
    sql,
    digests,
    senders: { ...(tokenFor ? { slack: new SlackSender(tokenFor, slackOptions) } : {}), ...extraSenders },
    pacing: channelPacing(config),
    policy: { maxAttempts: config.delivery.maxAttempts, retryBaseMs: config.delivery.retryBaseMs },
    logger: log,
    metrics,
  };
}

/** Each platform's per-channel limit (Slack: SLACK_CHANNEL_RATE/BURST; Teams: TEAMS_CONVERSATION_RATE, Teams allows 7/s). */
export function channelPacing(config: Config): Record<string, ChannelPace> {
  const pace = (perSecond: number, burst: number): ChannelPace => ({ intervalMs: Math.ceil(1000 / perSecond), burst: Math.max(1, Math.floor(burst)) });
  return {
    slack: pace(config.delivery.slackChannelRate, config.delivery.slackChannelBurst),
    ...(config.teams.kind === 'on' ? { teams: pace(config.teams.conversationRate, config.teams.conversationRate) } : {}),
  };
}
