import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/logger';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/store/embedded-postgres';
import { signInterviewBody } from '../../src/webhooks/signature';
import { FakeSlack, type FakeUser } from '../../test/support/fake-slack';
import { interactionBody, postSigned, slashCommandBody, type SignedPost } from '../../test/support/slack-requests';
import { nodeFlagsOfStart } from '../perf/procs';
import { ADMIN, MEMBER, ROOT, SIGNING_SECRET, WEBHOOK_SECRET, freePort, sleep, waitForSpecs } from './support';

export * from './support';

/** The drills' apps serve /metrics on their public port to this bearer (no metrics port: replicas share a host). */
export const METRICS_TOKEN = 'drill-metrics-token-0123456789';

/** Everything a drill started, so the process-wide exit hook can stop it even after a crash. */
const live = new Set<Rig>();
export async function closeAllRigs(): Promise<void> {
  for (const rig of [...live]) await rig.close().catch(() => undefined);
}
export function killAllChildrenNow(): void {
  for (const rig of live) rig.child?.kill('SIGKILL');
}

export interface RigOptions {
  /** names the app's log file */
  name?: string;
  env?: Record<string, string>;
  slack?: FakeSlack;
  /** spec documents seeded at first start instead of the demo spec */
  specs?: { id: string; slug: string }[];
}

/**
 * The real app as a child process, its own embedded PostgreSQL, and the fake Slack in this process.
 * `addReplica` starts more app processes on the same database and fake Slack (each a Rig of its own
 * for its process: port, log, crashes; the database and the fake belong to the first).
 */
export class Rig {
  child?: ChildProcess;
  appPort = 0;
  pg?: EmbeddedDatabase;
  readonly errorLines: string[] = [];
  errorLineCount = 0;
  /** exits we did not ask for (a crash), with the exit code or signal */
  readonly crashes: string[] = [];
  /** every line the app wrote, kept after the drill in $TMPDIR/panelist-drills/ */
  logFile = '';
  /** app processes started by addReplica, stopped by close() */
  readonly replicas: Rig[] = [];
  private expectingExit = false;
  private exited?: Promise<void>;

  private constructor(
    readonly dir: string,
    readonly pgPort: number,
    readonly slack: FakeSlack,
    private readonly env: Record<string, string>,
    /** set on a replica: the rig whose database and fake Slack it shares */
    private readonly primary?: Rig,
  ) {}

  static async start(options: RigOptions = {}): Promise<Rig> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'panelist-drill-'));
    // as root, PostgreSQL runs as a `postgres` user that must reach its data directory in here
    chmodSync(dir, 0o755);
    const slack = await (options.slack ?? new FakeSlack()).start();
    for (const user of [ADMIN, MEMBER]) slack.users.set(user.id, user);
    const env: Record<string, string> = { ...(options.env ?? {}) };
    if (options.specs) {
      const file = path.join(dir, 'specs.json');
      writeFileSync(file, JSON.stringify(options.specs));
      env.DEMO_SPEC_FILE = file;
    } else {
      env.DEMO_SPEC_FILE ??= path.join(ROOT, 'fixtures/payments-platform-spec.json');
    }
    const rig = new Rig(dir, await freePort(), slack, env);
    const logs = path.join(os.tmpdir(), 'panelist-drills');
    mkdirSync(logs, { recursive: true });
    rig.logFile = path.join(logs, `${options.name ?? 'drill'}-app.log`);
    writeFileSync(rig.logFile, '');
    live.add(rig);
    try {
      await rig.startPg();
      await rig.startApp();
      await waitForSpecs(rig.databaseUrl, seededIds(env.DEMO_SPEC_FILE!));
    } catch (error) {
      await rig.close();
      throw error;
    }
    return rig;
  }

  get databaseUrl(): string {
    const pg = (this.primary ?? this).pg;
    if (!pg) throw new Error('PostgreSQL is not running');
    return pg.url;
  }

  /**
   * Another app process (`node dist-bench/src/main.js`, the same flags and environment plus `env`)
   * on this rig's PostgreSQL and fake Slack, on a port of its own; its log is <name>-<suffix>-app.log.
   */
  async addReplica(suffix: string, env: Record<string, string> = {}): Promise<Rig> {
    if (this.primary) throw new Error('add replicas to the first rig');
    const replica = new Rig(this.dir, this.pgPort, this.slack, { ...this.env, ...env }, this);
    replica.logFile = this.logFile.replace(/-app\.log$/, `-${suffix}-app.log`);
    writeFileSync(replica.logFile, '');
    this.replicas.push(replica);
    live.add(replica);
    await replica.startApp();
    return replica;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.appPort}`;
  }

  /** GET /metrics (Prometheus text) with the drills' bearer token. */
  async metrics(): Promise<string> {
    const response = await fetch(`${this.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      signal: AbortSignal.timeout(5_000),
    });
    return response.text();
  }

  async startPg(): Promise<void> {
    this.pg = await startEmbeddedPostgres({ dataDir: path.join(this.dir, 'pg'), port: this.pgPort, logger: createLogger('silent') });
  }

  async stopPg(): Promise<void> {
    const pg = this.pg;
    this.pg = undefined;
    await pg?.stop();
  }

  /** Spawns `node dist-bench/src/main.js` and waits (≤ 60 s) for /healthz. */
  async startApp(): Promise<void> {
    if (this.child) throw new Error('the app is already running');
    // the same port across restarts, as a real deployment keeps its address
    this.appPort ||= await freePort();
    const child = spawn(process.execPath, [...nodeFlagsOfStart(), path.join(ROOT, 'dist-bench/src/main.js')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        PORT: String(this.appPort),
        DATABASE_URL: (this.primary ?? this).pg?.url ?? `postgresql://panelist:panelist@127.0.0.1:${this.pgPort}/panelist`,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: 'xoxb-drill-token',
        SLACK_API_URL: this.slack.apiUrl,
        INTERVIEW_WEBHOOK_SECRET: WEBHOOK_SECRET,
        LOG_LEVEL: 'warn',
        DIGEST_CLOCK: 'false',
        SWEEP_INTERVAL_MS: '2000',
        DELIVERY_RETRY_BASE_MS: '200',
        SLACK_CHANNEL_RATE: '100',
        SLACK_CHANNEL_BURST: '100',
        METRICS_PORT: 'off',
        METRICS_TOKEN,
        ...this.env,
      },
    });
    this.child = child;
    this.expectingExit = false;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (!this.expectingExit) this.crashes.push(`exit ${signal ?? code} at ${new Date().toISOString()}`);
        resolve();
      }),
    );
    void this.exited.then(() => {
      if (this.child === child) this.child = undefined;
    });
    let buffer = '';
    const onData = (chunk: Buffer) => {
      appendFileSync(this.logFile, chunk);
      buffer += chunk.toString('utf8');
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        this.noteLine(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.child !== child) throw new Error(`the app exited during start-up: ${this.errorLines.slice(-3).join(' | ')}`);
      if ((await this.get('/healthz').catch(() => 0)) === 200) return;
      await sleep(100);
    }
    throw new Error('the app did not answer /healthz within 60 s');
  }

  /** Log lines at error (50) or above, or anything that is not JSON (a crash's stack trace). */
  private noteLine(line: string): void {
    if (!line.trim()) return;
    let level = 60;
    try {
      level = (JSON.parse(line) as { level?: number }).level ?? 60;
    } catch {
      /* not JSON: count it */
    }
    if (level < 50) return;
    this.errorLineCount += 1;
    if (this.errorLines.length < 200) this.errorLines.push(line.slice(0, 600));
  }

  /** kill -9: the process gets no chance to finish anything. */
  async killApp(): Promise<void> {
    this.expectingExit = true;
    this.child?.kill('SIGKILL');
    await this.waitExit(10_000);
  }

  async stopApp(): Promise<void> {
    if (!this.child) return;
    this.expectingExit = true;
    this.child.kill('SIGTERM');
    if (!(await this.waitExit(25_000))) {
      this.child?.kill('SIGKILL');
      await this.waitExit(5_000);
    }
  }

  get alive(): boolean {
    return this.child !== undefined;
  }

  private async waitExit(ms: number): Promise<boolean> {
    if (!this.child) return true;
    return Promise.race([this.exited!.then(() => true), sleep(ms).then(() => false)]);
  }

  async close(): Promise<void> {
    live.delete(this);
    for (const replica of this.replicas) await replica.close();
    await this.stopApp().catch(() => undefined);
    // a replica owns its process only; the database, the fake Slack and the directory are the first rig's
    if (this.primary) return;
    await this.slack.stop().catch(() => undefined);
    await this.stopPg().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  async get(route: string): Promise<number> {
    const response = await fetch(`${this.baseUrl}${route}`, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.status;
  }

  /** One signed webhook POST; status 0 = no answer (connection refused or reset, timeout). */
  async webhook(raw: string | Buffer, options: { signature?: string } = {}): Promise<{ status: number; text: string }> {
    const body = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    try {
      const response = await fetch(`${this.baseUrl}/webhooks/interviews`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'interview-signature': options.signature ?? signInterviewBody(WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000)),
        },
        body,
        signal: AbortSignal.timeout(15_000),
      });
      return { status: response.status, text: await response.text() };
    } catch {
      return { status: 0, text: '' };
    }
  }

  /** `/spec <text>` signed as Slack signs it; the ack (the answer may follow by response_url). */
  async spec(
    text: string,
    options: { channelId?: string; user?: FakeUser } = {},
  ): Promise<SignedPost & { responseId: string; triggerId: string }> {
    const responseUrl = this.slack.responseUrl();
    const responseId = responseUrl.split('/').pop()!;
    const triggerId = `trigger-${responseId}`;
    const user = options.user ?? ADMIN;
    const body = slashCommandBody({ text, userId: user.id, userName: user.name, responseUrl, triggerId, channelId: options.channelId });
    const ack = await postSigned(`${this.baseUrl}/slack/events`, SIGNING_SECRET, body);
    return { ...ack, responseId, triggerId };
  }

  interact(payload: Record<string, unknown>): Promise<SignedPost> {
    return postSigned(`${this.baseUrl}/slack/events`, SIGNING_SECRET, interactionBody(payload));
  }

  /** The text of a command's response_url answer (≤ 15 s). */
  async reply(responseId: string): Promise<string> {
    const response = await this.slack.waitFor(() => this.slack.responses.find((r) => r.id === responseId), 15_000);
    return String(response.body.text ?? '');
  }

  /** `/spec subscribe <scope>` in each channel, checked by its answer. */
  async subscribe(channels: string[], scope: string): Promise<void> {
    for (const channelId of channels) {
      const ack = await this.spec(`subscribe ${scope}`, { channelId });
      const text = await this.reply(ack.responseId);
      if (!text.includes('now follows')) throw new Error(`subscribing ${channelId} to ${scope} failed: ${ack.status} ${text}`);
    }
  }
}

/** The ids of the spec documents in the file the app seeds (one document or an array of them). */
function seededIds(file: string): string[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { id: string } | { id: string }[];
  return (Array.isArray(parsed) ? parsed : [parsed]).map((doc) => doc.id);
}
