import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseJson } from '../../test/support/fake-slack';
import { ChannelLimit, retryAfterSeconds } from './channel-limit';
import { now } from './util';

/**
 * The benchmark's Slack: test/support/fake-slack.ts's answers, plus what a benchmark needs and the
 * test fake lacks: a timestamp on every arrival, Slack's per-channel limit enforced (token bucket;
 * 429 with Retry-After when over), and small records (a few fields per message) so 10k+ posts cost
 * little. It also receives the response_url posts of slash commands at /response/<id>. An optional
 * per-call latency (every Web API call is answered that long after it arrived) stands for the
 * platform's own response time, so that "what the platform allows at N calls in flight" is a number.
 */
export interface PostRecord {
  at: number;
  channel: string;
  deliveryId?: string;
  /** the benchmark's interview id, found in the message (its "Interview `…`" context line) */
  interviewId?: string;
  /** when its answer was written (after the sink's latency, if any); set a little after `at` */
  answeredAt?: number;
}

export interface LimitRecord {
  at: number;
  channel: string;
  /** how far short of a whole token the bucket was, in ms at the refill rate: how early the call came */
  earlyMs: number;
  /** which message of the channel this would have been (1-based, counting those let through) */
  nth: number;
}

export interface ResponseRecord {
  at: number;
  text: string;
}

/** The interview ids the benchmark makes: ivb<figure>n<number>. */
export const INTERVIEW_ID = /ivb\dn\d+/;

export class SlackSink {
  readonly posts: PostRecord[] = [];
  readonly limited: LimitRecord[] = [];
  readonly responses = new Map<string, ResponseRecord>();
  readonly calls = new Map<string, number>();
  /** the first weekly digest posted (its text and blocks as sent), for the Monday figure's anchor */
  digestSample?: { text: string; blocks: unknown };
  private readonly limiter: ChannelLimit;
  private readonly history = new Map<string, { ts: string; deliveryId?: string }[]>();
  private readonly waiters = new Map<string, (response: ResponseRecord) => void>();
  private server?: http.Server;
  private clock = 1_700_000_000;

  constructor(private readonly limit: { ratePerSecond: number; burst: number; latencyMs?: number }) {
    this.limiter = new ChannelLimit(limit);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}/response/${id}`;
  }

  /** The response_url answer for `id`, when it comes (rejects after `timeoutMs`). */
  responseFor(id: string, timeoutMs: number): Promise<ResponseRecord> {
    const done = this.responses.get(id);
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        reject(new Error(`no response_url answer for ${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(id, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
    });
  }

  /** chat.postMessage calls (answered or refused) to channels matching `prefix`. */
  postCalls(prefix = ''): { ok: number; limited: number } {
    const ok = this.posts.filter((p) => p.channel.startsWith(prefix)).length;
    const limited = this.limited.filter((l) => l.channel.startsWith(prefix)).length;
    return { ok, limited };
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const at = now();
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '';
        res.setHeader('content-type', 'application/json');
        if (path.startsWith('/response/')) {
          const body = parseBody(raw, req.headers['content-type'] ?? '');
          const id = path.slice('/response/'.length);
          const response = { at, text: String(body.text ?? '').slice(0, 300) };
          this.responses.set(id, response);
          this.waiters.get(id)?.(response);
          this.waiters.delete(id);
          res.end('{"ok":true}');
          return;
        }
        const method = path.replace(/^\/api\//, '').split('?')[0]!;
        this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
        const body = parseBody(raw, req.headers['content-type'] ?? '');
        // Slack decides (limit, message) when the call arrives and answers after its latency.
        let answer: string;
        let posted: PostRecord | undefined;
        const retryAfter = method === 'chat.postMessage' || method === 'chat.update' ? this.take(String(body.channel), at) : undefined;
        if (retryAfter !== undefined) {
          res.statusCode = 429;
          res.setHeader('retry-after', String(retryAfter));
          answer = '{"ok":false,"error":"ratelimited"}';
        } else {
          const postsBefore = this.posts.length;
          answer = JSON.stringify(this.answer(method, body, at));
          posted = this.posts.length > postsBefore ? this.posts.at(-1) : undefined;
        }
        const send = () => {
          if (posted) posted.answeredAt = now();
          res.end(answer);
        };
        if (this.limit.latencyMs) setTimeout(send, this.limit.latencyMs);
        else send();
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Slack's limit (see ChannelLimit). Returns Retry-After seconds when over, and records the refusal. */
  private take(channel: string, at: number): number | undefined {
    const earlyMs = this.limiter.take(channel, at);
    if (earlyMs === undefined) return undefined;
    this.limited.push({ at, channel, earlyMs, nth: (this.history.get(channel)?.length ?? 0) + 1 });
    return retryAfterSeconds(earlyMs);
  }

  private answer(method: string, args: Record<string, unknown>, at: number): Record<string, unknown> {
    switch (method) {
      case 'chat.postMessage': {
        const channel = String(args.channel);
        this.clock += 1;
        const ts = `${this.clock}.000100`;
        const metadata = parseJson(args.metadata) as { event_payload?: { delivery_id?: string } } | undefined;
        const deliveryId = metadata?.event_payload?.delivery_id;
        const blocks = typeof args.blocks === 'string' ? args.blocks : JSON.stringify(args.blocks ?? '');
        const interviewId = INTERVIEW_ID.exec(blocks)?.[0];
        this.posts.push({ at, channel, deliveryId, interviewId });
        if (!this.digestSample && String(args.text ?? '').startsWith('Weekly digest')) {
          this.digestSample = { text: String(args.text), blocks: parseJson(blocks) };
        }
        const list = this.history.get(channel) ?? [];
        list.push({ ts, deliveryId });
        this.history.set(channel, list);
        return { ok: true, channel, ts };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'conversations.history': {
        const messages = [...(this.history.get(String(args.channel)) ?? [])].reverse().map((m) => ({
          type: 'message',
          ts: m.ts,
          metadata: { event_type: 'panelist_delivery', event_payload: { delivery_id: m.deliveryId } },
        }));
        return { ok: true, messages, has_more: false };
      }
      case 'conversations.info':
        return { ok: true, channel: { id: args.channel, is_member: true } };
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', team: 'Bench', url: 'https://bench.slack.com/' };
      case 'users.info': {
        const id = String(args.user);
        return { ok: true, user: { id, name: id.toLowerCase(), real_name: id, is_admin: true, tz: 'UTC', profile: { display_name: id } } };
      }
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
