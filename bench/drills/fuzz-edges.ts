import { BOT_APP_ID, type FakeBotConnector, TENANT_ID } from '../../test/support/fake-bot-connector';
import { completed } from '../../test/support/interview-events';
import { postSigned, slashCommandBody } from '../../test/support/slack-requests';
import { type ApiFuzzKeys, apiInput } from './fuzz-api';
import { chance, pick, randomWord } from './fuzz-inputs';
import { status } from './http-status';
import { ADMIN, SIGNING_SECRET, type Rig } from './rig';

/**
 * Issue 12's edges, fuzzed: each input names the answer it must get (a range of statuses), so the
 * drill fails on a wrong 4xx too, not only on a 5xx. Teams inputs are signed by a fake Bot
 * Framework issuer, so they pass the JWT check and reach the activity check.
 */
export interface EdgeInput {
  kind: string;
  send(): Promise<number>;
  /** statuses that are right for this input */
  expect: number[];
}

const now = () => Math.floor(Date.now() / 1000);
const BOT_ID = `28:${BOT_APP_ID}`;

/** The app's Teams variables for a connector, so the rig's app trusts its tokens. */
export function teamsEnv(connector: FakeBotConnector): Record<string, string> {
  return {
    TEAMS_CLIENT_ID: BOT_APP_ID,
    TEAMS_CLIENT_SECRET: 'fuzz-secret',
    TEAMS_TENANT_ID: TENANT_ID,
    TEAMS_LOGIN_ENDPOINT: connector.loginEndpoint,
    TEAMS_OPENID_METADATA_URL: connector.openIdMetadataUrl,
    TEAMS_SERVICE_URL: connector.serviceUrl,
    TEAMS_GRAPH_URL: connector.graphUrl,
  };
}

function slashBody(rig: Rig, text: string): string {
  return slashCommandBody({ text, userId: ADMIN.id, userName: ADMIN.name, responseUrl: rig.slack.responseUrl() });
}

/** A Bot Framework activity with one to three of the fields Panelist needs taken away or spoiled. */
function brokenActivity(connector: FakeBotConnector): Record<string, unknown> {
  const activity: Record<string, unknown> = {
    type: pick(['message', 'invoke', 'conversationUpdate']),
    id: `fuzz-${randomWord()}`,
    serviceUrl: connector.serviceUrl,
    channelId: 'msteams',
    text: randomWord(),
    from: { id: '29:fuzz' },
    recipient: { id: BOT_ID },
    conversation: { id: `a:fuzz-${randomWord()}`, conversationType: 'personal', tenantId: TENANT_ID },
  };
  const spoil = ['type', 'from', 'recipient', 'conversation', ...(activity.type === 'conversationUpdate' ? [] : ['id'])];
  for (let n = 1 + Math.floor(Math.random() * 3); n > 0; n -= 1) {
    activity[pick(spoil)] = pick([undefined, null, '', 0, [], {}, { id: '' }, { name: 'no id' }]);
  }
  return activity;
}

export function edgeInput(rig: Rig, connector: FakeBotConnector, api?: ApiFuzzKeys): EdgeInput {
  // the pull API (fuzz-api.ts) has the most surface a stranger can reach without a signature
  if (api && chance(0.4)) return apiInput(rig, api);
  const events = `${rig.baseUrl}/slack/events`;
  const choice = Math.floor(Math.random() * 8);
  if (choice === 0) {
    const sequence = pick([2 ** 31, 2 ** 32, 2 ** 53 + 2, 1e300]);
    return {
      kind: 'webhook sequence too large',
      expect: [400],
      send: async () => (await rig.webhook(JSON.stringify(completed({ sequence })))).status,
    };
  }
  if (choice === 1) {
    const offset = pick([-1, 1]) * (301 + Math.floor(Math.random() * 7200));
    return {
      kind: 'slack timestamp outside ±300 s',
      expect: [401],
      send: async () => (await postSigned(events, SIGNING_SECRET, slashBody(rig, 'subscribe all'), { timestamp: now() + offset })).status,
    };
  }
  if (choice === 2) {
    const text = `show ${'x'.repeat(1_100_000 + Math.floor(Math.random() * 1_000_000))}`;
    return {
      kind: 'signed slack body over 1 MiB',
      expect: [413],
      send: async () => (await postSigned(events, SIGNING_SECRET, slashBody(rig, text))).status,
    };
  }
  if (choice === 3) {
    const init: RequestInit = pick([
      { method: 'POST', body: randomWord(200) },
      {
        method: 'POST',
        headers: {
          'x-slack-request-timestamp': pick(['', 'soon', '-1', '1e9', String(now())]),
          'x-slack-signature': pick(['', 'v0=', 'v0=zz', `v0=${'0'.repeat(64)}`]),
        },
        body: randomWord(),
      },
    ]);
    return { kind: 'unsigned slack junk', expect: [401], send: () => status(events, init) };
  }
  if (choice === 4) {
    const query = pick([
      'error=access_denied',
      `error=${encodeURIComponent(`<script>${randomWord().replace(/[\ud800-\udfff]/g, '?')}</script>`)}`,
      'code=x&state=y',
      '',
      `state=${randomWord()}`,
    ]);
    // single-workspace mode has no OAuth routes: 404; OAuth mode answers 200 (cancelled) or 400
    return {
      kind: 'oauth redirect junk',
      expect: [200, 400, 404],
      send: () => status(`${rig.baseUrl}/slack/oauth_redirect?${query}`, { method: 'GET' }),
    };
  }
  if (choice === 5) {
    const body = chance(0.2) ? '{}' : JSON.stringify(brokenActivity(connector));
    // a fifth carry a token the Bot Framework did not issue for this bot: 401 before the body is read
    const forged = chance(0.2);
    const token = forged
      ? connector.sign(pick([{ aud: 'someone-else' }, { iss: 'https://evil.example.com' }, { exp: now() - 3600 }]))
      : connector.sign();
    return {
      kind: forged ? 'teams activity with a forged token' : 'signed teams activity missing fields',
      expect: [forged ? 401 : 400],
      send: () =>
        status(`${rig.baseUrl}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body,
        }),
    };
  }
  if (choice === 6) {
    const [body, expected] = pick<[string, number]>([
      ['{"type":', 400],
      [JSON.stringify({ pad: 'x'.repeat(1_100_000) }), 413],
      [randomWord(50), 400],
    ]);
    return {
      kind: 'teams body malformed or over 1 MiB',
      expect: [expected],
      send: () =>
        status(`${rig.baseUrl}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${connector.sign()}` },
          body,
        }),
    };
  }
  return {
    kind: 'public /metrics without the token',
    expect: [401],
    send: () =>
      status(`${rig.baseUrl}/metrics`, { headers: chance(0.5) ? {} : { authorization: `Bearer ${Math.random().toString(36).slice(2)}` } }),
  };
}
