import type { Config } from '../config';
import type { Db } from '../store/db';
import { SlackInstallationStore } from './installation-store';

/** The bot token that posts in a workspace: the configured one, or the workspace's installation's. */
export function slackTokenLookup(config: Config, db: Db): ((teamId: string) => Promise<string>) | undefined {
  const mode = config.slack;
  if (mode.kind === 'off') return undefined;
  if (mode.kind === 'single') return async () => mode.botToken;
  const store = new SlackInstallationStore(db, mode.encryptionKey);
  return async (teamId) => {
    const installation = await store.fetchInstallation({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });
    const token = installation.bot?.token;
    if (!token) throw new Error(`Panelist has no bot token for workspace ${teamId}; reinstall it at /slack/install.`);
    return token;
  };
}
