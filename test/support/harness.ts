import { startPanelist, type RunningPanelist } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createTestDatabase, type TestDatabase } from './database';
import { FakeSlack, type FakeUser } from './fake-slack';
import { interactionBody, postSigned, slashCommandBody, type SignedPost } from './slack-requests';

export const SIGNING_SECRET = 'test-signing-secret';

export const ADMIN: FakeUser = { id: 'UADMIN', name: 'alice', is_admin: true };
export const MEMBER: FakeUser = { id: 'UMEMBER', name: 'bob' };
export const OTHER: FakeUser = { id: 'UOTHER', name: 'carol' };

/**
 * The whole app on its real HTTP server with a database of its own and a fake Slack, driven by
 * requests signed as Slack signs them.
 */
export class Harness {
  private constructor(
    readonly app: RunningPanelist,
    readonly slack: FakeSlack,
    readonly database: TestDatabase,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<Harness> {
    const database = await createTestDatabase();
    const slack = await new FakeSlack().start();
    for (const user of [ADMIN, MEMBER, OTHER]) slack.users.set(user.id, user);
    const config = loadConfig({
      DATABASE_URL: database.url,
      PORT: '0',
      LOG_LEVEL: 'silent',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: slack.apiUrl,
      ...env,
    });
    const app = await startPanelist(config, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
    return new Harness(app, slack, database);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.app.port}`;
  }

  /** Sends `/spec <text>` and returns the ack plus, when the answer comes by response_url, that answer. */
  async spec(text: string, user: FakeUser = ADMIN, extra: { teamId?: string; channelId?: string } = {}) {
    const responseUrl = this.slack.responseUrl();
    const id = responseUrl.split('/').pop()!;
    const triggerId = `trigger-${id}`;
    const ack = await postSigned(
      `${this.baseUrl}/slack/events`,
      SIGNING_SECRET,
      slashCommandBody({ text, userId: user.id, userName: user.name, responseUrl, triggerId, ...extra }),
    );
    return { ack, responseId: id, triggerId, reply: () => this.replyTo(id) };
  }

  /** The text of the response_url post for one command (waits for it). */
  async replyTo(responseId: string): Promise<{ text: string; blocks: unknown[]; body: Record<string, unknown> }> {
    const response = await this.slack.waitFor(() => this.slack.responses.find((r) => r.id === responseId));
    const blocks = (response.body.blocks as unknown[]) ?? [];
    return { text: String(response.body.text ?? ''), blocks, body: response.body };
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
