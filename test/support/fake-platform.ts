import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the interview platform's endpoint that receives spec versions, on 127.0.0.1: the
 * app reaches it through PLATFORM_WEBHOOK_URL. It records every POST (headers, the raw body, when
 * it arrived, what it was answered) and answers 200 unless a test scripted otherwise: a status
 * (429 with Retry-After, 500, 400, a redirect), or a delay before answering.
 */
export interface PlatformAnswer {
  status: number;
  /** the Retry-After header, as sent */
  retryAfter?: string;
  /** the Location header of a redirect */
  location?: string;
  /** wait this long before answering (longer than PLATFORM_WEBHOOK_TIMEOUT_MS: the app gives up) */
  delayMs?: number;
  body?: string;
}

export interface PlatformRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** the body exactly as received: what the signature covers */
  raw: string;
  /** the raw body parsed (undefined when it is not JSON) */
  event: PublishedEvent | undefined;
  /** Date.now() when the request had arrived in full */
  at: number;
  /** the status it was answered with */
  status: number;
}

/** The fields a test reads from a spec.version.published body. */
export interface PublishedEvent {
  id: string;
  type: string;
  occurred_at: string;
  data: {
    spec: { id: string; slug: string; version: string } & Record<string, unknown>;
    version: { number: number } & Record<string, unknown>;
  };
}

export class FakePlatform {
  readonly requests: PlatformRequest[] = [];
  /** called as each request arrives (the benchmark times them) */
  onRequest?: (request: PlatformRequest) => void;
  private readonly script: PlatformAnswer[] = [];
  private server?: http.Server;
  private readonly sockets = new Set<import('node:net').Socket>();

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/webhooks/panelist`;
  }

  /** The next POSTs are answered these ways, one each, in order; then 200 again. */
  answer(...answers: PlatformAnswer[]): void {
    this.script.push(...answers);
  }

  /** The requests answered 2xx: what the platform took. */
  acknowledged(): PlatformRequest[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300);
  }

  /** Requests for one spec (its id), in the order they arrived. */
  forSpec(specId: string): PlatformRequest[] {
    return this.requests.filter((r) => r.event?.data.spec.id === specId);
  }

  /** Polls `find` until it returns something (a recorded request); fails after `timeoutMs`. */
  async waitFor<T>(find: () => T | undefined, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`the platform did not receive what was waited for within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.receive(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    // keep-alive connections (and answers still delayed) would hold close() open
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private receive(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const scripted = this.script.shift() ?? { status: 200, body: '{"status":"ok"}' };
    const request: PlatformRequest = {
      path: req.url ?? '',
      headers: req.headers,
      raw,
      event: parse(raw),
      at: Date.now(),
      status: scripted.status,
    };
    this.requests.push(request);
    this.onRequest?.(request);
    const send = () => {
      if (res.destroyed) return;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (scripted.retryAfter !== undefined) headers['retry-after'] = scripted.retryAfter;
      if (scripted.location !== undefined) headers.location = scripted.location;
      res.writeHead(scripted.status, headers).end(scripted.body ?? '');
    };
    if (scripted.delayMs) setTimeout(send, scripted.delayMs);
    else send();
  }
}

function parse(raw: string): PublishedEvent | undefined {
  try {
    return JSON.parse(raw) as PublishedEvent;
  } catch {
    return undefined;
  }
}

/** The secret the tests' apps sign spec versions with (16+ characters, as the config demands). */
export const PLATFORM_SECRET = 'platform-test-secret-0123456789';

/** The variables that make an app publish to `platform`. */
export function publishingEnv(platform: FakePlatform, extra: Record<string, string> = {}): Record<string, string> {
  return { PLATFORM_WEBHOOK_URL: platform.url, PLATFORM_WEBHOOK_SECRET: PLATFORM_SECRET, ...extra };
}
