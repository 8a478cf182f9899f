import { Client } from 'pg';
import { ADMIN, Harness, SIGNING_SECRET, oauthAccessAnswer, oauthModeEnv } from '../support/harness';
import { platformEventsHandled, waitUntil } from '../support/slack-events';
import { slackSignature } from '../support/slack-requests';

/**
 * OAuth (many workspaces) end to end: /slack/install → Slack's authorize page → /slack/oauth_redirect
 * → oauth.v2.access on the fake Slack → the installation sealed in PostgreSQL → that workspace's
 * commands run with its own bot token → app_uninstalled removes it.
 */

const TEAM2_TOKEN = 'xoxb-team2-token';
const SPEC = 'senior-backend-payments';

let harness: Harness;
let sql: Client;

/** Slack's oauth.v2.access answer for a bot install into workspace T2 (Beta). */
function oauthV2Access(): Record<string, unknown> {
  return oauthAccessAnswer(TEAM2_TOKEN, 'UADMIN');
}

function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${harness.baseUrl}${path}`, { redirect: 'manual', headers });
}

/** An Events API callback, signed as Slack signs it (JSON body). */
async function postEvent(body: Record<string, unknown>): Promise<{ status: number; text: string }> {
  const raw = JSON.stringify(body);
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(`${harness.baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, raw),
    },
    body: raw,
  });
  return { status: response.status, text: await response.text() };
}

async function installationRow(teamId: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await sql.query(`SELECT * FROM slack_installation WHERE installation_key = $1`, [teamId]);
  return rows[0];
}

/** Starts the install at /slack/install: the state Slack will hand back, and the browser cookie that carries it. */
async function beginInstall(): Promise<{ state: string; cookie: string }> {
  const response = await get('/slack/install');
  const location = new URL(response.headers.get('location') ?? 'about:blank');
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { state: location.searchParams.get('state') ?? '', cookie };
}

beforeAll(async () => {
  harness = await Harness.start(oauthModeEnv());
  harness.slack.on('oauth.v2.access', oauthV2Access);
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await harness?.stop();
});

// In order: install T2, use it, then uninstall it.
describe('installing Panelist into a workspace', () => {
  it('sends /slack/install straight to Slack with the client id, the scopes and a state, and sets the state cookie', async () => {
    const response = await get('/slack/install');
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
    expect(location.searchParams.get('client_id')).toBe('123.456');
    expect(location.searchParams.get('scope')!.split(',')).toEqual(expect.arrayContaining(['commands', 'chat:write', 'users:read']));
    const state = location.searchParams.get('state');
    expect(state).toBeTruthy();

    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toContain(`slack-app-oauth-state=${state}`);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(harness.slack.callsTo('oauth.v2.access')).toHaveLength(0);
  });

  it('refuses a redirect whose state is not this browser session’s, and stores nothing', async () => {
    const { state } = await beginInstall();
    const withoutCookie = await get(`/slack/oauth_redirect?code=abc&state=${encodeURIComponent(state)}`);
    expect(withoutCookie.status).toBe(400);
    const page = await withoutCookie.text();
    expect(page).toContain('Something Went Wrong');
    expect(page).not.toMatch(/\n\s+at /); // no stack trace
    const other = await beginInstall();
    const mismatched = await get(`/slack/oauth_redirect?code=abc&state=${encodeURIComponent(state)}`, { cookie: other.cookie });
    expect(mismatched.status).toBe(400);

    expect(harness.slack.callsTo('oauth.v2.access')).toHaveLength(0);
    expect(await installationRow('T2')).toBeUndefined();
  });

  it('exchanges the code at Slack, stores the installation sealed, and shows a success page', async () => {
    const { state, cookie } = await beginInstall();
    expect(cookie).toBe(`slack-app-oauth-state=${state}`);

    const response = await get(`/slack/oauth_redirect?code=abc&state=${encodeURIComponent(state)}`, { cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const page = await response.text();
    expect(page).toContain('Thank you!');
    expect(page).toContain('slack://app?team=T2&amp;id=A0PANELIST');
    expect(page).not.toContain(TEAM2_TOKEN);
    // the state is single-use: the cookie is cleared
    expect(response.headers.get('set-cookie')).toBe(
      'slack-app-oauth-state=deleted; Secure; HttpOnly; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    );

    const [exchange] = harness.slack.callsTo('oauth.v2.access');
    expect(exchange?.args).toMatchObject({ code: 'abc', client_id: '123.456', client_secret: 'client-secret' });
    // Bolt asks auth.test, with the new token, for the bot id
    const authTest = harness.slack.callsTo('auth.test').at(-1);
    expect(authTest?.headers.authorization).toBe(`Bearer ${TEAM2_TOKEN}`);

    const row = await installationRow('T2');
    expect(row).toMatchObject({ installation_key: 'T2', team_id: 'T2', enterprise_id: null, bot_user_id: 'UBOT2' });
    const wholeRow = JSON.stringify(row);
    expect(wholeRow).not.toContain(TEAM2_TOKEN);
    expect(wholeRow).not.toContain('xoxb-');
    expect(String(row!.encrypted)).not.toContain('client-secret');
  });
});

describe('an installed workspace', () => {
  it('answers /spec list from T2, which joins the default organization as the first workspace', async () => {
    const sent = await harness.spec('list', ADMIN, { teamId: 'T2' });
    expect(sent.ack.status).toBe(200);
    const reply = await sent.reply();
    expect(reply.text).toContain(SPEC);
  });

  it("calls Slack's Web API with T2's own bot token", async () => {
    const before = harness.slack.calls.length;
    const sent = await harness.spec(`weights ${SPEC} financial_systems_design=0.35 fastapi_kafka_systems=5%`, ADMIN, { teamId: 'T2' });
    expect(sent.ack.status).toBe(200);
    const reply = await sent.reply();
    expect(reply.text).toContain('v2');

    const calls = harness.slack.calls.slice(before);
    expect(calls.map((call) => call.method)).toContain('users.info');
    for (const call of calls) expect(call.headers.authorization).toBe(`Bearer ${TEAM2_TOKEN}`);
    // the single-workspace token of the harness's default env is not in play
    expect(harness.slack.calls.some((call) => call.headers.authorization === 'Bearer xoxb-test-token')).toBe(false);
  });
});

describe('a workspace without an installation', () => {
  it('is told Panelist is not installed, without a 5xx or a stack trace, and no command runs for it', async () => {
    const before = { calls: harness.slack.calls.length, responses: harness.slack.responses.length };
    for (const text of ['list', 'help', `show ${SPEC}`]) {
      const sent = await harness.spec(text, ADMIN, { teamId: 'T9' });
      expect(sent.ack.status).toBeLessThan(500);
      expect(sent.ack.text).not.toMatch(/\n\s+at |Error:|stack/);
      expect(sent.ack.text).not.toContain(SPEC);
      expect((await sent.reply()).text).toContain('Panelist is not installed in this workspace yet');
    }
    // an installed workspace's command, answered after (a read: in its ack), shows the queue is drained
    expect((await (await harness.spec('list', ADMIN, { teamId: 'T2' })).reply()).text).not.toContain('not installed');
    expect(harness.slack.responses.length).toBe(before.responses + 3);
    expect(harness.slack.calls.slice(before.calls).every((call) => call.headers.authorization === `Bearer ${TEAM2_TOKEN}`)).toBe(true);
    // T9 never got an organization of its own: nothing ran on its behalf
    const { rows } = await sql.query(`SELECT team_id FROM slack_workspace ORDER BY team_id`);
    expect(rows).toEqual([{ team_id: 'T2' }]);
  });
});

describe('uninstalling', () => {
  it('deletes the installation on app_uninstalled, and the workspace stops being served', async () => {
    const event = {
      token: 'deprecated-verification-token',
      team_id: 'T2',
      api_app_id: 'A0PANELIST',
      event: { type: 'app_uninstalled', event_ts: (Date.now() / 1000).toFixed(6) },
      type: 'event_callback',
      event_id: 'Ev0UNINSTALL',
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: 'T2', user_id: 'UBOT2', is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    };
    const response = await postEvent(event);
    expect(response.status).toBe(200);
    const deadline = Date.now() + 5_000;
    while ((await installationRow('T2')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await installationRow('T2')).toBeUndefined();

    // Slack retries events: a second delivery is harmless
    expect((await postEvent({ ...event })).status).toBe(200);
    await waitUntil(
      async () => (await platformEventsHandled(harness.metricsUrl, 'app_uninstalled', 'applied')) === 2,
      'the retry to be handled',
    );

    const sent = await harness.spec('list', ADMIN, { teamId: 'T2' });
    expect(sent.ack.status).toBeLessThan(500);
    expect(sent.ack.text).not.toContain(SPEC);
    expect((await sent.reply()).text).toContain('Panelist is not installed in this workspace yet');
  });

  it('refuses an unsigned app_uninstalled', async () => {
    // re-install T2, then try to remove it with a forged event
    const { state, cookie } = await beginInstall();
    expect((await get(`/slack/oauth_redirect?code=abc&state=${encodeURIComponent(state)}`, { cookie })).status).toBe(200);
    expect(await installationRow('T2')).toBeDefined();

    const raw = JSON.stringify({ team_id: 'T2', type: 'event_callback', event: { type: 'app_uninstalled' }, event_id: 'Ev0FORGED' });
    const timestamp = Math.floor(Date.now() / 1000);
    const forged = await fetch(`${harness.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature('not-the-signing-secret', timestamp, raw),
      },
      body: raw,
    });
    expect(forged.status).toBe(401);
    expect(await installationRow('T2')).toBeDefined();
  });

  it('keeps a newer installation when a retry of an older app_uninstalled arrives late', async () => {
    expect(await installationRow('T2')).toBeDefined();
    const sentBeforeInstall = Math.floor(Date.now() / 1000) - 60;
    const late = {
      team_id: 'T2',
      api_app_id: 'A0PANELIST',
      event: { type: 'app_uninstalled', event_ts: `${sentBeforeInstall}.000100` },
      type: 'event_callback',
      event_id: 'Ev0UNINSTALL',
      event_time: sentBeforeInstall,
      authorizations: [{ enterprise_id: null, team_id: 'T2', user_id: 'UBOT2', is_bot: true, is_enterprise_install: false }],
    };
    expect((await postEvent(late)).status).toBe(200);
    await waitUntil(
      async () => (await platformEventsHandled(harness.metricsUrl, 'app_uninstalled', 'stale')) === 1,
      'the late event to be handled',
    );
    expect(await installationRow('T2')).toBeDefined();
    expect((await (await harness.spec('list', ADMIN, { teamId: 'T2' })).reply()).text).not.toContain('not installed');
  });
});
