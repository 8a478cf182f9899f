import { startPanelist } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createDigestService } from '../../src/composition';
import { LogCapture } from './log-capture';
import { createDb, type Db } from '../../src/store/db';
import { signInterviewBody } from '../../src/webhooks/signature';
import { createTestDatabase, type TestDatabase } from './database';
import { BOT_APP_ID, FakeBotConnector, TENANT_ID, type FakeMember } from './fake-bot-connector';

export const WEBHOOK_SECRET = 'test-webhook-secret';
export const OWNER: FakeMember = { id: '29:owner', aadObjectId: 'aad-owner', name: 'Olivia Owner', userRole: 'owner' };
export const MEMBER: FakeMember = { id: '29:member', aadObjectId: 'aad-member', name: 'Bob Member', userRole: 'user' };
export const TEAM_ID = '19:team-general@thread.tacv2';
export const CHANNEL_ID = '19:hiring@thread.tacv2';
/** the team's Microsoft 365 group id: Graph's name for it, which message activities do not carry */
export const TEAM_GROUP_ID = 'group-hiring';
export const BOT_ID = `28:${BOT_APP_ID}`;

/** Where a test message is written: a team channel (default), a group chat, or a personal chat. */
export interface Where {
  conversationId?: string;
  groupChat?: string;
  /** the team a channel belongs to (default TEAM_ID) */
  teamId?: string;
  personal?: boolean;
  entities?: unknown[];
}

/**
 * The whole app (startPanelist) with Teams on, on a database of its own, against a fake Bot
 * Connector, login and OpenID issuer on 127.0.0.1: the SDK authenticates every request for real.
 */
export class TeamsHarness {
  private constructor(
    readonly connector: FakeBotConnector,
    readonly database: TestDatabase,
    readonly db: Db,
    readonly port: number,
    readonly metricsPort: number | undefined,
    private readonly stopAll: () => Promise<void>,
  ) {}

  /**
   * `namedAdmins`: who is a Panelist admin from the start, as `npx panelist admins add teams …` would
   * make them. OWNER by default, so tests about other things have someone who may edit.
   */
  static async start(
    env: Record<string, string> = {},
    { namedAdmins = [OWNER] }: { namedAdmins?: FakeMember[] } = {},
  ): Promise<TeamsHarness> {
    const database = await createTestDatabase();
    const connector = await new FakeBotConnector().start();
    for (const m of [OWNER, MEMBER]) connector.members.set(m.id, m);
    connector.teamGroups.set(TEAM_ID, TEAM_GROUP_ID);
    const config = loadConfig({
      DATABASE_URL: database.url,
      PORT: '0',
      LOG_LEVEL: 'silent',
      INTERVIEW_WEBHOOK_SECRET: WEBHOOK_SECRET,
      DELIVERY_RETRY_BASE_MS: '20',
      DIGEST_CLOCK: 'false',
      TEAMS_CLIENT_ID: BOT_APP_ID,
      TEAMS_CLIENT_SECRET: 'test-secret',
      TEAMS_TENANT_ID: TENANT_ID,
      TEAMS_LOGIN_ENDPOINT: connector.loginEndpoint,
      TEAMS_OPENID_METADATA_URL: connector.openIdMetadataUrl,
      TEAMS_SERVICE_URL: connector.serviceUrl,
      TEAMS_GRAPH_URL: connector.graphUrl,
      TEAMS_SEARCH_DELAY_MS: '50',
      METRICS_PORT: '0',
      ...env,
    });
    const logs = new LogCapture();
    const app = await startPanelist(config, logs.logger());
    const db = createDb(database.url, { max: 4 });
    const organization = await db.organization.findUniqueOrThrow({ where: { slug: 'default' } });
    await db.namedAdmin.createMany({
      data: namedAdmins.map((m) => ({ organizationId: organization.id, platform: 'teams', userId: m.aadObjectId, addedBy: 'test' })),
    });
    const harness = new TeamsHarness(connector, database, db, app.port, app.metricsPort, async () => {
      await app.stop();
      await db.$disconnect();
    });
    harness.digests = createDigestService(config, db);
    harness.logs = logs;
    return harness;
  }

  digests!: ReturnType<typeof createDigestService>;
  /** every warning and error the app logged */
  logs!: LogCapture;

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** GET here for the metrics: the loopback metrics server, not the public port. */
  get metricsUrl(): string {
    return `http://127.0.0.1:${this.metricsPort}/metrics`;
  }

  /** POSTs an activity to /api/messages with a token signed as the Bot Framework signs it. */
  async activity(
    activity: Record<string, unknown>,
    token: string | null = this.connector.sign(),
  ): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ serviceUrl: this.connector.serviceUrl, channelId: 'msteams', ...activity }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /** A message to the bot in a team channel (or a group chat, or a personal chat), mentioning it as Teams does. */
  message(text: string, from: FakeMember = OWNER, where: Where = {}) {
    const conversationId = where.conversationId ?? CHANNEL_ID;
    if (where.groupChat) return this.groupChatMessage(text, from, where.groupChat);
    const mention = { type: 'mention', text: '<at>Panelist</at>', mentioned: { id: BOT_ID, name: 'Panelist' } };
    return this.activity({
      type: 'message',
      id: `msg-${Math.random().toString(36).slice(2)}`,
      text: where.personal ? text : `<at>Panelist</at> ${text}`,
      from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
      recipient: { id: BOT_ID, name: 'Panelist' },
      conversation: where.personal
        ? { id: `a:personal-${from.aadObjectId}`, conversationType: 'personal', tenantId: TENANT_ID }
        : { id: `${conversationId};messageid=1700000000000`, conversationType: 'channel', tenantId: TENANT_ID, isGroup: true },
      entities: where.personal ? (where.entities ?? []) : [mention, ...(where.entities ?? [])],
      channelData: where.personal
        ? { tenant: { id: TENANT_ID } }
        : {
            tenant: { id: TENANT_ID },
            team: { id: where.teamId ?? TEAM_ID, name: 'Hiring' },
            channel: { id: conversationId, name: 'hiring' },
          },
    });
  }

  private groupChatMessage(text: string, from: FakeMember, chatId: string) {
    return this.activity({
      type: 'message',
      id: `msg-${Math.random().toString(36).slice(2)}`,
      text: `<at>Panelist</at> ${text}`,
      from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
      recipient: { id: BOT_ID, name: 'Panelist' },
      conversation: { id: chatId, conversationType: 'groupChat', tenantId: TENANT_ID, isGroup: true },
      entities: [{ type: 'mention', text: '<at>Panelist</at>', mentioned: { id: BOT_ID, name: 'Panelist' } }],
      channelData: { tenant: { id: TENANT_ID } },
    });
  }

  /** Sends a message and waits for the bot's answer in that conversation. */
  async ask(text: string, from: FakeMember = OWNER, where: Where = {}) {
    const before = this.connector.activities.length;
    const conversation =
      where.groupChat ??
      (where.personal ? `a:personal-${from.aadObjectId}` : `${where.conversationId ?? CHANNEL_ID};messageid=1700000000000`);
    const sent = await this.message(text, from, where);
    if (sent.status !== 200) throw new Error(`activity answered ${sent.status}`);
    return this.connector.waitFor(() => this.connector.activities.slice(before).find((a) => a.conversationId === conversation));
  }

  /** An Action.Execute from a card, as Teams sends it (invoke adaptiveCard/action); returns the invoke answer. */
  async cardAction(verb: string, data: Record<string, unknown>, from: FakeMember = OWNER, conversationId = CHANNEL_ID) {
    return this.activity({
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: `inv-${Math.random().toString(36).slice(2)}`,
      from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
      recipient: { id: BOT_ID, name: 'Panelist' },
      conversation: { id: conversationId, conversationType: 'channel', tenantId: TENANT_ID },
      channelData: { tenant: { id: TENANT_ID }, team: { id: TEAM_ID } },
      value: { action: { type: 'Action.Execute', verb, data: { ...data, verb } }, trigger: 'manual' },
    });
  }

  /** Waits until a delivery is sent and shows its latest content; throws on a dead letter. */
  async deliverySettled(subjectId: string, channelId: string) {
    for (let i = 0; i < 300; i += 1) {
      const row = await this.db.delivery.findFirst({ where: { subjectId, channelId } });
      if (row?.status === 'sent' && row.renderedVersion === row.contentVersion) return row;
      if (row?.status === 'failed') throw new Error(`delivery failed: ${row.lastError}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`delivery of ${subjectId} to ${channelId} did not settle`);
  }

  async webhook(body: unknown): Promise<number> {
    const raw = JSON.stringify(body);
    const response = await fetch(`${this.baseUrl}/webhooks/interviews`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'interview-signature': signInterviewBody(WEBHOOK_SECRET, raw, Math.floor(Date.now() / 1000)),
      },
      body: raw,
    });
    return response.status;
  }

  async stop(): Promise<void> {
    await this.stopAll();
    await this.connector.stop();
    await this.database.drop();
  }
}
