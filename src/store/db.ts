import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { Prisma, PrismaClient } from './generated/prisma/client';

export { Prisma, PrismaClient };
export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Prisma.TransactionClient;

/**
 * The process's connections: one `pg` pool, shared by Prisma and the code that talks `pg` directly
 * (the webhook ingest). Acquiring waits at most 5 s, then fails (the webhook answers 503).
 */
export function createPool(databaseUrl: string, options: { max?: number; name?: string } = {}): Pool {
  const pool = new Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    // pg_stat_activity tells the app's connections from the queue's
    application_name: options.name ?? 'panelist',
  });
  // An idle connection whose server went away emits 'error' on the pool; unheard, it would crash
  // the process. The pool drops that connection by itself; the next query opens a new one.
  pool.on('error', () => undefined);
  // The same for a checked-out connection: its query fails anyway, and the caller sees that.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Prisma over `options.pool` (which $disconnect then ends), or over a pool of its own. */
export function createDb(databaseUrl: string, options: { max?: number; name?: string; pool?: Pool } = {}): Db {
  const adapter = new PrismaPg(options.pool ?? createPool(databaseUrl, options), { disposeExternalPool: true });
  return new PrismaClient({ adapter });
}

/** True when the database answers a trivial query within the timeout (readiness). */
export async function isDatabaseReachable(db: Db | Pool, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ping = db instanceof Pool ? db.query('SELECT 1') : db.$queryRaw`SELECT 1`;
  try {
    return await Promise.race([ping.then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Postgres error codes the services turn into user-facing answers. */
export function isUniqueViolation(error: unknown): boolean {
  return (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') || hasPgCode(error, '23505');
}

function hasPgCode(error: unknown, code: string): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    const candidate = current as { code?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    if (candidate.code === code) return true;
    current = candidate.cause ?? candidate.meta?.driverAdapterError;
  }
  return false;
}
