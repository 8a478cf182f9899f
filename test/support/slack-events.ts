import { metricValue } from './metrics';
import { slackSignature } from './slack-requests';

let sequence = 0;

/** An Events API callback as Slack wraps one event for the app in a workspace. */
export function eventCallback(teamId: string, event: Record<string, unknown>, botUserId = 'UBOT'): Record<string, unknown> {
  sequence += 1;
  const ms = Date.now();
  const now = Math.floor(ms / 1000);
  return {
    token: 'deprecated-verification-token',
    team_id: teamId,
    api_app_id: 'A0PANELIST',
    // Slack's event_ts is when the event happened, to the microsecond; the sequence keeps them unique.
    event: { event_ts: `${now}.${String(ms % 1000).padStart(3, '0')}${String(sequence % 1000).padStart(3, '0')}`, ...event },
    type: 'event_callback',
    event_id: `Ev${String(sequence).padStart(8, '0')}`,
    event_time: now,
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

/** POSTs an Events API callback to /slack/events, signed exactly as Slack signs it (JSON body). */
export async function postEvent(
  baseUrl: string,
  secret: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<number> {
  const raw = JSON.stringify(body);
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(secret, timestamp, raw),
      ...headers,
    },
    body: raw,
  });
  await response.text();
  return response.status;
}

/** Polls `probe` until it returns something truthy (rows, recorded calls); fails after `timeoutMs`. */
export async function waitUntil<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** How many Slack platform events of `type` the app has finished handling with `outcome` (from /metrics). */
export function platformEventsHandled(metricsUrl: string, type: string, outcome: 'applied' | 'stale'): Promise<number> {
  return metricValue(metricsUrl, `panelist_slack_platform_events_total{type="${type}",outcome="${outcome}"}`);
}
