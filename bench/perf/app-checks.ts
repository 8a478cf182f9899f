import { readFileSync } from 'node:fs';
import { Client as PgClient } from 'pg';
import type { BenchContext, Row } from './context';
import { ROLLUP_MISMATCHES } from './digest-sql';
import { memoryOf, type Child } from './procs';

/**
 * Figure 6, the app's peak resident memory over the whole run (VmHWM of `node dist/main.js`), plus
 * two checks on what the run left behind: the digest generator's rollup SQL recounts exactly the
 * totals the real ingest's rollups hold per bucket (so figure 5's data is what ingest would have
 * written; per bucket, not per shard, since the app folds closed buckets' shards), and how many
 * warnings and errors the app logged.
 */
export async function appChecks(
  ctx: BenchContext,
  app: Child,
): Promise<{ rows: Row[]; notes: string[]; details: Record<string, unknown> }> {
  const memory = memoryOf(app.process.pid!);
  const pg = new PgClient({ connectionString: ctx.databaseUrl });
  await pg.connect();
  let check: { mismatches: number; interview_totals: number; competency_totals: number; interviews: number };
  try {
    check = (await pg.query<typeof check>(ROLLUP_MISMATCHES)).rows[0]!;
  } finally {
    await pg.end();
  }
  const levels = countLevels(app.logFile);
  const rows: Row[] = [
    {
      key: 'memory',
      figure: '6. app peak resident memory (VmHWM, whole run)',
      value: memory ? `${memory.peakMiB.toFixed(0)} MiB` : 'unknown',
      anchor: '–',
      ratio: '–',
      target: '≤ 200 MB',
      pass: memory ? memory.peakMiB * 1.048576 <= 200 : false,
    },
  ];
  const notes = [
    `App memory: peak ${memory?.peakMiB.toFixed(0)} MiB, ${memory?.rssMiB.toFixed(0)} MiB resident at the end; the app logged ${levels.warn} warnings and ${levels.error} errors (LOG_LEVEL=warn).`,
    `Rollup check: the figure-5 generator's recount of the ${check.interviews} interviews ingested in this run ${check.mismatches === 0 ? 'equals' : 'DIFFERS FROM'} ` +
      `the ${check.interview_totals} per-bucket interview_rollup and ${check.competency_totals} per-bucket-and-competency competency_rollup totals the ingest wrote, summed over shards (${check.mismatches} totals differ).`,
  ];
  return { rows, notes, details: { memory, rollupCheck: check, log: levels, warnings: levels.samples } };
}

/** Warnings and errors in an app's JSON log, and its most frequent messages ("3× 50 digest tick failed…"). */
export function countLevels(file: string): { warn: number; error: number; samples: string[] } {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { warn: 0, error: 0, samples: [] };
  }
  const counts = { warn: 0, error: 0 };
  const messages = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /"level":(\d+).*?"msg":"([^"]*)"/.exec(line);
    if (!match) continue;
    const level = Number(match[1]);
    if (level === 40) counts.warn += 1;
    if (level >= 50) counts.error += 1;
    messages.set(`${level} ${match[2]}`, (messages.get(`${level} ${match[2]}`) ?? 0) + 1);
  }
  const samples = [...messages]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([message, n]) => `${n}× ${message}`);
  return { ...counts, samples };
}
