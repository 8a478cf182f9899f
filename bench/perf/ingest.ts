import { Client as PgClient } from 'pg';
import { x, type BenchContext, type Row } from './context';
import { Client, completedEvent, eventId, interviewId } from './http';
import type { ProbeReport } from './probe';
import { loopMonitor, now, percentile } from './util';

const SENDERS = 8;

export interface IngestResult {
  eventsPerSecond: number;
  accepted: number;
  otherStatuses: Record<string, number>;
  latencyP50: number;
  latencyP99: number;
  anchorBefore: number;
  anchorAfter: number;
  anchor: number;
  storedRows: number;
  distinctIds: number;
  interviews: number;
  duplicates: number;
  missing: number;
  benchLoop: { p99Ms: number; maxMs: number };
  probe: ProbeReport;
}

/**
 * Figure 1: signed interview.completed events (distinct ids, no channel follows the spec yet, so
 * ingest alone is measured) from 8 closed-loop senders over keep-alive HTTP, against single-row
 * INSERT commits/s by 8 `pg` clients into a throwaway table of the same database, measured before
 * and after (their mean is the anchor, so drift during the run shows).
 */
export async function ingestFigure(ctx: BenchContext): Promise<{ rows: Row[]; result: IngestResult }> {
  const seconds = ctx.quick ? 4 : 10;
  const anchorSeconds = ctx.quick ? 3 : 5;
  const sample = completedEvent({ eventId: eventId(0, 0), interviewId: interviewId(0, 0) });
  ctx.log(`figure 1: pg INSERT anchor (${SENDERS} clients, ${anchorSeconds} s)`);
  const anchorBefore = await insertCommitsPerSecond(ctx.databaseUrl, anchorSeconds, sample, 'a');
  ctx.log(`figure 1: webhook ingest (${SENDERS} senders, ${seconds} s)`);
  const monitor = loopMonitor();
  await ctx.probe.start();
  const client = new Client(ctx.appUrl, SENDERS);
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let next = 0;
  const start = now();
  const deadline = start + seconds * 1000;
  let accepted = 0;
  let end = start;
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (now() < deadline) {
        const n = next++;
        const sent = now();
        const answer = await client.webhook(completedEvent({ eventId: eventId(1, n), interviewId: interviewId(1, n) }));
        latencies.push(answer.at - sent);
        const key = String(answer.status);
        statuses[key] = (statuses[key] ?? 0) + 1;
        if (answer.status === 202) accepted += 1;
        end = Math.max(end, answer.at);
      }
    }),
  );
  client.close();
  const probe = await ctx.probe.stop(accepted);
  const benchLoop = monitor.stop();
  const eventsPerSecond = accepted / ((end - start) / 1000);
  ctx.log(`figure 1: pg INSERT anchor again (${anchorSeconds} s)`);
  const anchorAfter = await insertCommitsPerSecond(ctx.databaseUrl, anchorSeconds, sample, 'b');
  const anchor = (anchorBefore + anchorAfter) / 2;

  const db = new PgClient({ connectionString: ctx.databaseUrl });
  await db.connect();
  const stored = await db.query<{ rows: number; ids: number }>(
    `SELECT count(*)::int AS rows, count(DISTINCT id)::int AS ids FROM interview_event WHERE id LIKE 'evt-b1-%'`,
  );
  const interviews = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM interview WHERE id LIKE 'ivb1n%'`);
  await db.end();
  const storedRows = stored.rows[0]!.rows;
  const distinctIds = stored.rows[0]!.ids;
  const result: IngestResult = {
    eventsPerSecond,
    accepted,
    otherStatuses: Object.fromEntries(Object.entries(statuses).filter(([status]) => status !== '202')),
    latencyP50: percentile(latencies, 50),
    latencyP99: percentile(latencies, 99),
    anchorBefore,
    anchorAfter,
    anchor,
    storedRows,
    distinctIds,
    interviews: interviews.rows[0]!.n,
    duplicates: storedRows - distinctIds + Math.max(0, interviews.rows[0]!.n - accepted),
    missing: Math.max(0, accepted - storedRows),
    benchLoop,
    probe,
  };
  const ratio = eventsPerSecond / anchor;
  const clean = result.duplicates === 0 && result.missing === 0 && Object.keys(result.otherStatuses).length === 0;
  return {
    result,
    rows: [
      {
        key: 'ingest',
        figure: `1. webhook ingest, ${SENDERS} senders (${accepted} events)`,
        value: `${eventsPerSecond.toFixed(0)} ev/s`,
        anchor: `${anchor.toFixed(0)} INSERT/s`,
        ratio: x(ratio),
        target: '≥ 0.40×',
        pass: ratio >= 0.4,
      },
      {
        key: 'ingest-dup',
        figure: '1. ingest duplicates / missing / non-202',
        value: `${result.duplicates} / ${result.missing} / ${Object.values(result.otherStatuses).reduce((a, b) => a + b, 0)}`,
        anchor: `${storedRows} rows, ${distinctIds} ids`,
        ratio: '–',
        target: '0 / 0 / 0',
        pass: clean,
      },
    ],
  };
}

/** Single-row INSERT commits per second from 8 `pg` clients (autocommit), same database. */
async function insertCommitsPerSecond(databaseUrl: string, seconds: number, body: string, tag: string): Promise<number> {
  const admin = new PgClient({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(
    'CREATE TABLE IF NOT EXISTS bench_insert_anchor (id text PRIMARY KEY, body jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())',
  );
  const clients = await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      const client = new PgClient({ connectionString: databaseUrl });
      await client.connect();
      return client;
    }),
  );
  let commits = 0;
  const start = now();
  const deadline = start + seconds * 1000;
  let end = start;
  try {
    await Promise.all(
      clients.map(async (client, c) => {
        for (let i = 0; now() < deadline; i += 1) {
          await client.query('INSERT INTO bench_insert_anchor (id, body) VALUES ($1, $2)', [`${tag}-${c}-${i}`, body]);
          commits += 1;
          end = Math.max(end, now());
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((client) => client.end()));
    await admin.query('DROP TABLE IF EXISTS bench_insert_anchor');
    await admin.end();
  }
  return commits / ((end - start) / 1000);
}
