import { randomBytes } from 'node:crypto';
import { startPanelist, type RunningPanelist } from '../../src/app';
import { loadConfig } from '../../src/config';
import { signInterviewBody } from '../../src/webhooks/signature';
import { createTestDatabase, type TestDatabase } from './database';
import { FakeSlack, type FakeUser } from './fake-slack';
import { LogCapture } from './log-capture';
import { interactionBody, postSigned, slashCommandBody, type SignedPost } from './slack-requests';

export const SIGNING_SECRET = 'test-signing-secret';
export const WEBHOOK_SECRET = 'test-webhook-secret';

/** The variables of OAuth mode (many workspaces, installations stored encrypted), with a fresh key. */
export function oauthModeEnv(): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: '',
    SLACK_CLIENT_ID: '123.456',
    SLACK_CLIENT_SECRET: 'client-secret',
    SLACK_STATE_SECRET: 'state-secret',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
}

/** What the fake Slack's oauth.v2.access answers: an install of workspace T2 with `token`. */
export function oauthAccessAnswer(token: string, installerId: string): Record<string, unknown> {
  return {
    ok: true,
    access_token: token,
    token_type: 'bot',
    scope: 'commands,chat:write,users:read,channels:read,groups:read,channels:history,groups:history',
    bot_user_id: 'UBOT2',
    app_id: 'A0PANELIST',
    team: { id: 'T2', name: 'Beta' },
    enterprise: null,
    is_enterprise_install: false,
    authed_user: { id: installerId },
  };
}

export const ADMIN: FakeUser = { id: 'UADMIN', name: 'alice', is_admin: true };
export const MEMBER: FakeUser = { id: 'UMEMBER', name: 'bob' };
export const OTHER: FakeUser = { id: 'UOTHER', name: 'carol' };

/**
 * The whole app on its real HTTP server with a database of its own and a fake Slack, driven by
 * requests signed as Slack signs them.
 */
export class Harness {
  private constructor(
    public app: RunningPanelist,
    readonly slack: FakeSlack,
    readonly database: TestDatabase,
    private env: Record<string, string>,
    /** every warning and error the app logged */
    readonly logs: LogCapture,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<Harness> {
    const database = await createTestDatabase();
    const slack = await new FakeSlack().start();
    for (const user of [ADMIN, MEMBER, OTHER]) slack.users.set(user.id, user);
    const logs = new LogCapture();
    const app = await Harness.boot(database, slack, env, logs);
    return new Harness(app, slack, database, env, logs);
  }

  /** Stops the app and starts it again on the same database and fake Slack (a deploy, a crash). */
  async restart(env: Record<string, string> = {}): Promise<void> {
    await this.app.stop();
    this.env = { ...this.env, ...env };
    this.app = await Harness.boot(this.database, this.slack, this.env, this.logs);
  }

  private static async boot(
    database: TestDatabase,
    slack: FakeSlack,
    env: Record<string, string>,
    logs: LogCapture,
  ): Promise<RunningPanelist> {
    const config = loadConfig({
      DATABASE_URL: database.url,
      PORT: '0',
      LOG_LEVEL: 'silent',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: slack.apiUrl,
      INTERVIEW_WEBHOOK_SECRET: WEBHOOK_SECRET,
      DELIVERY_RETRY_BASE_MS: '20',
      // fast pacing keeps tests quick; test/integration/channel-turns.test.ts covers the real limit
      SLACK_CHANNEL_RATE: '50',
      SLACK_CHANNEL_BURST: '10',
      // a free loopback port per app: test files run side by side
      METRICS_PORT: '0',
      ...env,
    });
    return startPanelist(config, logs.logger());
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.app.port}`;
  }

  /** GET here for the metrics: the loopback metrics server, not the public port. */
  get metricsUrl(): string {
    return `http://127.0.0.1:${this.app.metricsPort}/metrics`;
  }

  /**
   * Sends `/spec <text>` and returns the ack and the answer, as the user sees it: the ack's body
   * when it carries one (parse errors, help, reads ready at once), else the response_url post.
   */
  async spec(text: string, user: FakeUser = ADMIN, extra: { teamId?: string; channelId?: string } = {}) {
    const responseUrl = this.slack.responseUrl();
    const id = responseUrl.split('/').pop()!;
    const triggerId = `trigger-${id}`;
    const ack = await postSigned(
      `${this.baseUrl}/slack/events`,
      SIGNING_SECRET,
      slashCommandBody({ text, userId: user.id, userName: user.name, responseUrl, triggerId, ...extra }),
    );
    const inAck = ack.text ? (ack.json() as Record<string, unknown>) : undefined;
    const reply = async () =>
      inAck ? { text: String(inAck.text ?? ''), blocks: (inAck.blocks as unknown[]) ?? [], body: inAck } : this.replyTo(id);
    return { ack, responseId: id, triggerId, reply };
  }

  /** The text of the response_url post for one command (waits for it). */
  async replyTo(responseId: string): Promise<{ text: string; blocks: unknown[]; body: Record<string, unknown> }> {
    const response = await this.slack.waitFor(() => this.slack.responses.find((r) => r.id === responseId));
    const blocks = (response.body.blocks as unknown[]) ?? [];
    return { text: String(response.body.text ?? ''), blocks, body: response.body };
  }

  /** POSTs an interview event signed as the platform signs it (or with the given header). */
  async webhook(body: unknown, options: { signature?: string; secret?: string; t?: number; raw?: string } = {}) {
    const raw = options.raw ?? JSON.stringify(body);
    const t = options.t ?? Math.floor(Date.now() / 1000);
    const response = await fetch(`${this.baseUrl}/webhooks/interviews`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'interview-signature': options.signature ?? signInterviewBody(options.secret ?? WEBHOOK_SECRET, raw, t),
      },
      body: raw,
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  interact(payload: Record<string, unknown>): Promise<SignedPost> {
    return postSigned(`${this.baseUrl}/slack/events`, SIGNING_SECRET, interactionBody(payload));
  }

  async stop(): Promise<void> {
    await this.app.stop();
    await this.slack.stop();
    await this.database.drop();
  }
}

/** Everything a reply says, blocks included, as one string to assert on. */
export function replyText(reply: { text: string; blocks: unknown[] }): string {
  return `${reply.text}\n${JSON.stringify(reply.blocks)}`;
}
