import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config';
import { createHttpApp, closeServer, listen } from './http/server';
import { startMetricsServer } from './http/metrics-endpoint';
import { CLI_ACTOR } from './services/actor';
import { GrantService } from './services/grants';
import { OrganizationService } from './services/organizations';
import { SpecImportService } from './services/spec-import';
import { SpecService } from './services/specs';
import { cachedLivePerformance, livePerformanceFromRollups } from './services/live-performance';
import { SubscriptionService } from './services/subscriptions';
import { DigestScheduleService } from './services/digest-schedules';
import { SlackActors } from './slack/actors';
import { createSlackRuntime } from './slack/app';
import { createDb, createPool, isDatabaseReachable } from './store/db';
import { pgRunner } from './store/sql-runner';
import { startEmbeddedPostgres } from './store/embedded-postgres';
import { migrate } from './store/migrate';
import { PROJECT_ROOT } from './project-root';
import { chartRoutes, createDigestService, deliveryDeps, versionPublishing } from './composition';
import { parseOpsChannel } from './delivery/ops-alerts';
import { startDigestClock } from './jobs/digest-clock';
import { Metrics } from './observability/metrics';
import type { TeamsRuntime, TeamsRuntimeServices } from './teams/runtime';
import { installQueue, startDeliveryWorker } from './delivery/worker';
import { InterviewIngestService } from './services/interview-ingest';
import { interviewWebhookRouter } from './webhooks/interviews';
import { readOrCreateDevelopmentSecret } from './webhooks/development-secret';
import { PLATFORM_ENDPOINT } from './services/spec-publication';
import { specApiRouter } from './http/spec-api';
import { ApiKeyAuthenticator } from './services/api-key-auth';
import { PublishedSpecService } from './services/published-specs';

export const DEMO_SPEC_FILE = path.join(PROJECT_ROOT, 'fixtures', 'payments-platform-spec.json');

export interface RunningPanelist {
  port: number;
  /** the metrics server's port; undefined with METRICS_PORT=off */
  metricsPort?: number;
  databaseUrl: string;
  stop(): Promise<void>;
}

/** Composition root: config → database → services → chat apps → HTTP. Stops in reverse order. */
export async function startPanelist(config: Config, logger: Logger): Promise<RunningPanelist> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => logger.error({ err: error }, 'error while stopping'));
    stops.length = 0;
  };
  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      logger.info('DATABASE_URL is not set: using the embedded PostgreSQL in %s', config.embeddedPg.dataDir);
      const embedded = await startEmbeddedPostgres({ ...config.embeddedPg, logger });
      stops.push(() => embedded.stop());
      databaseUrl = embedded.url;
    }
    const applied = await migrate(databaseUrl);
    logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'database schema is up to date');
    await installQueue(databaseUrl);

    const pool = createPool(databaseUrl);
    const db = createDb(databaseUrl, { pool });
    stops.push(() => db.$disconnect());
    const organizations = new OrganizationService(db);
    // One reader for both chat platforms, so a spec's numbers are read once per TTL, not per platform.
    const metrics = new Metrics(db);
    const publishing = versionPublishing(config);
    announcePublishing(config, logger, metrics);
    const specs = new SpecService(
      db,
      publishing,
      cachedLivePerformance(livePerformanceFromRollups(db), { ttlMs: config.livePerformanceTtlMs }),
    );
    const slack = createSlackRuntime(
      config,
      db,
      {
        specs,
        grants: new GrantService(db),
        subscriptions: new SubscriptionService(db),
        digestSchedules: new DigestScheduleService(db),
        actors: new SlackActors(organizations),
      },
      logger,
      metrics,
    );
    if (!slack && config.slack.kind === 'off') logger.warn(`Slack is off: ${config.slack.reason}`);

    const teams = startTeams(
      config,
      {
        db,
        metrics,
        specs,
        grants: new GrantService(db),
        subscriptions: new SubscriptionService(db),
        digestSchedules: new DigestScheduleService(db),
        organizations,
      },
      logger,
    );
    if (teams) stops.push(() => teams.stop());

    const webhookSecrets = await interviewWebhookSecrets(config, logger);
    const ingest = new InterviewIngestService(pool);
    const webhooks = interviewWebhookRouter({
      secrets: webhookSecrets,
      ingest,
      metrics,
      logger,
    });
    const specApi = specApiRouter({
      keys: new ApiKeyAuthenticator(db),
      specs: new PublishedSpecService(db, pgRunner(pool)),
      metrics,
      logger,
    });
    const routers = [webhooks, specApi, ...(slack?.router ? [slack.router] : []), ...(teams ? [teams.router] : [])];
    routers.push(...chartRoutes(config, db, logger, metrics));
    // Ready once the whole start has run (seed, worker, clock), and while the database answers.
    let started = false;
    const httpApp = createHttpApp({
      logger,
      isReady: async () => started && (await isDatabaseReachable(db)),
      routers,
      metrics,
      metricsToken: config.metrics.token,
    });
    const server: http.Server = await listen(httpApp, config.port);
    stops.push(() => closeServer(server));
    const port = (server.address() as { port: number }).port;
    logger.info({ port }, `Panelist is listening on http://localhost:${port}`);
    const metricsServer = await startMetricsServer(metrics, config.metrics, logger);
    let metricsPort: number | undefined;
    if (metricsServer) {
      stops.push(() => closeServer(metricsServer));
      metricsPort = (metricsServer.address() as { port: number }).port;
      logger.info({ metricsPort, host: config.metrics.host }, `metrics are at http://${config.metrics.host}:${metricsPort}/metrics`);
    }

    // Only now, with the configuration valid and the port bound, does this process write or take
    // work: a start that fails before here leaves every row as it found it.
    if (slack) {
      await slack.start();
      stops.push(() => slack.stop());
      logger.info({ mode: config.slack.kind, socketMode: !slack.router }, 'Slack is on');
    }
    const defaultOrganization = await organizations.ensureDefault();
    if (config.seedDemo) {
      const file = config.demoSpecFile ?? DEMO_SPEC_FILE;
      const outcomes = await new SpecImportService(db, publishing).importJson(
        { organizationId: defaultOrganization, actor: CLI_ACTOR },
        JSON.parse(await readFile(file, 'utf8')),
        { onlyIfAbsent: true },
      );
      for (const outcome of outcomes) {
        if (outcome.result === 'created') logger.info({ spec: outcome.slug }, 'seeded the demo spec (SEED_DEMO=false turns this off)');
      }
    }

    const digests = createDigestService(config, db, pool, { logger, metrics });
    const deps = deliveryDeps(config, db, digests, logger, metrics, teams ? { teams: teams.sender } : {}, pgRunner(pool));
    announcePlatforms(Object.keys(deps.senders), logger, metrics);
    const worker = await startDeliveryWorker(deps, {
      databaseUrl,
      concurrency: config.delivery.concurrency,
      sweepIntervalMs: config.sweepIntervalMs,
      opsChannel: parseOpsChannel(config.opsSlackChannel),
      pool,
    });
    stops.push(() => worker.stop());
    if (config.digestClock) {
      const clock = startDigestClock(digests, logger.child({ component: 'digests' }), metrics);
      stops.push(() => clock.stop());
    }

    started = true;
    return { port, metricsPort, databaseUrl, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Says once, at start, which platforms' deliveries this replica leaves for others (and in a metric). */
function announcePlatforms(served: string[], logger: Logger, metrics: Metrics): void {
  for (const platform of ['slack', 'teams']) {
    const on = served.includes(platform);
    metrics.platformsServed.set({ platform }, on ? 1 : 0);
    if (!on)
      logger.warn(
        { platform },
        `this replica has no ${platform} credentials: ${platform} deliveries stay queued for a replica that has them`,
      );
  }
}

/** Says once, at start, whether the versions saved here are published, and to which host (never the secret or the path). */
function announcePublishing(config: Config, logger: Logger, metrics: Metrics): void {
  metrics.platformsServed.set({ platform: PLATFORM_ENDPOINT }, config.publishing.kind === 'on' ? 1 : 0);
  if (config.publishing.kind === 'on') {
    const host = new URL(config.publishing.url).host;
    logger.info({ host }, `spec versions saved here are published to the interview platform at ${host}`);
  } else {
    logger.info(
      'spec versions are not published to the interview platform: set PLATFORM_WEBHOOK_URL and PLATFORM_WEBHOOK_SECRET (on every replica) to publish them',
    );
  }
}

/** The Teams SDK costs ~20 MB of resident memory: it is loaded only where Teams is configured. */
function startTeams(config: Config, services: TeamsRuntimeServices, logger: Logger): TeamsRuntime | undefined {
  if (config.teams.kind === 'off') {
    logger.warn(`Teams is off: ${config.teams.reason}`);
    return undefined;
  }
  const { createTeamsRuntime } = require('./teams/runtime') as typeof import('./teams/runtime');
  return createTeamsRuntime(config.teams, services, logger);
}

/** INTERVIEW_WEBHOOK_SECRET's list; in development without it, the app's own secret (see development-secret.ts). */
async function interviewWebhookSecrets(config: Config, logger: Logger): Promise<string[]> {
  if (config.webhookSecrets.length > 0) return config.webhookSecrets;
  if (config.developmentWebhookSecretFile) {
    const secret = await readOrCreateDevelopmentSecret(config.developmentWebhookSecretFile);
    logger.info(
      { file: config.developmentWebhookSecretFile },
      'Interview webhooks accept the development secret in this file (npx panelist demo signs with it); set INTERVIEW_WEBHOOK_SECRET for real use.',
    );
    return [secret];
  }
  logger.warn('Interview webhooks are off: set INTERVIEW_WEBHOOK_SECRET (comma-separated for rotation) to accept events.');
  return [];
}
