import { createHmac } from 'node:crypto';

/** Signs a body exactly as Slack does: v0=hex(HMAC-SHA256(secret, "v0:<ts>:<body>")). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPost {
  status: number;
  text: string;
  json(): unknown;
}

export async function postSigned(
  url: string,
  secret: string,
  body: string,
  options: { timestamp?: number; signature?: string } = {},
): Promise<SignedPost> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(secret, timestamp, body),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, json: () => (text ? JSON.parse(text) : undefined) };
}

export function slashCommandBody(fields: {
  text: string;
  userId: string;
  userName?: string;
  teamId?: string;
  channelId?: string;
  responseUrl: string;
  triggerId?: string;
}): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: fields.teamId ?? 'T1',
    team_domain: 'acme',
    channel_id: fields.channelId ?? 'C1',
    channel_name: 'hiring',
    user_id: fields.userId,
    user_name: fields.userName ?? fields.userId.toLowerCase(),
    command: '/spec',
    text: fields.text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId ?? `trigger-${Date.now()}`,
  }).toString();
}

export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
