import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import pino from 'pino';
import { installQueue } from '../../src/delivery/worker';
import { DEFAULT_CLAIM_BATCH, DEFAULT_CLAIM_DELIVERIES } from '../../src/services/digest-claims';
import { DigestService } from '../../src/services/digests';
import { digestMessageCount } from '../../src/slack/render/digest';
import { createDb, createPool, type Db } from '../../src/store/db';
import { startEmbeddedPostgres } from '../../src/store/embedded-postgres';
import { migrate } from '../../src/store/migrate';
import { QUEUE_SCHEMA } from '../../src/store/queue';
import { pgTransaction, prismaTransaction, type SqlTransaction } from '../../src/store/sql-transaction';
import { seedDigestChannels } from '../../test/support/digest-seed';
import { enableStatementStats } from './probe';
import { freePort, now, percentile, ROOT } from './util';

/**
 * Monday 09:00: 10,000 channels (500 specs, 20 organizations) whose digests fall due at the same
 * minute. Times DigestService.claimDue as the clock runs it, per transaction (from taking the
 * connection to COMMIT), on an embedded PostgreSQL of its own, for several batch sizes, on plain
 * `pg` (the app) and through Prisma (the CLI), and with two and four replicas claiming at once.
 * The machine is shared, so besides wall-clock times it reports what contention inflates less: the
 * CPU this process spent (the replicas' JS and drivers) and PostgreSQL's execution time
 * (pg_stat_statements, all statements of the claim).
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/perf/digest-claims.js [--channels 10000]
 */
const args = process.argv.slice(2);
const CHANNELS = args.includes('--channels') ? Number(args[args.indexOf('--channels') + 1]) : 10_000;
const DUE_AT = new Date('2026-11-23T09:00:00Z');
/** The clock's tick, a few seconds into the minute its digests fall due. */
const TICK = new Date(DUE_AT.getTime() + 2_000);

interface Variant {
  name: string;
  road: 'pg' | 'prisma';
  /** schedules per batch, and deliveries per batch */
  batch: number;
  deliveries: number;
  replicas: number;
}

const SIZES = [
  { batch: 100, deliveries: 250 },
  { batch: DEFAULT_CLAIM_BATCH, deliveries: DEFAULT_CLAIM_DELIVERIES },
  { batch: 500, deliveries: 1500 },
];
const isDefault = (size: { batch: number; deliveries: number }) =>
  size.batch === DEFAULT_CLAIM_BATCH && size.deliveries === DEFAULT_CLAIM_DELIVERIES;
const sizeName = (size: { batch: number; deliveries: number }) => `${size.batch}/${size.deliveries}${isDefault(size) ? '*' : ''}`;

const VARIANTS: Variant[] = [
  ...SIZES.map((size): Variant => ({ name: `pg, ${sizeName(size)}`, road: 'pg', ...size, replicas: 1 })),
  { name: `Prisma, ${sizeName(SIZES[1]!)}`, road: 'prisma', ...SIZES[1]!, replicas: 1 },
  ...SIZES.slice(0, 2).flatMap((size) =>
    [2, 4].map((replicas): Variant => ({ name: `pg, ${sizeName(size)}, ${replicas} replicas`, road: 'pg', ...size, replicas })),
  ),
];

interface Transaction {
  endedAtMs: number;
  ms: number;
  statements: number;
}

/** Wraps a SqlTransaction to time each transaction and count its statements. */
function timed(inner: SqlTransaction, startedAt: number, record: (t: Transaction) => void): SqlTransaction {
  return async (work) => {
    let statements = 0;
    const began = now();
    const result = await inner((sql) =>
      work({
        query: (text, values) => {
          statements += 1;
          return sql.query(text, values);
        },
      }),
    );
    record({ endedAtMs: now() - startedAt, ms: now() - began, statements });
    return result;
  };
}

async function runVariant(url: string, admin: Pool, variant: Variant): Promise<string> {
  const replicas = Array.from({ length: variant.replicas }, () => {
    const pool = createPool(url, { max: 4, name: 'bench-claims' });
    return { pool, db: createDb(url, { pool }) };
  });
  try {
    // one claim first, so that each connection's statements are prepared, as in a running app
    for (const replica of replicas) await service(replica, variant, (t) => t).claimDue(new Date(DUE_AT.getTime() - 60_000));
    const transactions: Transaction[] = [];
    await admin.query('SELECT pg_stat_statements_reset()');
    const cpuBefore = process.cpuUsage();
    const startedAt = now();
    const claims = await Promise.all(
      replicas.map((replica) => service(replica, variant, (inner) => timed(inner, startedAt, (t) => transactions.push(t))).claimDue(TICK)),
    );
    const totalMs = now() - startedAt;
    const cpu = process.cpuUsage(cpuBefore);
    const server = await admin.query<{ ms: number }>(
      `SELECT coalesce(sum(total_exec_time), 0)::float8 AS ms FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'`,
    );
    const claimed = claims.reduce((sum, c) => sum + c.length, 0);
    const ms = transactions.map((t) => t.ms);
    const statements = transactions.map((t) => t.statements);
    const firstCommit = Math.min(...transactions.map((t) => t.endedAtMs));
    return [
      variant.name.padEnd(28),
      String(claimed).padStart(7),
      String(transactions.length).padStart(8),
      `${percentile(ms, 50).toFixed(0)} / ${percentile(ms, 99).toFixed(0)} / ${Math.max(...ms).toFixed(0)}`.padStart(16),
      firstCommit.toFixed(0).padStart(12),
      totalMs.toFixed(0).padStart(9),
      ((cpu.user + cpu.system) / 1000).toFixed(0).padStart(8),
      server.rows[0]!.ms.toFixed(0).padStart(10),
      `${Math.min(...statements) + 2}–${Math.max(...statements) + 2}`.padStart(12),
    ].join(' ');
  } finally {
    for (const replica of replicas) await replica.db.$disconnect();
  }
}

function service(replica: { pool: Pool; db: Db }, variant: Variant, wrap: (t: SqlTransaction) => SqlTransaction): DigestService {
  const road = variant.road === 'pg' ? pgTransaction(replica.pool) : prismaTransaction(replica.db);
  return new DigestService(
    replica.db,
    { messagesFor: digestMessageCount, claimBatchSize: variant.batch, claimDeliveries: variant.deliveries },
    wrap(road),
  );
}

/** Puts every schedule back to due, with no digest, delivery or job, then lets autovacuum's work be done. */
async function reset(pool: Pool): Promise<void> {
  await pool.query(`TRUNCATE delivery, digest, ${QUEUE_SCHEMA}._private_jobs`);
  await pool.query(`UPDATE digest_schedule SET next_run_at = $1`, [DUE_AT.toISOString()]);
  await pool.query('VACUUM ANALYZE');
}

async function check(pool: Pool, channels: { target: string | null; specCount: number }[]): Promise<string | undefined> {
  const expected = channels.filter((c) => c.target);
  const parts = expected.reduce((sum, c) => sum + Math.max(1, digestMessageCount(c.specCount)), 0);
  const { rows } = await pool.query<{ digests: number; deliveries: number; jobs: number }>(
    `SELECT (SELECT count(*) FROM digest)::int AS digests, (SELECT count(*) FROM delivery)::int AS deliveries,
            (SELECT count(*) FROM ${QUEUE_SCHEMA}._private_jobs)::int AS jobs`,
  );
  const got = rows[0]!;
  if (got.digests === expected.length && got.deliveries === parts && got.jobs === parts) return undefined;
  return `expected ${expected.length} digests and ${parts} deliveries and jobs, found ${JSON.stringify(got)}`;
}

async function main(): Promise<number> {
  const temp = await mkdtemp(path.join(os.tmpdir(), 'panelist-claims-'));
  await chmod(temp, 0o711); // as root, PostgreSQL runs as the `postgres` user and must reach its data directory
  const pgOptions = { dataDir: path.join(temp, 'pg'), port: await freePort(), logger: pino({ level: 'silent' }) };
  let pg = await startEmbeddedPostgres(pgOptions);
  await enableStatementStats(pg.url, async () => {
    await pg.stop();
    pg = await startEmbeddedPostgres(pgOptions);
  });
  const pool = new Pool({ connectionString: pg.url, max: 2 });
  try {
    await migrate(pg.url, path.join(ROOT, 'prisma/migrations'));
    await installQueue(pg.url);
    const seedStarted = now();
    const channels = await seedDigestChannels(pool, { organizations: 20, specsPerOrganization: 25, channels: CHANNELS, dueAt: DUE_AT });
    const load = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
    console.log(
      `${CHANNELS} channels due at ${DUE_AT.toISOString()} seeded in ${((now() - seedStarted) / 1000).toFixed(1)} s; ${os.cpus().length} cores, load ${load}`,
    );
    console.log('batch = schedules/deliveries per transaction (* = the default); tx = from taking a connection to COMMIT');
    console.log(`${'variant'.padEnd(28)} claimed  batches  tx ms p50/p99/max  first commit  total ms  node CPU  server ms  round trips`);
    let failures = 0;
    for (const variant of VARIANTS) {
      await reset(pool);
      const line = await runVariant(pg.url, pool, variant);
      const wrong = await check(pool, channels);
      console.log(wrong ? `${line}  WRONG: ${wrong}` : line);
      if (wrong) failures += 1;
    }
    return failures === 0 ? 0 : 1;
  } finally {
    await pool.end();
    await pg.stop();
    await rm(temp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
