import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { DEMO_SLUG } from './channels';
import { BOT_TOKEN, SIGNING_SECRET, WEBHOOK_SECRET } from './http';
import { ROOT, sleep, waitUntil } from './util';

/** A child process the benchmark started, stopped only by its own pid. */
export interface Child {
  name: string;
  process: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

/** The Node flags `npm start` runs the app with (its heap cap), so measurements see what users run. */
export function nodeFlagsOfStart(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const command = pkg.scripts.start.split('&&').pop()!.trim().split(/\s+/);
  return command.slice(1).filter((arg) => arg.startsWith('--'));
}

/** The app as it is deployed: `node dist/main.js`, rebuilt from src/ first as `npm run build` does. */
export function buildDist(): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`building dist/ failed:\n${result.stdout}${result.stderr}`);
}

/**
 * `env`: a figure's own settings over the benchmark's defaults (e.g. DIGEST_CLOCK=true); BENCH_APP_*
 * overrides still win, so an experiment applies to every app the benchmark starts. `name` names
 * the child and its log file.
 */
/** the bearer token the benchmark's apps accept on GET /metrics */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token';

export async function startApp(options: {
  port: number;
  databaseUrl: string;
  slackApiUrl: string;
  logDir: string;
  env?: Record<string, string>;
  name?: string;
}): Promise<Child> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    PORT: String(options.port),
    DATABASE_URL: options.databaseUrl,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: options.slackApiUrl,
    INTERVIEW_WEBHOOK_SECRET: WEBHOOK_SECRET,
    LOG_LEVEL: 'warn',
    DIGEST_CLOCK: 'false',
    SLACK_CHANNEL_RATE: '1',
    SLACK_CHANNEL_BURST: '3',
    DEMO_SPEC_FILE: path.join(ROOT, 'fixtures/payments-platform-spec.json'),
    // several apps may share this host: no metrics port; figure 10 reads the app's event-loop delay through the public port
    METRICS_PORT: 'off',
    METRICS_TOKEN: BENCH_METRICS_TOKEN,
    ...options.env,
    ...appEnvOverrides(),
  };
  // BENCH_APP_NODE_FLAGS: extra node flags for the app, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (NODE_OPTIONS refuses those)
  const extra = (process.env.BENCH_APP_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawnChild(options.name ?? 'app', [...nodeFlagsOfStart(), ...extra, path.join(ROOT, 'dist/main.js')], env, options.logDir);
  await waitUntil(
    'the app to answer /readyz',
    90_000,
    async () => {
      if (child.process.exitCode !== null)
        throw new Error(`the app exited (${child.process.exitCode}); its log: ${child.logFile}\n${tail(child.logFile)}`);
      return (await getStatus(`http://127.0.0.1:${options.port}/readyz`)) === 200 || undefined;
    },
    200,
  );
  // An app may bind its port before it seeds the demo spec (and the default organization with it); the figures need both.
  await waitUntil('the app to seed the demo spec', 60_000, () => specExists(options.databaseUrl, DEMO_SLUG), 200);
  return child;
}

async function specExists(databaseUrl: string, slug: string): Promise<true | undefined> {
  const client = new PgClient({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM spec WHERE slug = $1', [slug])).rowCount === 1 || undefined;
  } finally {
    await client.end();
  }
}

/** The anchor for /spec show: Bolt's ExpressReceiver, same signing secret, a /spec that only acks. */
export async function startBareBolt(options: { port: number; slackApiUrl: string; logDir: string }): Promise<Child> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    PORT: String(options.port),
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: options.slackApiUrl,
  };
  const child = spawnChild('bare-bolt', [path.join(__dirname, 'bare-bolt.js')], env, options.logDir);
  await waitUntil(
    'the bare Bolt app to listen',
    30_000,
    async () => {
      if (child.process.exitCode !== null) throw new Error(`the bare Bolt app exited; its log: ${child.logFile}\n${tail(child.logFile)}`);
      return (await getStatus(`http://127.0.0.1:${options.port}/slack/events`)) > 0 || undefined;
    },
    100,
  );
  return child;
}

/**
 * BENCH_APP_<NAME>=<value> in the benchmark's environment sets <NAME> for the app, for experiments
 * with its settings (e.g. BENCH_APP_DELIVERY_CONCURRENCY=100); the table notes any that were set.
 */
export function appEnvOverrides(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env)
      .filter(([key, value]) => key.startsWith('BENCH_APP_') && value !== undefined)
      .map(([key, value]) => [key.slice('BENCH_APP_'.length), value!]),
  );
}

function spawnChild(name: string, args: string[], env: Record<string, string>, logDir: string): Child {
  const logFile = path.join(logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let stopping: Promise<void> | undefined;
  return {
    name,
    process: child,
    logFile,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const gone = await Promise.race([exited.then(() => true), sleep(25_000).then(() => false)]);
        if (!gone) {
          child.kill('SIGKILL');
          await Promise.race([exited, sleep(5_000)]);
        }
      })();
      return stopping;
    },
  };
}

function getStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.setTimeout(2_000, () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** VmHWM (peak resident set) and VmRSS of a process, in MiB, from /proc. */
export function memoryOf(pid: number): { peakMiB: number; rssMiB: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { peakMiB: kb('VmHWM') / 1024, rssMiB: kb('VmRSS') / 1024 };
  } catch {
    return undefined;
  }
}

/**
 * The resident pages of `pid` mapped from files that `other` maps too (node's binary, libc): a
 * second node process's peak counts them again, though the machine holds them once.
 */
export function sharedFileMiB(pid: number, other: number): number {
  try {
    const paths = new Set(
      readFileSync(`/proc/${other}/maps`, 'utf8')
        .split('\n')
        .map((line) => line.split(/\s+/)[5])
        .filter((file): file is string => file?.startsWith('/') ?? false),
    );
    let kb = 0;
    let mapped: string | undefined;
    for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
      if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) mapped = line.split(/\s+/)[5];
      else if (line.startsWith('Rss:') && mapped && paths.has(mapped)) kb += Number(/(\d+)/.exec(line)?.[1] ?? 0);
    }
    return kb / 1024;
  } catch {
    return 0;
  }
}

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  postgres: string;
  loadAtStart: number[];
}

export async function machine(databaseUrl: string): Promise<Machine> {
  const client = new PgClient({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  await client.end();
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    postgres: rows[0]?.v ?? 'unknown',
    loadAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
