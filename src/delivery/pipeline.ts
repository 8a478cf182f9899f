import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Metrics } from '../observability/metrics';
import type { DigestService } from '../services/digests';
import { slackTokenLookup } from '../slack/tokens';
import type { Db } from '../store/db';
import type { DeliverDeps } from './deliver';
import { ChannelPacer } from './pacer';
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
): DeliverDeps {
  const tokenFor = slackTokenLookup(config, db);
  return {
    db,
    digests,
    senders: { ...(tokenFor ? { slack: new SlackSender(tokenFor, { slackApiUrl: config.slackApiUrl }) } : {}), ...extraSenders },
    pacers: { slack: new ChannelPacer(config.delivery.slackChannelRate, config.delivery.slackChannelBurst) },
    policy: { maxAttempts: config.delivery.maxAttempts, retryBaseMs: config.delivery.retryBaseMs },
    logger: logger.child({ component: 'delivery' }),
    metrics,
  };
}
