import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGraph, type ListedActivity } from './fake-graph';

/**
 * Microsoft's side of Teams on 127.0.0.1, for tests: the Bot Connector (activities, roster), the
 * login endpoint (client-credentials tokens) and a Bot Framework OpenID issuer (metadata + JWKS)
 * whose key pair is generated here, so tests can sign inbound requests exactly as Teams does.
 */
export interface SentActivity extends ListedActivity {
  updates: number;
  authorization?: string;
}

export interface FakeMember {
  id: string;
  aadObjectId: string;
  name: string;
  userRole?: 'owner' | 'user' | 'guest';
}

/**
 * How the next post or update misbehaves. `accepted`: Teams takes the activity, then the answer is
 * lost (`status` 502/504 comes back instead, or with `drop` the connection is cut).
 */
export type ConnectorFault = {
  status: number;
  code?: string;
  retryAfter?: number;
  accepted?: boolean;
  drop?: boolean;
  conversationId?: string;
};

export const BOT_APP_ID = '00000000-0000-0000-0000-00000000b07';
export const TENANT_ID = 'tenant-1';
export const ISSUER = 'https://api.botframework.com';

export class FakeBotConnector {
  readonly activities: SentActivity[] = [];
  readonly members = new Map<string, FakeMember>();
  /** conversations the bot is no longer in: posting answers 403 BotNotInConversationRoster */
  readonly removedFrom = new Set<string>();
  readonly tokenRequests: Record<string, string>[] = [];
  /** Bot Framework team id → Microsoft 365 group id, as `GET /v3/teams/{id}` and Graph know them */
  readonly teamGroups = new Map<string, string>();
  readonly graph = new FakeGraph(
    () => this.activities,
    this.teamGroups,
    BOT_APP_ID,
    () => this.url,
  );
  /** consulted for each post when no queued fault applies (the drills' random faults) */
  chaos?: (conversationId: string) => ConnectorFault | undefined;
  /** requests for a team's details (`GET /v3/teams/{id}`) */
  teamLookups = 0;
  private readonly faults: ConnectorFault[] = [];
  private server?: http.Server;
  private readonly privateKey: KeyObject;
  private readonly jwk: Record<string, unknown>;
  readonly kid = `kid-${randomUUID().slice(0, 8)}`;
  private next = 1;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.jwk = {
      ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>),
      kid: this.kid,
      use: 'sig',
      alg: 'RS256',
      endorsements: ['msteams'],
    };
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }
  get serviceUrl(): string {
    return `${this.url}/teams/`;
  }
  get openIdMetadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }
  get loginEndpoint(): string {
    return `${this.url}/login`;
  }
  get graphUrl(): string {
    return this.url;
  }

  /** The next Connector posts/updates misbehave, one fault each (only in `conversationId` when a fault names one). */
  fail(...faults: ConnectorFault[]): void {
    this.faults.push(...faults);
  }

  in(conversationId: string): SentActivity[] {
    return this.activities.filter((a) => a.conversationId === conversationId);
  }

  /** A Bot Framework token as Teams sends it; claims may be overridden to make it wrong. */
  sign(claims: Record<string, unknown> = {}, options: { kid?: string; key?: KeyObject } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: options.kid ?? this.kid };
    const payload = { iss: ISSUER, aud: BOT_APP_ID, serviceurl: this.serviceUrl, iat: now - 10, nbf: now - 10, exp: now + 3600, ...claims };
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${b64(header)}.${b64(payload)}`;
    const signature = createSign('RSA-SHA256')
      .update(input)
      .sign(options.key ?? this.privateKey)
      .toString('base64url');
    return `${input}.${signature}`;
  }

  async waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      if (Date.now() > deadline) throw new Error('timed out waiting for the fake Bot Connector');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.route(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    const path = decodeURIComponent((req.url ?? '').split('?')[0]!);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (path === '/v1/.well-known/openidconfiguration') {
      return json(200, { issuer: ISSUER, jwks_uri: `${this.url}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    }
    if (path === '/v1/.well-known/keys') return json(200, { keys: [this.jwk] });
    if (this.graph.handle(req, json, raw)) return;
    if (path.startsWith('/login/') && path.endsWith('/oauth2/v2.0/token')) {
      this.tokenRequests.push(Object.fromEntries(new URLSearchParams(raw)));
      // A JWT-shaped token: the SDK decodes what it is given.
      return json(200, { token_type: 'Bearer', expires_in: 3600, access_token: this.sign({ aud: 'https://api.botframework.com' }) });
    }
    const member = /^\/teams\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(path);
    if (member && req.method === 'GET') {
      const found = this.members.get(member[2]!) ?? [...this.members.values()].find((m) => m.aadObjectId === member[2]);
      return found ? json(200, found) : json(404, { error: { code: 'MemberNotFoundInConversation', message: 'not found' } });
    }
    const team = /^\/teams\/v3\/teams\/([^/]+)$/.exec(path);
    if (team && req.method === 'GET') {
      this.teamLookups += 1;
      const group = this.teamGroups.get(team[1]!);
      return group
        ? json(200, { id: team[1], name: 'Hiring', aadGroupId: group })
        : json(404, { error: { code: 'NotFound', message: 'no such team' } });
    }
    const activity = /^\/teams\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (activity) {
      const conversationId = activity[1]!;
      const at = this.faults.findIndex((f) => !f.conversationId || f.conversationId === conversationId);
      const fault = at >= 0 ? this.faults.splice(at, 1)[0] : req.method === 'POST' ? this.chaos?.(conversationId) : undefined;
      if (fault?.accepted && req.method === 'POST' && !activity[2]) {
        const now = new Date();
        this.activities.push({
          id: `act-${this.next++}`,
          conversationId,
          body: JSON.parse(raw || '{}') as Record<string, unknown>,
          updates: 0,
          postedAt: now,
          modifiedAt: now,
        });
      }
      if (fault?.drop) return void req.socket.destroy();
      if (fault)
        return json(
          fault.status,
          { error: { code: fault.code ?? 'Fault', message: 'scripted' } },
          fault.retryAfter ? { 'retry-after': String(fault.retryAfter) } : {},
        );
      if (this.removedFrom.has(conversationId.split(';')[0]!)) {
        return json(403, { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } });
      }
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      const authorization = req.headers.authorization;
      if (req.method === 'POST' && !activity[2]) {
        const id = `act-${this.next++}`;
        this.activities.push({ id, conversationId, body, updates: 0, authorization, postedAt: new Date(), modifiedAt: new Date() });
        return json(201, { id });
      }
      if (req.method === 'PUT' && activity[2]) {
        const existing = this.activities.find((a) => a.id === activity[2]);
        if (!existing) return json(404, { error: { code: 'ActivityNotFound', message: 'no such activity' } });
        existing.body = body;
        existing.updates += 1;
        existing.modifiedAt = new Date();
        return json(200, { id: existing.id });
      }
    }
    json(404, { error: { code: 'NotFound', message: `${req.method} ${path}` } });
  }
}

/** Everything an activity's text says, cards included, as one string to assert on. */
export function activityText(activity: SentActivity | undefined): string {
  return activity ? JSON.stringify(activity.body) : '';
}
