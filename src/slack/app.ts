import { App, ExpressReceiver } from '@slack/bolt';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Metrics } from '../observability/metrics';
import type { Db } from '../store/db';
import { boltLogger } from './bolt-logger';
import { registerSpecCommand } from './commands';
import { registerEditHandlers } from './edit-handlers';
import { installFailurePage, INSTALL_PATH, REDIRECT_PATH } from './install-pages';
import { SlackInstallationStore, SlackNotInstalledError } from './installation-store';
import { SLACK_MAX_BODY_BYTES, slackRequestGuard } from './request-guard';
import { registerPlatformEvents } from './platform-events';
import type { SlackServices } from './services';
import { mrkdwn } from './render/mrkdwn';

export const SLACK_BOT_SCOPES = [
  'commands',
  'chat:write',
  'users:read',
  'channels:read',
  'groups:read',
  'channels:history',
  'groups:history',
];

export interface SlackRuntime {
  app: App;
  /** POST /slack/events (+ OAuth routes in OAuth mode), to mount on the one HTTP server; absent in Socket Mode */
  router?: Router;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The Bolt app for the configured mode, or undefined when Slack is off. */
export function createSlackRuntime(
  config: Config,
  db: Db,
  services: SlackServices,
  logger: Logger,
  metrics?: Metrics,
): SlackRuntime | undefined {
  const mode = config.slack;
  if (mode.kind === 'off') return undefined;
  const log = logger.child({ component: 'slack' });
  const clientOptions = config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : undefined;
  const installationStore: SlackInstallationStore | undefined =
    mode.kind === 'oauth' ? new SlackInstallationStore(db, mode.encryptionKey) : undefined;

  let app: App;
  let receiver: ExpressReceiver | undefined;
  if (mode.appToken) {
    // Socket Mode, for local development without a public URL.
    app = new App({
      appToken: mode.appToken,
      socketMode: true,
      extendedErrorHandler: true,
      signingSecret: mode.signingSecret,
      logger: boltLogger(log),
      clientOptions,
      ...(mode.kind === 'single'
        ? { token: mode.botToken }
        : {
            clientId: mode.clientId,
            clientSecret: mode.clientSecret,
            stateSecret: mode.stateSecret,
            installationStore,
            scopes: SLACK_BOT_SCOPES,
          }),
    });
  } else {
    receiver = new ExpressReceiver({
      signingSecret: mode.signingSecret,
      endpoints: '/slack/events',
      logger: boltLogger(log),
      // the guard in front has read the body already, within this limit; this one is a backstop
      bodyLimit: SLACK_MAX_BODY_BYTES,
      ...(mode.kind === 'oauth'
        ? {
            clientId: mode.clientId,
            clientSecret: mode.clientSecret,
            stateSecret: mode.stateSecret,
            installationStore,
            scopes: SLACK_BOT_SCOPES,
            installerOptions: {
              installPath: INSTALL_PATH,
              redirectUriPath: REDIRECT_PATH,
              directInstall: true,
              clientOptions,
              callbackOptions: { failure: installFailurePage(metrics, log) },
            },
          }
        : {}),
    });
    app = new App({
      receiver,
      logger: boltLogger(log),
      clientOptions,
      extendedErrorHandler: true,
      ...(mode.kind === 'single' ? { token: mode.botToken } : {}),
    });
  }

  registerSpecCommand(app, services, log);
  registerEditHandlers(app, services, log);
  registerPlatformEvents(app, config, db, installationStore, log, metrics);
  // With extendedErrorHandler on, Bolt passes { error, body, … } (its type is not exported).
  app.error((async ({ error, body }: { error: Error; body?: unknown }) => {
    let original: unknown = error;
    // Bolt wraps the store's error in the OAuth package's, which it wraps in its own.
    for (let depth = 0; depth < 4 && !(original instanceof SlackNotInstalledError); depth += 1) {
      const inner = (original as { original?: unknown } | undefined)?.original;
      if (!inner) break;
      original = inner;
    }
    const responseUrl = (body as { response_url?: string } | undefined)?.response_url;
    if (original instanceof SlackNotInstalledError) {
      // No token to answer with, but a slash command's response_url needs none.
      log.warn({ team: original.scope.id }, 'request from a workspace without an installation');
      if (responseUrl) await tellNotInstalled(responseUrl, config.publicUrl).catch(() => undefined);
      return;
    }
    log.error({ err: error }, 'unhandled Slack error');
  }) as never);

  return {
    app,
    router: receiver ? Router().use(slackRequestGuard(mode.signingSecret, metrics, log), receiver.router as Router) : undefined,
    start: async () => {
      if (mode.appToken) await app.start();
    },
    stop: async () => {
      if (mode.appToken) await app.stop();
    },
  };
}

async function tellNotInstalled(responseUrl: string, publicUrl: string | undefined): Promise<void> {
  const where = publicUrl ? `${publicUrl.replace(/\/$/, '')}/slack/install` : 'its /slack/install page';
  await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      response_type: 'ephemeral',
      text: String(mrkdwn`:warning: Panelist is not installed in this workspace yet. A workspace admin can install it at ${where}.`),
    }),
    signal: AbortSignal.timeout(5_000),
  });
}
