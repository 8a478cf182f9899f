import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for Slack's Web API on 127.0.0.1: the app reaches it through SLACK_API_URL.
 * It records every call, answers like Slack does, and lets a test script answers per method.
 * It also receives response_url posts at /response/<id>.
 */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  /** the request's headers (lower-case names), e.g. `authorization: Bearer xoxb-…` */
  headers: http.IncomingHttpHeaders;
}

export interface FakeUser {
  id: string;
  name: string;
  is_admin?: boolean;
  is_owner?: boolean;
}

type Handler = (args: Record<string, unknown>) => Record<string, unknown>;

/** A scripted misbehaviour for one call: an HTTP status (429 with Retry-After, 500), a delay, or a
 * dropped connection after the call took effect (the post landed; the app never hears so). */
export type Fault =
  | { kind: 'status'; status: number; retryAfter?: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'drop' }
  | { kind: 'error'; error: string };

export interface PostedMessage {
  ts: string;
  channel: string;
  text: string;
  blocks?: unknown;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  updates: number;
  /** Date.now() when the post arrived */
  at: number;
}

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly responses: { id: string; body: Record<string, unknown> }[] = [];
  readonly users = new Map<string, FakeUser>();
  private readonly handlers = new Map<string, Handler>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly channelFaults = new Map<string, Fault[]>();
  /** channel → messages posted there (what a person in the channel would see) */
  readonly messages = new Map<string, PostedMessage[]>();
  /** channels the bot is not in: posting there answers not_in_channel */
  readonly notInChannel = new Set<string>();
  /**
   * Every picture an image block pointed at, fetched as Slack fetches it when it takes the message
   * (a message whose picture cannot be fetched is refused: invalid_blocks, "downloading image failed").
   */
  readonly imageFetches: { url: string; status: number; contentType: string; bytes: Buffer }[] = [];
  /** How many of the next messages with pictures are refused as if Slack could not download them. */
  refuseImages = 0;
  /** Decides at call time whether a call misbehaves (e.g. a per-channel rate limit); scripted faults come first. */
  gate?: (method: string, args: Record<string, unknown>) => Fault | undefined;
  private clock = 1_700_000_000;
  private server?: http.Server;
  private nextId = 1;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** What SLACK_API_URL is set to (the WebClient appends the method name). */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(): string {
    return `${this.url}/response/${this.nextId++}`;
  }

  on(method: string, handler: Handler): void {
    this.handlers.set(method, handler);
  }

  /** The next calls of `method` misbehave, one fault per call, in order. */
  fail(method: string, ...faults: Fault[]): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), ...faults]);
  }

  /** The same, only for calls about one channel (so concurrent tests do not take each other's faults). */
  failIn(channel: string, method: string, ...faults: Fault[]): void {
    const key = `${method} ${channel}`;
    this.channelFaults.set(key, [...(this.channelFaults.get(key) ?? []), ...faults]);
  }

  /** Every message in a channel, or in all channels. */
  posted(channel?: string): PostedMessage[] {
    if (channel) return this.messages.get(channel) ?? [];
    return [...this.messages.values()].flat();
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const body = parseBody(raw, req.headers['content-type'] ?? '');
        const path = req.url ?? '';
        res.setHeader('content-type', 'application/json');
        if (path.startsWith('/response/')) {
          this.responses.push({ id: path.slice('/response/'.length), body });
          res.end('{"ok":true}');
          return;
        }
        const method = path.replace(/^\/api\//, '').split('?')[0]!;
        this.calls.push({ method, args: body, headers: req.headers });
        const fault =
          this.channelFaults.get(`${method} ${String(body.channel)}`)?.shift() ??
          this.faults.get(method)?.shift() ??
          this.gate?.(method, body);
        void this.respond(res, method, body, fault);
      });
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

  /** Resolves when `predicate` holds, polling; fails the test after `timeoutMs`. */
  async waitFor<T>(predicate: () => T | undefined, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      if (Date.now() > deadline) throw new Error('timed out waiting for the fake Slack');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private async respond(res: http.ServerResponse, method: string, body: Record<string, unknown>, fault?: Fault): Promise<void> {
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === 'status') {
      if (fault.retryAfter !== undefined) res.setHeader('retry-after', String(fault.retryAfter));
      res.statusCode = fault.status;
      res.end(fault.status === 429 ? '{"ok":false,"error":"ratelimited"}' : 'upstream error');
      return;
    }
    if (fault?.kind === 'error') {
      res.end(JSON.stringify({ ok: false, error: fault.error }));
      return;
    }
    const refusal = method === 'chat.postMessage' || method === 'chat.update' ? await this.fetchImages(body) : undefined;
    if (refusal) {
      res.end(JSON.stringify(refusal));
      return;
    }
    const answer = this.answer(method, body);
    if (fault?.kind === 'drop') {
      res.socket?.destroy();
      return;
    }
    res.end(JSON.stringify(answer));
  }

  private async fetchImages(args: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
    const blocks = (parseJson(args.blocks) as { type?: string; image_url?: string }[] | undefined) ?? [];
    const images = blocks.flatMap((block, index) => (block.type === 'image' && block.image_url ? [{ url: block.image_url, index }] : []));
    if (images.length === 0) return undefined;
    const refused = (index: number) => ({
      ok: false,
      error: 'invalid_blocks',
      errors: [`downloading image failed [json-pointer:/blocks/${index}/image_url]`],
    });
    if (this.refuseImages > 0) {
      this.refuseImages -= 1;
      return refused(images[0]!.index);
    }
    for (const { url, index } of images) {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
      const bytes = response ? Buffer.from(await response.arrayBuffer()) : Buffer.alloc(0);
      const contentType = response?.headers.get('content-type') ?? '';
      this.imageFetches.push({ url, status: response?.status ?? 0, contentType, bytes });
      if (response?.status !== 200 || !contentType.startsWith('image/')) return refused(index);
    }
    return undefined;
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const custom = this.handlers.get(method);
    if (custom) return custom(args);
    switch (method) {
      case 'chat.postMessage': {
        const channel = String(args.channel);
        if (this.notInChannel.has(channel)) return { ok: false, error: 'not_in_channel' };
        this.clock += 1;
        const ts = `${this.clock}.000100`;
        const list = this.messages.get(channel) ?? [];
        list.push({
          ts,
          channel,
          text: String(args.text ?? ''),
          blocks: parseJson(args.blocks),
          metadata: parseJson(args.metadata) as PostedMessage['metadata'],
          updates: 0,
          at: Date.now(),
        });
        this.messages.set(channel, list);
        return { ok: true, channel, ts };
      }
      case 'chat.update': {
        const message = this.posted(String(args.channel)).find((m) => m.ts === args.ts);
        if (!message) return { ok: false, error: 'message_not_found' };
        Object.assign(message, { text: String(args.text ?? ''), blocks: parseJson(args.blocks), updates: message.updates + 1 });
        return { ok: true, channel: args.channel, ts: args.ts };
      }
      case 'conversations.history': {
        const messages = [...this.posted(String(args.channel))].reverse().map((m) => ({
          type: 'message',
          ts: m.ts,
          text: m.text,
          ...(args.include_all_metadata === 'true' || args.include_all_metadata === true ? { metadata: m.metadata } : {}),
        }));
        return { ok: true, messages, has_more: false };
      }
      case 'conversations.info': {
        const channel = String(args.channel);
        return { ok: true, channel: { id: channel, is_member: !this.notInChannel.has(channel) } };
      }
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', team: 'Acme', url: 'https://acme.slack.com/' };
      case 'users.info': {
        const user = this.users.get(String(args.user));
        return user
          ? { ok: true, user: { ...user, real_name: user.name, profile: { display_name: user.name } } }
          : { ok: false, error: 'user_not_found' };
      }
      case 'views.open':
      case 'views.update':
        return { ok: true, view: { id: 'V1', hash: 'h1', ...(parseJson(args.view) as object) } };
      default:
        return { ok: true };
    }
  }
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(raw));
}

export function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
