import { readdirSync, readFileSync } from 'node:fs';
import { Client as PgClient } from 'pg';

/**
 * Where a figure's time went: the app process's CPU (utime + stime from /proc, in ms) and the SQL it
 * ran (pg_stat_statements, loaded by the benchmark's PostgreSQL), per unit of work (an event, a
 * command, a delivery). This is how a missed target is explained: app CPU per unit bounds the rate
 * one Node process can sustain; statements per unit are round trips; SQL ms per unit is the database.
 */
export interface ProbeReport {
  units: number;
  appCpuMsPerUnit: number;
  statementsPerUnit: number;
  sqlMsPerUnit: number;
  top: { calls: number; ms: number; query: string }[];
}

const TICKS_PER_SECOND = 100;

/** A comment the benchmark puts in its own queries that run while a probe counts the app's (a watch sampling the database). */
export const NOT_THE_APP = '/* bench: not the app */';

/**
 * CPU time of a process and everything under it (the app's chart process): its own, its reaped
 * children's (cutime, cstime) and its live descendants'.
 */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    return (ticks * 1000) / TICKS_PER_SECOND + childrenOf(pid).reduce((sum, child) => sum + (cpuMsOf(child) || 0), 0);
  } catch {
    return Number.NaN;
  }
}

/** The live children of a process, from /proc. */
export function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

export class Probe {
  private cpuAtStart = 0;

  constructor(
    private readonly databaseUrl: string,
    private readonly pid: number,
  ) {}

  async start(): Promise<void> {
    await this.query('SELECT pg_stat_statements_reset()');
    this.cpuAtStart = cpuMsOf(this.pid);
  }

  /** Call before the benchmark's own checking queries (they would be counted too). */
  async stop(units: number): Promise<ProbeReport> {
    const cpu = cpuMsOf(this.pid) - this.cpuAtStart;
    const rows = await this.query<{ calls: string; ms: number; query: string }>(
      `SELECT calls::text, total_exec_time AS ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 140) AS query
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND query NOT ILIKE '%pg_stat_statements%' AND query NOT LIKE '%${NOT_THE_APP}%' ORDER BY total_exec_time DESC`,
    );
    const calls = rows.reduce((sum, r) => sum + Number(r.calls), 0);
    const ms = rows.reduce((sum, r) => sum + r.ms, 0);
    const per = (value: number) => (units > 0 ? value / units : Number.NaN);
    return {
      units,
      appCpuMsPerUnit: per(cpu),
      statementsPerUnit: per(calls),
      sqlMsPerUnit: per(ms),
      top: rows.slice(0, 12).map((r) => ({ calls: Number(r.calls), ms: Math.round(r.ms), query: r.query })),
    };
  }

  private async query<T extends object>(sql: string): Promise<T[]> {
    const client = new PgClient({ connectionString: this.databaseUrl, application_name: 'bench-probe' }); // bench-*: not one of the app's connections
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  }
}

export function describe(what: string, p: ProbeReport): string {
  const heaviest = p.top[0];
  const detail = heaviest
    ? `; most SQL time in \`${heaviest.query.slice(0, 90)}…\` (${heaviest.calls} calls, ${(heaviest.ms / Math.max(1, heaviest.calls)).toFixed(1)} ms each)`
    : '';
  return `${what}: app CPU ${p.appCpuMsPerUnit.toFixed(2)} ms, ${p.statementsPerUnit.toFixed(1)} SQL statements, ${p.sqlMsPerUnit.toFixed(2)} ms SQL execution${detail}`;
}

/** pg_stat_statements must be preloaded: set it, restart, create the extension. */
export async function enableStatementStats(url: string, restart: () => Promise<void>): Promise<void> {
  const client = new PgClient({ connectionString: url });
  await client.connect();
  await client.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
  await client.end();
  await restart();
  const again = new PgClient({ connectionString: url });
  await again.connect();
  await again.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await again.end();
}
