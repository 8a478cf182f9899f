import { App, ExpressReceiver, type InstallationStore } from '@slack/bolt';
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Db } from '../store/db';
import { boltLogger } from './bolt-logger';
import { registerSpecCommand } from './commands';
import { registerEditHandlers } from './edit-handlers';
import { SlackInstallationStore } from './installation-store';
import type { SlackServices } from './services';

export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'users:read', 'channels:read', 'groups:read', 'channels:history', 'groups:history', 'team:read'];

export interface SlackRuntime {
  app: App;
  /** the bot token that posts in a workspace (for the delivery sender) */
  tokenFor(teamId: string): Promise<string>;
  /** POST /slack/events (+ OAuth routes in OAuth mode), to mount on the one HTTP server; absent in Socket Mode */
  router?: Router;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The Bolt app for the configured mode, or undefined when Slack is off. */
export function createSlackRuntime(config: Config, db: Db, services: SlackServices, logger: Logger): SlackRuntime | undefined {
  const mode = config.slack;
  if (mode.kind === 'off') return undefined;
  const log = logger.child({ component: 'slack' });
  const clientOptions = config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : undefined;
  const installationStore: InstallationStore | undefined =
    mode.kind === 'oauth' ? new SlackInstallationStore(db, mode.encryptionKey) : undefined;

  let app: App;
  let receiver: ExpressReceiver | undefined;
  if (mode.appToken) {
    // Socket Mode, for local development without a public URL.
    app = new App({
      appToken: mode.appToken,
      socketMode: true,
      signingSecret: mode.signingSecret,
      logger: boltLogger(log),
      clientOptions,
      ...(mode.kind === 'single'
        ? { token: mode.botToken }
        : { clientId: mode.clientId, clientSecret: mode.clientSecret, stateSecret: mode.stateSecret, installationStore, scopes: SLACK_BOT_SCOPES }),
    });
  } else {
    receiver = new ExpressReceiver({
      signingSecret: mode.signingSecret,
      endpoints: '/slack/events',
      logger: boltLogger(log),
      ...(mode.kind === 'oauth'
        ? {
            clientId: mode.clientId,
            clientSecret: mode.clientSecret,
            stateSecret: mode.stateSecret,
            installationStore,
            scopes: SLACK_BOT_SCOPES,
            installerOptions: {
              installPath: '/slack/install',
              redirectUriPath: '/slack/oauth_redirect',
              directInstall: true,
              clientOptions,
            },
          }
        : {}),
    });
    app = new App({
      receiver,
      logger: boltLogger(log),
      clientOptions,
      ...(mode.kind === 'single' ? { token: mode.botToken } : {}),
    });
  }

  registerSpecCommand(app, services, log);
  registerEditHandlers(app, services, log);
  if (installationStore) {
    app.event('app_uninstalled', async ({ context }) => {
      await installationStore.deleteInstallation?.({
        teamId: context.teamId,
        enterpriseId: context.enterpriseId,
        isEnterpriseInstall: Boolean(context.isEnterpriseInstall),
      });
      log.info({ team: context.teamId }, 'Panelist was uninstalled; installation removed');
    });
  }
  app.error(async (error) => {
    log.error({ err: error }, 'unhandled Slack error');
  });

  const tokenFor = async (teamId: string): Promise<string> => {
    if (mode.kind === 'single') return mode.botToken;
    const installation = await installationStore!.fetchInstallation({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });
    const token = installation.bot?.token;
    if (!token) throw new Error(`Panelist has no bot token for workspace ${teamId}; reinstall it at /slack/install.`);
    return token;
  };

  return {
    app,
    tokenFor,
    router: receiver?.router as Router | undefined,
    start: async () => {
      if (mode.appToken) await app.start();
    },
    stop: async () => {
      if (mode.appToken) await app.stop();
    },
  };
}
