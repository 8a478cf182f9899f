import { Client as PgClient } from 'pg';
import { createDb } from '../../src/store/db';

/**
 * The CPU one trivial statement costs the calling Node process, through the app's Prisma client
 * (src/store/db.ts: Prisma 7, driver adapter over `pg`) and through `pg` alone, measured in the
 * bench process against the same database. Multiplied by the statements per unit of work
 * (pg_stat_statements), it accounts for most of the app's CPU per event, command and delivery.
 */
export async function driverCost(databaseUrl: string): Promise<{ prismaMs: number; pgMs: number }> {
  const cpuMs = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  const perStatement = async (statement: () => Promise<unknown>, n: number) => {
    for (let i = 0; i < 300; i += 1) await statement();
    const before = cpuMs();
    for (let i = 0; i < n; i += 1) await statement();
    return (cpuMs() - before) / n;
  };
  const db = createDb(databaseUrl, { max: 1 });
  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const prismaMs = await perStatement(() => db.$queryRaw`SELECT ${1}::int AS one`, 2_000);
    const pgMs = await perStatement(() => pg.query('SELECT $1::int AS one', [1]), 2_000);
    return { prismaMs, pgMs };
  } finally {
    await pg.end();
    await db.$disconnect();
  }
}
