import { randomBytes } from 'node:crypto';
import type { Installation } from '@slack/bolt';
import { SlackInstallationStore, SlackNotInstalledError } from '../../src/slack/installation-store';
import { createDb, type Db } from '../../src/store/db';
import { createTestDatabase, type TestDatabase } from '../support/database';

const BOT_TOKEN = 'xoxb-111-222-botsecret';
const USER_TOKEN = 'xoxp-111-222-usersecret';
const REFRESH_TOKEN = 'xoxe-1-refreshsecret';
const SECRETS = [BOT_TOKEN, USER_TOKEN, REFRESH_TOKEN, 'xoxb-', 'xoxp-', 'xoxe-'];

function workspaceInstall(teamId = 'T0ACME', botToken = BOT_TOKEN, enterpriseId?: string): Installation<'v2', false> {
  return {
    team: { id: teamId, name: 'Acme' },
    enterprise: enterpriseId ? { id: enterpriseId, name: 'Acme Group' } : undefined,
    user: { id: 'U0INSTALLER', token: USER_TOKEN, refreshToken: REFRESH_TOKEN, expiresAt: 1_900_000_000, scopes: ['identify'] },
    bot: { id: 'B0BOT', userId: 'U0PANELIST', token: botToken, scopes: ['commands', 'chat:write'] },
    appId: 'A0PANELIST',
    tokenType: 'bot',
    isEnterpriseInstall: false,
    authVersion: 'v2',
  };
}

function orgInstall(enterpriseId = 'E0GROUP'): Installation<'v2', true> {
  return {
    team: undefined,
    enterprise: { id: enterpriseId, name: 'Acme Group' },
    user: { id: 'U0ORGADMIN', token: undefined, scopes: undefined },
    bot: { id: 'B0ORGBOT', userId: 'U0ORGPANELIST', token: 'xoxb-org-botsecret', scopes: ['commands'] },
    appId: 'A0PANELIST',
    tokenType: 'bot',
    isEnterpriseInstall: true,
    enterpriseUrl: 'https://acme-group.enterprise.slack.com/',
    authVersion: 'v2',
  };
}

async function messageOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the promise to reject');
}

describe('SlackInstallationStore', () => {
  let database: TestDatabase;
  let db: Db;
  const key = randomBytes(32);
  let store: SlackInstallationStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url, { max: 2 });
    store = new SlackInstallationStore(db, key);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  beforeEach(async () => {
    await db.slackInstallation.deleteMany();
  });

  it('stores a workspace install and fetches it back whole', async () => {
    const installation = workspaceInstall();
    await store.storeInstallation(installation);
    const fetched = await store.fetchInstallation({ teamId: 'T0ACME', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(fetched).toEqual(installation);
  });

  it('keeps tokens out of the row: lookup ids in the clear, the installation sealed', async () => {
    await store.storeInstallation(workspaceInstall('T0ACME', BOT_TOKEN, 'E0GROUP'));
    const rows = await db.$queryRaw<Array<Record<string, unknown>>>`
      SELECT installation_key, team_id, enterprise_id, bot_user_id, encrypted FROM slack_installation`;
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({
      installation_key: 'T0ACME',
      team_id: 'T0ACME',
      enterprise_id: 'E0GROUP',
      bot_user_id: 'U0PANELIST',
    });
    const encrypted = String(row.encrypted);
    expect(encrypted).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    const wholeRow = JSON.stringify(row);
    for (const secret of SECRETS) expect(wholeRow).not.toContain(secret);
  });

  it('replaces the stored tokens on re-install instead of adding a row', async () => {
    await store.storeInstallation(workspaceInstall('T0ACME', BOT_TOKEN));
    await store.storeInstallation(workspaceInstall('T0ACME', 'xoxb-111-222-rotated'));
    expect(await db.slackInstallation.count()).toBe(1);
    const fetched = await store.fetchInstallation({ teamId: 'T0ACME', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(fetched.bot?.token).toBe('xoxb-111-222-rotated');
  });

  it('keys an org-wide install by enterprise and serves its workspaces from it', async () => {
    await store.storeInstallation(orgInstall('E0GROUP'));
    const row = await db.slackInstallation.findUniqueOrThrow({ where: { installationKey: 'E0GROUP' } });
    expect(row).toMatchObject({ teamId: null, enterpriseId: 'E0GROUP', botUserId: 'U0ORGPANELIST' });

    const asOrg = await store.fetchInstallation({ teamId: undefined, enterpriseId: 'E0GROUP', isEnterpriseInstall: true });
    expect(asOrg.bot?.token).toBe('xoxb-org-botsecret');
    const asWorkspace = await store.fetchInstallation({ teamId: 'T0MEMBER', enterpriseId: 'E0GROUP', isEnterpriseInstall: false });
    expect(asWorkspace.bot?.token).toBe('xoxb-org-botsecret');
  });

  it("prefers a workspace's own install over its organization's", async () => {
    await store.storeInstallation(orgInstall('E0GROUP'));
    await store.storeInstallation(workspaceInstall('T0ACME', BOT_TOKEN, 'E0GROUP'));
    const fetched = await store.fetchInstallation({ teamId: 'T0ACME', enterpriseId: 'E0GROUP', isEnterpriseInstall: false });
    expect(fetched.bot?.token).toBe(BOT_TOKEN);
  });

  it('says where to install when nothing is installed', async () => {
    const missing = store.fetchInstallation({ teamId: 'T0NOPE', enterpriseId: undefined, isEnterpriseInstall: false });
    await expect(missing).rejects.toBeInstanceOf(SlackNotInstalledError);
    expect(await messageOf(store.fetchInstallation({ teamId: 'T0NOPE', enterpriseId: undefined, isEnterpriseInstall: false }))).toBe(
      'Panelist is not installed in workspace T0NOPE; install it at /slack/install',
    );
    expect(await messageOf(store.fetchInstallation({ teamId: undefined, enterpriseId: 'E0NOPE', isEnterpriseInstall: true }))).toBe(
      'Panelist is not installed in Enterprise Grid organization E0NOPE; install it at /slack/install',
    );
  });

  it('does not let a workspace install stand in for an org-wide query', async () => {
    await store.storeInstallation(workspaceInstall('T0ACME', BOT_TOKEN, 'E0GROUP'));
    await expect(store.fetchInstallation({ teamId: undefined, enterpriseId: 'E0GROUP', isEnterpriseInstall: true })).rejects.toBeInstanceOf(
      SlackNotInstalledError,
    );
  });

  it('fails clearly, without tokens, under the wrong key', async () => {
    await store.storeInstallation(workspaceInstall());
    const message = await messageOf(
      new SlackInstallationStore(db, randomBytes(32)).fetchInstallation({
        teamId: 'T0ACME',
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      }),
    );
    expect(message).toMatch(/T0ACME cannot be read: .*different key \(check TOKEN_ENCRYPTION_KEY\)/);
    for (const secret of SECRETS) expect(message).not.toContain(secret);
  });

  it("refuses one workspace's sealed installation copied into another workspace's row", async () => {
    await store.storeInstallation(workspaceInstall('T0ACME'));
    await store.storeInstallation(workspaceInstall('T0OTHER', 'xoxb-999-other'));
    const acme = await db.slackInstallation.findUniqueOrThrow({ where: { installationKey: 'T0ACME' } });
    await db.slackInstallation.update({ where: { installationKey: 'T0OTHER' }, data: { encrypted: acme.encrypted } });
    const message = await messageOf(store.fetchInstallation({ teamId: 'T0OTHER', enterpriseId: undefined, isEnterpriseInstall: false }));
    expect(message).toContain('T0OTHER cannot be read');
  });

  it("gives the installer's user token only to the installer", async () => {
    await store.storeInstallation(workspaceInstall());
    const query = { teamId: 'T0ACME', enterpriseId: undefined, isEnterpriseInstall: false } as const;
    expect((await store.fetchInstallation({ ...query, userId: 'U0INSTALLER' })).user.token).toBe(USER_TOKEN);
    const forOther = await store.fetchInstallation({ ...query, userId: 'U0SOMEONE' });
    expect(forOther.user).toEqual({ id: 'U0INSTALLER' });
    expect(forOther.bot?.token).toBe(BOT_TOKEN);
  });

  it('deletes an installation, idempotently, and leaves other installations alone', async () => {
    await store.storeInstallation(workspaceInstall('T0ACME', BOT_TOKEN, 'E0GROUP'));
    await store.storeInstallation(orgInstall('E0GROUP'));
    const query = { teamId: 'T0ACME', enterpriseId: 'E0GROUP', isEnterpriseInstall: false } as const;

    await store.deleteInstallation(query);
    await store.deleteInstallation(query);

    expect(await db.slackInstallation.findMany({ select: { installationKey: true } })).toEqual([{ installationKey: 'E0GROUP' }]);
    // the workspace is now served by its organization's install again
    expect((await store.fetchInstallation(query)).bot?.token).toBe('xoxb-org-botsecret');

    await store.deleteInstallation({ teamId: undefined, enterpriseId: 'E0GROUP', isEnterpriseInstall: true });
    expect(await db.slackInstallation.count()).toBe(0);
  });

  it("forgets only a user's token when that user's token is revoked", async () => {
    await store.storeInstallation(workspaceInstall());
    const query = { teamId: 'T0ACME', enterpriseId: undefined, isEnterpriseInstall: false } as const;

    await store.deleteInstallation({ ...query, userId: 'U0SOMEONE' });
    expect((await store.fetchInstallation({ ...query, userId: 'U0INSTALLER' })).user.token).toBe(USER_TOKEN);

    await store.deleteInstallation({ ...query, userId: 'U0INSTALLER' });
    const fetched = await store.fetchInstallation({ ...query, userId: 'U0INSTALLER' });
    expect(fetched.user).toEqual({ id: 'U0INSTALLER' });
    expect(fetched.bot?.token).toBe(BOT_TOKEN);
    const row = await db.slackInstallation.findUniqueOrThrow({ where: { installationKey: 'T0ACME' } });
    for (const secret of [USER_TOKEN, REFRESH_TOKEN, BOT_TOKEN]) expect(row.encrypted).not.toContain(secret);
  });

  it('rejects installations it could not look up again', async () => {
    const noTeam = { ...workspaceInstall(), team: undefined } as unknown as Installation;
    expect(await messageOf(store.storeInstallation(noTeam))).toBe('A workspace Slack installation must carry its team id');
    const noEnterprise = { ...orgInstall(), enterprise: undefined } as unknown as Installation;
    expect(await messageOf(store.storeInstallation(noEnterprise))).toBe('An org-wide Slack installation must carry its enterprise id');
    expect(await db.slackInstallation.count()).toBe(0);
  });
});
