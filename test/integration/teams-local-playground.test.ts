import { activityText } from '../support/fake-bot-connector';
import { completed } from '../support/interview-events';
import { MEMBER, OWNER, TeamsHarness } from '../support/teams-harness';

/**
 * Teams local mode, as the Microsoft 365 Agents Playground uses it: activities with no token, from
 * 127.0.0.1, naming a service URL on this machine (here the fake Bot Connector's, which stands in
 * for the Playground's own connector). Answers and proactive sends go there without a token.
 */
const LOCAL = { TEAMS_LOCAL_PLAYGROUND: 'true', TEAMS_CLIENT_ID: '', TEAMS_CLIENT_SECRET: '' };
/** The SDK writes `Bearer ${token}` even when it has none (2.0.16): either way no token is sent. */
const NO_TOKEN = [undefined, 'Bearer null'];
const PERSONAL = (user = OWNER) => `a:personal-${user.aadObjectId}`;

function personalMessage(h: TeamsHarness, text: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    id: `msg-${Math.random().toString(36).slice(2)}`,
    text,
    from: { id: OWNER.id, name: OWNER.name, aadObjectId: OWNER.aadObjectId },
    recipient: { id: '28:playground-bot', name: 'Panelist' },
    conversation: { id: PERSONAL(), conversationType: 'personal', tenantId: 'tenant-1' },
    channelData: { tenant: { id: 'tenant-1' } },
    serviceUrl: h.connector.serviceUrl,
    ...extra,
  };
}

describe('with TEAMS_LOCAL_PLAYGROUND on', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await TeamsHarness.start(LOCAL);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('says so once, at warn, at start', () => {
    const warnings = h.logs.lines.filter((line) => String(line.msg).includes('TEAMS_LOCAL_PLAYGROUND'));
    expect(warnings).toEqual([expect.objectContaining({ level: 40, msg: expect.stringMatching(/^Teams local mode is on/) })]);
    expect(h.logs.lines.filter((line) => String(line.msg).includes('dangerouslyAllowUnauthenticatedRequests'))).toEqual([]);
  });

  it('accepts an activity without a token from loopback and answers at its service URL, fetching no token', async () => {
    const before = h.connector.activities.length;
    const sent = await h.activity(personalMessage(h, 'help'), null);
    expect(sent.status).toBe(200);
    const answer = await h.connector.waitFor(() => h.connector.activities.slice(before).find((a) => a.conversationId === PERSONAL()));
    expect(activityText(answer)).toContain('Panelist commands: help');
    expect(NO_TOKEN).toContain(answer.authorization);
    expect(h.connector.tokenRequests).toEqual([]);
  });

  it('refuses an activity naming a service URL off this machine, where its answers would go', async () => {
    const before = h.connector.activities.length;
    const sent = await h.activity(personalMessage(h, 'help', { serviceUrl: 'https://smba.trafficmanager.net/teams/' }), null);
    expect(sent).toEqual({
      status: 400,
      body: { error: 'Teams local mode (TEAMS_LOCAL_PLAYGROUND) takes only activities whose serviceUrl is on this machine.' },
    });
    expect(h.logs.lines).toContainEqual(
      expect.objectContaining({ reason: 'service_url_not_loopback', msg: 'request refused at the edge' }),
    );
    // undefined leaves it out of the JSON, where the harness would have put its own
    expect((await h.activity(personalMessage(h, 'help', { serviceUrl: undefined }), null)).status).toBe(400);
    expect(h.connector.activities.slice(before)).toEqual([]);
  });

  it('sends a subscribed conversation its interview cards at the service URL it was written from, without a token', async () => {
    const conversation = `a:personal-${MEMBER.aadObjectId}`;
    const subscribe = personalMessage(h, 'subscribe senior-backend-payments', {
      from: { id: MEMBER.id, name: MEMBER.name, aadObjectId: MEMBER.aadObjectId },
      conversation: { id: conversation, conversationType: 'personal', tenantId: 'tenant-1' },
    });
    expect((await h.activity(subscribe, null)).status).toBe(200);
    await h.connector.waitFor(() => h.connector.in(conversation).find((a) => activityText(a).includes('now follows')));
    expect(await h.webhook(completed({ interviewId: 'int_local' }))).toBe(202);
    const row = await h.deliverySettled('int_local', conversation);
    const card = h.connector.in(conversation).find((a) => a.id === row.messageId);
    expect(activityText(card)).toContain('77.9');
    expect(NO_TOKEN).toContain(card?.authorization);
    expect(h.connector.tokenRequests).toEqual([]);
  });
});

describe('with TEAMS_LOCAL_PLAYGROUND off', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    // the SDK's own switch, which it obeys when the app leaves the choice to it; Panelist never does
    process.env.DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS = 'true';
    h = await TeamsHarness.start();
  });
  afterAll(async () => {
    delete process.env.DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS;
    await h?.stop();
  });

  it('refuses the same activity without a token from loopback (401), even with the SDK’s environment switch on', async () => {
    const before = h.connector.activities.length;
    expect((await h.activity(personalMessage(h, 'help'), null)).status).toBe(401);
    expect(h.connector.activities.slice(before)).toEqual([]);
  });
});
