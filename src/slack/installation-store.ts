import type { Installation, InstallationQuery, InstallationStore, Logger } from '@slack/bolt';
import { resumeWorkspace } from '../services/paused-channels';
import type { Db } from '../store/db';
import { SecretBox, SecretBoxError } from '../store/secret-box';

type AnyInstallation = Installation<'v1' | 'v2', boolean>;

/** Raised by fetchInstallation when no row covers the workspace; the message is meant for the user. */
export class SlackNotInstalledError extends Error {
  readonly code = 'slack_not_installed';

  constructor(readonly scope: { kind: 'workspace' | 'organization'; id: string | undefined }) {
    const where =
      scope.kind === 'organization' ? `Enterprise Grid organization ${scope.id ?? '(unknown)'}` : `workspace ${scope.id ?? '(unknown)'}`;
    super(`Panelist is not installed in ${where}; install it at /slack/install`);
    this.name = 'SlackNotInstalledError';
  }
}

/**
 * Bolt's installation store (OAuth mode) over the `slack_installation` table.
 *
 * One row per installation key: the enterprise id for an org-wide install, else the team id. The
 * whole Installation (bot and user tokens, refresh tokens) is sealed with SecretBox; team,
 * enterprise and bot user ids are copied in the clear so rows can be found and inspected without
 * the key. The sealed value is bound to its installation key, so copying one workspace's
 * ciphertext into another workspace's row does not hand it that workspace's tokens.
 *
 * Nothing here logs or throws a token: messages name installation keys and ids only.
 */
export class SlackInstallationStore implements InstallationStore {
  private readonly box: SecretBox;

  /** `key`: TOKEN_ENCRYPTION_KEY; a list also opens rows sealed under the older keys after the first. */
  constructor(
    private readonly db: Db,
    key: Buffer | readonly Buffer[],
  ) {
    this.box = new SecretBox(key);
  }

  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(
    installation: Installation<AuthVersion, boolean>,
    logger?: Logger,
  ): Promise<void> {
    const installationKey = installationKeyOf(installation);
    const columns = {
      teamId: installation.team?.id ?? null,
      enterpriseId: installation.enterprise?.id ?? null,
      botUserId: installation.bot?.userId ?? null,
      encrypted: this.box.seal(JSON.stringify(installation), associatedData(installationKey)),
    };
    // A re-install (new scopes, another installer) replaces the old tokens: Slack has already
    // issued new ones, and keeping the old would mean using tokens Slack may have revoked.
    await this.db.slackInstallation.upsert({
      where: { installationKey },
      create: { installationKey, ...columns },
      update: columns,
    });
    logger?.debug(`Stored Slack installation ${installationKey}`);
    // Installed again after an uninstall or a revoked token: what was paused for that resumes.
    if (!installation.isEnterpriseInstall && installation.team?.id) {
      const resumed = await resumeWorkspace(this.db, 'slack', installation.team.id);
      if (resumed.channels > 0)
        logger?.info(`Resumed ${resumed.channels} channel(s) of ${installationKey}, ${resumed.deliveries} held message(s)`);
    }
  }

  async fetchInstallation(query: InstallationQuery<boolean>, logger?: Logger): Promise<AnyInstallation> {
    // A workspace's own install wins; a workspace inside an org-wide install has no row of its
    // own, and Bolt does not always know the install is org-wide, so the enterprise row serves.
    const candidates = query.isEnterpriseInstall ? [query.enterpriseId] : [query.teamId, query.enterpriseId];
    const keys = candidates.filter((key): key is string => typeof key === 'string' && key !== '');
    const rows = keys.length === 0 ? [] : await this.db.slackInstallation.findMany({ where: { installationKey: { in: keys } } });
    const row = keys.map((key) => rows.find((candidate) => candidate.installationKey === key)).find(Boolean);
    if (!row) {
      throw new SlackNotInstalledError(
        query.isEnterpriseInstall || !query.teamId
          ? { kind: 'organization', id: query.enterpriseId }
          : { kind: 'workspace', id: query.teamId },
      );
    }
    logger?.debug(`Fetched Slack installation ${row.installationKey}`);
    return forRequester(this.open(row.installationKey, row.encrypted), query.userId);
  }

  /**
   * Without `userId` (app_uninstalled, or the bot token in tokens_revoked): removes the
   * installation. With `userId` (a user token in tokens_revoked): forgets that user's token and
   * keeps the bot working. Idempotent, because Slack retries events.
   *
   * Never falls back from a team to its enterprise: a workspace leaving an org-wide install must
   * not uninstall Panelist from the whole organization.
   */
  async deleteInstallation(query: InstallationQuery<boolean>, logger?: Logger): Promise<void> {
    const installationKey = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
    if (!installationKey) {
      throw new Error(
        query.isEnterpriseInstall
          ? 'Cannot delete an org-wide Slack installation without its enterprise id'
          : 'Cannot delete a Slack installation without its team id',
      );
    }
    if (query.userId === undefined) {
      const { count } = await this.db.slackInstallation.deleteMany({ where: { installationKey } });
      logger?.info(`Deleted Slack installation ${installationKey} (${count} row${count === 1 ? '' : 's'})`);
      return;
    }
    await this.forgetUserToken(installationKey, query.userId);
    logger?.info(`Removed user ${query.userId}'s token from Slack installation ${installationKey}`);
  }

  /**
   * Removes the installation only if it was written before `sentAt` (when Slack sent the
   * app_uninstalled or tokens_revoked). Slack retries events and handlers run after the ack, so
   * an old event can arrive after the workspace installed again; it must not remove the new
   * installation. `newer` means the event was stale and nothing changed.
   */
  async deleteInstallationWrittenBefore(teamId: string, sentAt: Date): Promise<'removed' | 'absent' | 'newer'> {
    const { count } = await this.db.slackInstallation.deleteMany({ where: { installationKey: teamId, updatedAt: { lte: sentAt } } });
    if (count > 0) return 'removed';
    const remaining = await this.db.slackInstallation.count({ where: { installationKey: teamId } });
    return remaining > 0 ? 'newer' : 'absent';
  }

  private async forgetUserToken(installationKey: string, userId: string): Promise<void> {
    // Compare-and-set on the ciphertext (fresh IV per write, so it changes on every store) instead
    // of a row lock: a concurrent re-install wins and this retries against what it wrote.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const row = await this.db.slackInstallation.findUnique({ where: { installationKey } });
      if (!row) return;
      const installation = this.open(installationKey, row.encrypted);
      if (installation.user.id !== userId || !hasUserToken(installation)) return;
      const { count } = await this.db.slackInstallation.updateMany({
        where: { installationKey, encrypted: row.encrypted },
        data: {
          encrypted: this.box.seal(JSON.stringify(withoutUserToken(installation)), associatedData(installationKey)),
        },
      });
      if (count === 1) return;
    }
    throw new Error(`Slack installation ${installationKey} kept changing while removing a user token; try again`);
  }

  private open(installationKey: string, encrypted: string): AnyInstallation {
    let json: string;
    try {
      json = this.box.open(encrypted, associatedData(installationKey));
    } catch (error) {
      if (error instanceof SecretBoxError) {
        throw new Error(`The stored Slack installation ${installationKey} cannot be read: ${error.message}`);
      }
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      // Deliberately not chained: V8's JSON SyntaxError quotes the input, which holds the tokens.
      throw new Error(`The stored Slack installation ${installationKey} is not valid JSON`);
    }
    if (!isRecord(parsed) || !isRecord(parsed.user) || typeof parsed.user.id !== 'string') {
      throw new Error(`The stored Slack installation ${installationKey} is not a Slack installation`);
    }
    return parsed as unknown as AnyInstallation;
  }
}

function installationKeyOf(installation: AnyInstallation): string {
  if (installation.isEnterpriseInstall) {
    const enterpriseId = installation.enterprise?.id;
    if (!enterpriseId) throw new Error('An org-wide Slack installation must carry its enterprise id');
    return enterpriseId;
  }
  const teamId = installation.team?.id;
  if (!teamId) throw new Error('A workspace Slack installation must carry its team id');
  return teamId;
}

function associatedData(installationKey: string): string {
  return `slack_installation:${installationKey}`;
}

/**
 * The stored user token belongs to whoever installed the app. Bolt hands `user.token` to every
 * request's context, so a request from anyone else must not receive it (Bolt's own stores do the
 * same).
 */
function forRequester(installation: AnyInstallation, userId: string | undefined): AnyInstallation {
  if (userId === undefined || installation.user.id === userId || !hasUserToken(installation)) return installation;
  return withoutUserToken(installation);
}

function hasUserToken(installation: AnyInstallation): boolean {
  return installation.user.token !== undefined || installation.user.refreshToken !== undefined;
}

function withoutUserToken(installation: AnyInstallation): AnyInstallation {
  const { id } = installation.user;
  return { ...installation, user: { id, token: undefined, scopes: undefined } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
