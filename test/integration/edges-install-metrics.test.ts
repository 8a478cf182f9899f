import { Client } from 'pg';
import { Harness, oauthModeEnv } from '../support/harness';

/**
 * Issue 12, OAuth mode: a person who cancels on Slack's consent screen gets a page saying so and
 * how to retry (not a 500), whatever Slack's redirect carries; and /metrics on the public port only
 * for a bearer of METRICS_TOKEN (here the loopback metrics port is off).
 */
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
let harness: Harness;
let sql: Client;

beforeAll(async () => {
  harness = await Harness.start({
    ...oauthModeEnv(),
    METRICS_PORT: 'off',
    METRICS_TOKEN,
  });
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await harness?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${harness.baseUrl}${path}`, { redirect: 'manual', headers });
const installations = async () => Number((await sql.query('SELECT count(*) FROM slack_installation')).rows[0].count);
const metricsText = async () => (await get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` })).text();

describe('cancelling the Slack install', () => {
  it('shows a page that says the install was cancelled and links to /slack/install, stores nothing, logs no error', async () => {
    const logged = harness.logs.lines.length;
    const install = await get('/slack/install');
    const state = new URL(install.headers.get('location')!).searchParams.get('state')!;
    const cookie = (install.headers.get('set-cookie') ?? '').split(';')[0]!;

    const response = await get(`/slack/oauth_redirect?error=access_denied&state=${encodeURIComponent(state)}`, { cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const page = await response.text();
    expect(page).toContain('cancelled');
    expect(page).toContain('href="/slack/install"');
    expect(page).not.toMatch(/Oops|\n\s+at /);
    expect(await installations()).toBe(0);
    expect(harness.logs.errorsSince(logged)).toEqual([]);
    expect(await metricsText()).toMatch(/panelist_http_refused_total\{route="\/slack\/oauth_redirect",reason="cancelled"\} 1/);
  });

  it('escapes what the redirect carries when it shows it', async () => {
    const response = await get(`/slack/oauth_redirect?error=${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('href="/slack/install"');
  });
});

describe('/metrics on the public port with METRICS_TOKEN', () => {
  it('serves the bearer of the token, refuses anyone else with 401 in words', async () => {
    expect(harness.app.metricsPort).toBeUndefined();
    expect(await metricsText()).toContain('panelist_http_refused_total');
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong' }, { authorization: METRICS_TOKEN }];
    for (const headers of attempts) {
      const response = await get('/metrics', headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: expect.stringContaining('METRICS_TOKEN') });
    }
  });
});
