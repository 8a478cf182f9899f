import type { Router } from 'express';
import pino, { type Logger } from 'pino';
import type { Pool } from 'pg';
import { ChartProcessRenderer } from './charts/renderer';
import { chartRouter } from './charts/route';
import type { Config } from './config';
import type { ChannelPace, DeliverDeps } from './delivery/deps';
import type { ChatSender } from './delivery/sender';
import type { Metrics } from './observability/metrics';
import { ChartLinks } from './services/chart-links';
import { DigestCharts } from './services/digest-charts';
import { DigestService } from './services/digests';
import { PlatformSender } from './publishing/platform-sender';
import { PLATFORM_ENDPOINT, type VersionPublishing } from './services/spec-publication';
import { boltLogger } from './slack/bolt-logger';
import { digestMessageCount } from './slack/render/digest';
import { SlackSender } from './slack/sender';
import { slackTokenLookup } from './slack/tokens';
import type { Db } from './store/db';
import { pgRunner, prismaRunner, type SqlRunner } from './store/sql-runner';
import { pgTransaction } from './store/sql-transaction';

/**
 * How the parts are put together, shared by the app (src/app.ts) and the CLI: the layers below
 * know only interfaces (ChatSender, SqlRunner), and these functions hand them the real thing.
 */

/**
 * With the app's `pg` pool, claims run on plain `pg`; without (the CLI), through Prisma. With
 * PUBLIC_URL, digests carry pictures linked there (`observe` hears about the ones that fail).
 */
export function createDigestService(
  config: Config,
  db: Db,
  pool?: Pool,
  observe: { logger?: Logger; metrics?: Metrics } = {},
): DigestService {
  const charts = config.publicUrl
    ? new DigestCharts(
        db,
        new ChartProcessRenderer({ timeoutMs: config.digestChartTimeoutMs }),
        new ChartLinks(db, config.publicUrl),
        (observe.logger ?? pino({ level: 'silent' })).child({ component: 'digest-charts' }),
        observe.metrics,
        // the app's worker parks a part whose picture is being drawn; the CLI, which sends and exits, waits
        pool ? { whenDrawing: 'park', sql: pgRunner(pool) } : { whenDrawing: 'wait', sql: prismaRunner(db) },
      )
    : undefined;
  return new DigestService(
    db,
    {
      // How many messages a digest takes is decided when it is claimed, so each message is its own
      // delivery (exactly once, retried on its own). Slack's block limit is the tighter one.
      messagesFor: digestMessageCount,
      specUrlTemplate: config.specUrlTemplate,
      charts,
      reads: pool ? pgRunner(pool) : undefined,
    },
    pool ? pgTransaction(pool) : undefined,
  );
}

/** The route serving the charts digests link to, where there is a PUBLIC_URL to link them on. */
export function chartRoutes(config: Config, db: Db, logger: Logger, metrics?: Metrics): Router[] {
  return config.publicUrl ? [chartRouter(new ChartLinks(db, config.publicUrl), metrics, logger)] : [];
}

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
  const slackOptions = {
    slackApiUrl: config.slackApiUrl,
    logger: boltLogger(log),
    onChartRefused: (deliveryId: string, reason: string) => {
      log.warn({ deliveryId, reason }, 'Slack could not fetch a digest chart from PUBLIC_URL; the digest went with its numbers in words');
      metrics?.digestCharts.inc({ outcome: 'refused' });
    },
  };
  return {
    db,
    sql,
    digests,
    senders: {
      ...(tokenFor ? { slack: new SlackSender(tokenFor, slackOptions) } : {}),
      ...(config.publishing.kind === 'on' ? { [PLATFORM_ENDPOINT]: new PlatformSender(config.publishing) } : {}),
      ...extraSenders,
    },
    pacing: channelPacing(config),
    // The platform's endpoint is no chat channel with a rate limit: a spec's versions only need to
    // arrive one at a time and in order (docs/decisions.md, "Push to the platform").
    inLine: new Set([PLATFORM_ENDPOINT]),
    policy: { maxAttempts: config.delivery.maxAttempts, retryBaseMs: config.delivery.retryBaseMs },
    logger: log,
    metrics,
  };
}

/**
 * Whether the versions this process saves are published to the interview platform: exactly when
 * it has PLATFORM_WEBHOOK_URL and _SECRET (docs/decisions.md: set them on every replica).
 */
export function versionPublishing(config: Config): VersionPublishing {
  return { enabled: config.publishing.kind === 'on' };
}

/** Each platform's per-channel limit (Slack: SLACK_CHANNEL_RATE/BURST; Teams: TEAMS_CONVERSATION_RATE, Teams allows 7/s). */
export function channelPacing(config: Config): Record<string, ChannelPace> {
  const pace = (perSecond: number, burst: number): ChannelPace => ({
    intervalMs: Math.ceil(1000 / perSecond),
    burst: Math.max(1, Math.floor(burst)),
  });
  return {
    slack: pace(config.delivery.slackChannelRate, config.delivery.slackChannelBurst),
    ...(config.teams.kind === 'on' ? { teams: pace(config.teams.conversationRate, config.teams.conversationRate) } : {}),
  };
}
