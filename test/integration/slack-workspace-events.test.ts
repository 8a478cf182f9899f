import { Client } from 'pg';
import { ADMIN, Harness, SIGNING_SECRET, oauthAccessAnswer, oauthModeEnv } from '../support/harness';
import { completed } from '../support/interview-events';
import { eventCallback, platformEventsHandled, postEvent, waitUntil } from '../support/slack-events';

/**
 * OAuth mode: a workspace whose bot token is revoked (or which uninstalls) is removed and its
 * subscriptions pause; installing it again resumes them and sends what was held, with the new token.
 */

const SPEC = 'senior-backend-payments';
const FIRST_TOKEN = 'xoxb-team2-first';
const SECOND_TOKEN = 'xoxb-team2-second';
let harness: Harness;
let sql: Client;
let issuedToken = FIRST_TOKEN;

beforeAll(async () => {
  harness = await Harness.start(oauthModeEnv());
  harness.slack.on('oauth.v2.access', () => oauthAccessAnswer(issuedToken, ADMIN.id));
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
  await install();
});
afterAll(async () => {
  await sql?.end();
  await harness?.stop();
});

/** The browser's round trip: /slack/install, Slack's consent, /slack/oauth_redirect. */
async function install(): Promise<void> {
  const start = await fetch(`${harness.baseUrl}/slack/install`, { redirect: 'manual' });
  const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0]!;
  const done = await fetch(`${harness.baseUrl}/slack/oauth_redirect?code=abc&state=${encodeURIComponent(state)}`, {
    redirect: 'manual',
    headers: { cookie },
  });
  expect(done.status).toBe(200);
}

const send = (event: Record<string, unknown>) => postEvent(harness.baseUrl, SIGNING_SECRET, eventCallback('T2', event, 'UBOT2'));
const installed = async () => (await sql.query(`SELECT 1 FROM slack_installation WHERE installation_key = 'T2'`)).rowCount === 1;

async function subscription(channelId: string): Promise<{ paused_reason: string | null } | undefined> {
  const { rows } = await sql.query(`SELECT paused_reason FROM subscription WHERE channel_id = $1`, [channelId]);
  return rows[0];
}

async function delivery(channelId: string, interviewId: string): Promise<{ status: string } | undefined> {
  const { rows } = await sql.query(`SELECT status FROM delivery WHERE channel_id = $1 AND subject_id = $2`, [channelId, interviewId]);
  return rows[0];
}

describe('a workspace loses its token and installs again', () => {
  it('forgets only a revoked user token; the bot keeps working', async () => {
    expect(await send({ type: 'tokens_revoked', tokens: { oauth: [ADMIN.id] } })).toBe(200);
    const reply = await (await harness.spec(`subscribe ${SPEC}`, ADMIN, { teamId: 'T2', channelId: 'CHIRE' })).reply();
    expect(reply.text).toContain('follows');
    expect(await installed()).toBe(true);
    expect(await subscription('CHIRE')).toEqual({ paused_reason: null });
    await (await harness.spec(`subscribe ${SPEC}`, ADMIN, { teamId: 'T2', channelId: 'CGONE' })).reply();
    // a result posted with the first token, so the sender has a client for it
    expect((await harness.webhook(completed({ interviewId: 'int_before' }))).status).toBe(202);
    await harness.slack.waitFor(() => harness.slack.posted('CHIRE')[0]);
    expect(harness.slack.callsTo('chat.postMessage').find((call) => call.args.channel === 'CHIRE')?.headers.authorization).toBe(
      `Bearer ${FIRST_TOKEN}`,
    );
  });

  it('a revoked bot token removes the installation and pauses the workspace; results wait', async () => {
    // the bot left one channel before: that channel has a reason of its own to stay paused
    expect(await send({ type: 'channel_left', channel: 'CGONE', actor_id: ADMIN.id })).toBe(200);
    await waitUntil(async () => (await subscription('CGONE'))?.paused_reason, 'CGONE to pause');

    expect(await send({ type: 'tokens_revoked', tokens: { bot: ['UBOT2'] } })).toBe(200);
    await waitUntil(async () => !(await installed()), 'the installation to go');
    await waitUntil(async () => (await subscription('CHIRE'))?.paused_reason === 'tokens_revoked', 'CHIRE to pause');
    expect(await subscription('CGONE')).toEqual({ paused_reason: 'Panelist was removed from the channel' });

    // app_uninstalled follows tokens_revoked in Slack; handled the same, harmlessly
    expect(await send({ type: 'app_uninstalled' })).toBe(200);
    await waitUntil(
      async () => (await platformEventsHandled(harness.metricsUrl, 'app_uninstalled', 'applied')) === 1,
      'app_uninstalled to be handled',
    );
    expect((await harness.webhook(completed({ interviewId: 'int_while_uninstalled' }))).status).toBe(202);
    await waitUntil(async () => (await delivery('CHIRE', 'int_while_uninstalled'))?.status === 'paused', 'the held delivery');
    expect(harness.slack.posted('CHIRE')).toHaveLength(1);
    expect(await subscription('CHIRE')).toEqual({ paused_reason: 'tokens_revoked' });
  });

  it('installing again resumes the workspace’s subscriptions and sends what was held, with the new token', async () => {
    issuedToken = SECOND_TOKEN;
    await install();
    expect(await installed()).toBe(true);
    const message = await harness.slack.waitFor(() => harness.slack.posted('CHIRE')[1]);
    expect(message.metadata?.event_payload).toHaveProperty('delivery_id');
    const post = harness.slack
      .callsTo('chat.postMessage')
      .filter((call) => call.args.channel === 'CHIRE')
      .at(-1);
    expect(post?.headers.authorization).toBe(`Bearer ${SECOND_TOKEN}`);
    expect(await subscription('CHIRE')).toEqual({ paused_reason: null });
    await waitUntil(async () => (await delivery('CHIRE', 'int_while_uninstalled'))?.status === 'sent', 'the held delivery to be sent');
    // the channel the bot had left stays paused until it is invited back
    expect(await subscription('CGONE')).toEqual({ paused_reason: 'Panelist was removed from the channel' });
    expect((await delivery('CGONE', 'int_while_uninstalled'))?.status).toBe('paused');
  });

  it('inviting the bot back into the channel it left resumes it', async () => {
    expect(
      await send({ type: 'member_joined_channel', user: 'UBOT2', channel: 'CGONE', channel_type: 'C', team: 'T2', inviter: ADMIN.id }),
    ).toBe(200);
    await harness.slack.waitFor(() => harness.slack.posted('CGONE')[1]);
    expect(await subscription('CGONE')).toEqual({ paused_reason: null });
  });
});
