import type { ClientBase } from 'pg';

/**
 * Rollup totals per bucket (and competency), summed over shards — what readers see, and what a
 * fold must leave unchanged — against the same totals recounted from the interviews alone. With
 * `perShard`, per bucket and shard instead: where the ingest itself put each contribution. Keys:
 * `<bucket ISO>[#<shard>]` for interview_rollup ([started, completed, abandoned, score sum, score n])
 * and `<bucket ISO>[#<shard>]/<competency>` for competency_rollup ([sum of tenths, n]). All-zero
 * totals are left out.
 */
export type Totals = Record<string, number[]>;

export interface TotalsOptions {
  perShard?: boolean;
}

export async function storedTotals(
  sql: ClientBase,
  specId: string,
  options: TotalsOptions = {},
): Promise<{ interviews: Totals; competencies: Totals }> {
  const shard = options.perShard ? 'shard' : 'NULL::int';
  const interviews = await sql.query(
    `SELECT bucket, ${shard} AS shard, sum(started)::int AS started, sum(completed)::int AS completed, sum(abandoned)::int AS abandoned,
            sum(score_sum_milli)::text AS sum, sum(score_n)::int AS n
     FROM interview_rollup WHERE spec_id = $1 GROUP BY 1, 2`,
    [specId],
  );
  const competencies = await sql.query(
    `SELECT bucket, ${shard} AS shard, competency_id, sum(sum_tenths)::text AS sum, sum(n)::int AS n
     FROM competency_rollup WHERE spec_id = $1 GROUP BY 1, 2, 3`,
    [specId],
  );
  return {
    interviews: nonZero(interviews.rows.map((r) => [key(r.bucket, r.shard), [r.started, r.completed, r.abandoned, Number(r.sum), r.n]])),
    competencies: nonZero(competencies.rows.map((r) => [key(r.bucket, r.shard, r.competency_id), [Number(r.sum), r.n]])),
  };
}

/** What the rollups must add up to, from the interview and interview_score rows alone. */
export async function recountedTotals(
  sql: ClientBase,
  specId: string,
  options: TotalsOptions = {},
): Promise<{ interviews: Totals; competencies: Totals }> {
  const interviews = await sql.query(
    'SELECT id, status, started_at, completed_at, abandoned_at, overall_milli FROM interview WHERE spec_id = $1',
    [specId],
  );
  const scores = await sql.query(
    'SELECT s.interview_id, s.competency_id, s.score_tenths FROM interview_score s JOIN interview i ON i.id = s.interview_id WHERE i.spec_id = $1',
    [specId],
  );
  const scoresOf = new Map<string, { competency_id: string; score_tenths: number }[]>();
  for (const s of scores.rows) scoresOf.set(s.interview_id, [...(scoresOf.get(s.interview_id) ?? []), s]);
  const totals = { interviews: {} as Totals, competencies: {} as Totals };
  const bump = (into: Totals, k: string, values: number[]) => {
    into[k] = (into[k] ?? values.map(() => 0)).map((v, i) => v + values[i]!);
  };
  for (const i of interviews.rows) {
    const shard = options.perShard ? shardOf(i.id) : null;
    if (i.started_at) bump(totals.interviews, key(i.started_at, shard), [1, 0, 0, 0, 0]);
    if (i.status === 'completed' && i.completed_at) {
      bump(totals.interviews, key(i.completed_at, shard), [0, 1, 0, i.overall_milli ?? 0, i.overall_milli === null ? 0 : 1]);
      for (const s of scoresOf.get(i.id) ?? []) bump(totals.competencies, key(i.completed_at, shard, s.competency_id), [s.score_tenths, 1]);
    }
    if (i.status === 'abandoned' && i.abandoned_at) bump(totals.interviews, key(i.abandoned_at, shard), [0, 0, 1, 0, 0]);
  }
  return { interviews: nonZero(Object.entries(totals.interviews)), competencies: nonZero(Object.entries(totals.competencies)) };
}

export function bucketKey(at: Date): string {
  return new Date(Math.floor(at.getTime() / 900_000) * 900_000).toISOString();
}

function key(at: Date, shard: number | null, competencyId?: string): string {
  const where = shard === null ? bucketKey(at) : `${bucketKey(at)}#${shard}`;
  return competencyId ? `${where}/${competencyId}` : where;
}

function nonZero(entries: [string, number[]][]): Totals {
  return Object.fromEntries(entries.filter(([, values]) => values.some((v) => v !== 0)));
}

/** Java's String.hashCode, |h| mod 8 (src/store/rollups.ts shardOf, written out independently). */
export function shardOf(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i += 1) hash = (Math.imul(hash, 31) + id.charCodeAt(i)) | 0;
  return Math.abs(hash) % 8;
}

/** `perShard` ids for each of the 8 shards, named `<prefix>_<n>`, in shard order: ids[shard * perShard + j]. */
export function idsOverShards(prefix: string, perShard: number): string[] {
  const byShard: string[][] = Array.from({ length: 8 }, () => []);
  for (let n = 0; byShard.some((ids) => ids.length < perShard); n += 1) {
    const id = `${prefix}_${n}`;
    const ids = byShard[shardOf(id)]!;
    if (ids.length < perShard) ids.push(id);
  }
  return byShard.flat();
}
