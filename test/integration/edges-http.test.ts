import { Client } from 'pg';
import { completed } from '../support/interview-events';
import { ADMIN, Harness, SIGNING_SECRET } from '../support/harness';
import { postSigned, slashCommandBody } from '../support/slack-requests';

/**
 * Every edge holds (issue 12), through the public port: numbers the database cannot hold, Slack
 * requests stamped outside the five-minute window either way, oversized bodies, junk. Each is
 * refused in words, changes nothing, is counted, and is never an error in the log.
 */
let harness: Harness;
let sql: Client;

beforeAll(async () => {
  harness = await Harness.start({ DIGEST_CLOCK: 'false' });
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await harness?.stop();
});

/** Rows a request could have written, table by table. */
async function snapshot(): Promise<Record<string, number>> {
  const tables = ['interview_event', 'interview', 'subscription', 'spec_version', 'audit_event', 'delivery'];
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = Number((await sql.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
  return counts;
}

async function refused(route: string, reason: string): Promise<number> {
  const text = await (await fetch(harness.metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith(`panelist_http_refused_total{route="${route}",reason="${reason}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

function slashCommand(text: string): string {
  return slashCommandBody({ text, userId: ADMIN.id, userName: ADMIN.name, responseUrl: harness.slack.responseUrl() });
}

describe('webhook numbers the database cannot hold', () => {
  it('answers 400 with the field and the limit for a sequence above 2147483647, and stores nothing', async () => {
    const before = await snapshot();
    // biome-ignore lint/correctness/noPrecisionLoss: a number past 2^53 is what a hostile platform could send
    for (const sequence of [2_147_483_648, 9_007_199_254_740_993]) {
      const { status, body } = await harness.webhook(completed({ sequence }));
      expect(status).toBe(400);
      expect(body.issues).toEqual([{ path: 'data.sequence', message: expect.stringContaining('2147483647') }]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it.each(['0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '9999-12-31T23:59:59-14:00'])(
    'never answers 5xx for a date at the edge of the calendar (%s)',
    async (date) => {
      const { status } = await harness.webhook(completed({ startedAt: date, completedAt: date }));
      expect(status).toBeLessThan(500);
    },
  );

  it('still takes the largest sequence that fits', async () => {
    expect((await harness.webhook(completed({ sequence: 2_147_483_647 }))).status).toBe(202);
  });
});

describe('Slack request timestamps', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it.each([
    ['an hour in the future', 3600, 'future_timestamp'],
    ['an hour old', -3600, 'stale_timestamp'],
  ])('refuses a correctly signed command stamped %s: 401 in words, no state change', async (_name, offset, reason) => {
    const before = await snapshot();
    const countBefore = await refused('/slack/events', reason);
    const answer = await postSigned(`${harness.baseUrl}/slack/events`, SIGNING_SECRET, slashCommand('subscribe all'), {
      timestamp: now() + offset,
    });
    expect(answer.status).toBe(401);
    expect(answer.json()).toEqual({ error: expect.stringContaining('five minutes') });
    expect(await snapshot()).toEqual(before);
    expect(await refused('/slack/events', reason)).toBe(countBefore + 1);
  });

  it('accepts one stamped four minutes ahead (clock skew within the window)', async () => {
    const answer = await postSigned(`${harness.baseUrl}/slack/events`, SIGNING_SECRET, slashCommand('help'), { timestamp: now() + 240 });
    expect(answer.status).toBe(200);
  });

  it('refuses a bad signature with 401 in words', async () => {
    const answer = await postSigned(`${harness.baseUrl}/slack/events`, SIGNING_SECRET, slashCommand('list'), { signature: 'v0=00' });
    expect(answer.status).toBe(401);
    expect(answer.json()).toEqual({ error: expect.stringContaining('signing secret') });
  });
});

describe('body limits', () => {
  it('refuses a signed /spec show with 2 MB of text with 413 in words, and stays responsive', async () => {
    const before = await snapshot();
    const answer = await postSigned(`${harness.baseUrl}/slack/events`, SIGNING_SECRET, slashCommand(`show ${'x'.repeat(2_000_000)}`));
    expect(answer.status).toBe(413);
    expect(answer.json()).toEqual({ error: expect.stringContaining('1 MiB') });
    expect(await snapshot()).toEqual(before);
    expect((await fetch(`${harness.baseUrl}/healthz`)).status).toBe(200);
  });

  it('refuses a webhook body over 1 MiB with 413', async () => {
    const { status } = await harness.webhook(undefined, { raw: JSON.stringify({ pad: 'x'.repeat(1_100_000) }) });
    expect(status).toBe(413);
  });
});

describe('/metrics is not on the public port', () => {
  it('answers 404 there without METRICS_TOKEN, and serves the loopback metrics port', async () => {
    expect((await fetch(`${harness.baseUrl}/metrics`)).status).toBe(404);
    const text = await (await fetch(harness.metricsUrl)).text();
    expect(text).toContain('panelist_webhook_events_total');
    expect(text).toContain('panelist_process_cpu_user_seconds_total');
    expect(text).not.toMatch(/panelist_process_process_|panelist_process_nodejs_/);
  });
});

describe('junk from strangers', () => {
  it('answers every piece in words and logs none of it as an error', async () => {
    const logged = harness.logs.lines.length;
    const junk: [string, RequestInit][] = [
      ['/slack/events', { method: 'POST', body: 'garbage' }],
      ['/slack/events', { method: 'POST', headers: { 'x-slack-request-timestamp': 'soon', 'x-slack-signature': 'v0=zz' }, body: '{' }],
      ['/webhooks/interviews', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' }],
      ['/slack/oauth_redirect?error=access_denied', { method: 'GET' }],
      ['/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
    ];
    for (const [path, init] of junk) {
      const response = await fetch(`${harness.baseUrl}${path}`, init);
      expect([path, response.status < 500]).toEqual([path, true]);
      expect((await response.text()).length).toBeGreaterThan(0);
    }
    expect(harness.logs.errorsSince(logged)).toEqual([]);
  });
});
