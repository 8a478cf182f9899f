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
}

export interface FakeUser {
  id: string;
  name: string;
  is_admin?: boolean;
  is_owner?: boolean;
}

type Handler = (args: Record<string, unknown>) => Record<string, unknown>;

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly responses: { id: string; body: Record<string, unknown> }[] = [];
  readonly users = new Map<string, FakeUser>();
  private readonly handlers = new Map<string, Handler>();
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
        this.calls.push({ method, args: body });
        res.end(JSON.stringify(this.answer(method, body)));
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

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const custom = this.handlers.get(method);
    if (custom) return custom(args);
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', team: 'Acme', url: 'https://acme.slack.com/' };
      case 'users.info': {
        const user = this.users.get(String(args.user));
        return user ? { ok: true, user: { ...user, real_name: user.name, profile: { display_name: user.name } } } : { ok: false, error: 'user_not_found' };
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
