import { OWNER, TeamsHarness } from '../support/teams-harness';
import { BOT_ID } from '../support/teams-harness';
import { TENANT_ID } from '../support/fake-bot-connector';

/**
 * Junk at /api/messages (issue 12): a validly signed activity that is not one (`{}`, or without
 * from, conversation or id), an oversized or malformed body. Each is refused in words, changes
 * nothing, is counted, and never logged as an error.
 */
let h: TeamsHarness;

beforeAll(async () => {
  h = await TeamsHarness.start();
});
afterAll(async () => {
  await h?.stop();
});

async function rowCounts(): Promise<number[]> {
  return Promise.all([h.db.teamsConversation.count(), h.db.subscription.count(), h.db.auditEvent.count(), h.db.specGrant.count()]);
}

async function refusedCount(reason: string): Promise<number> {
  const text = await (await fetch(h.metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith(`panelist_http_refused_total{route="/api/messages",reason="${reason}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

const whole = {
  type: 'message',
  id: 'msg-1',
  text: 'help',
  from: { id: OWNER.id, name: OWNER.name, aadObjectId: OWNER.aadObjectId },
  recipient: { id: BOT_ID, name: 'Panelist' },
  conversation: { id: `a:personal-${OWNER.aadObjectId}`, conversationType: 'personal', tenantId: TENANT_ID },
  channelData: { tenant: { id: TENANT_ID } },
};

describe('POST /api/messages refuses what is not an activity', () => {
  it.each([
    ['an empty object', {}, 'type'],
    ['no from', { ...whole, from: undefined }, 'from'],
    ['no conversation', { ...whole, conversation: undefined }, 'conversation'],
    ['no id', { ...whole, id: undefined }, 'id'],
    ['a from without an id', { ...whole, from: { name: 'x' } }, 'from.id'],
  ])('%s, validly signed: 400 naming the field, nothing stored', async (_name, activity, field) => {
    const before = await rowCounts();
    const refusedBefore = await refusedCount('invalid_activity');
    const { status, body } = await h.activity(activity as Record<string, unknown>);
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain(field);
    expect(await rowCounts()).toEqual(before);
    expect(await refusedCount('invalid_activity')).toBe(refusedBefore + 1);
  });

  it('answers a stranger (no token, or one not signed by the Bot Framework) 401 before looking at the body', async () => {
    expect((await h.activity({}, null)).status).toBe(401);
    for (const claims of [{ aud: 'someone-else' }, { iss: 'https://evil.example.com' }, { exp: Math.floor(Date.now() / 1000) - 3600 }]) {
      expect((await h.activity({}, h.connector.sign(claims))).status).toBe(401);
    }
  });

  it('refuses a body over 1 MiB with 413 in words', async () => {
    const { status, body } = await h.activity({ ...whole, text: 'x'.repeat(1_100_000) });
    expect(status).toBe(413);
    expect(body).toEqual({ error: expect.stringContaining('1 MiB') });
  });

  it('refuses a body that is not JSON with 400 in words', async () => {
    const response = await fetch(`${h.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.connector.sign()}` },
      body: '{"type":',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringContaining('not valid JSON') });
  });

  it('still refuses an unsigned activity with 401 (counted), and still answers a whole one', async () => {
    const refusedBefore = await refusedCount('bad_token');
    expect((await h.activity(whole, null)).status).toBe(401);
    expect(await refusedCount('bad_token')).toBe(refusedBefore + 1);
    const answer = await h.ask('help', OWNER, { personal: true });
    expect(answer).toBeDefined();
  });

  it('logged none of it as an error', () => {
    expect(h.logs.errorsSince(0)).toEqual([]);
  });
});
