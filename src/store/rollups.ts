import type { SqlRunner } from './sql-runner';

/**
 * What one interview adds to its spec's rollups: +1 started in its start bucket, +1 completed
 * (with its overall and per-competency scores) in its completion bucket, +1 abandoned in its
 * abandonment bucket. Applying (after − before) on every change keeps the rollups equal to a
 * full recount, whatever order events arrive in and however often scores change.
 */
export interface InterviewFacts {
  startedAt: Date | null;
  status: string;
  completedAt: Date | null;
  abandonedAt: Date | null;
  overallMilli: number | null;
  scores: { competencyId: string; scoreTenths: number }[];
}

export const BUCKET_MS = 15 * 60 * 1000;
const SHARDS = 8;

interface Delta {
  started: number;
  completed: number;
  abandoned: number;
  scoreSumMilli: number;
  scoreN: number;
  competencies: Map<string, { sum: number; n: number }>;
}

export function bucketOf(date: Date): Date {
  return new Date(Math.floor(date.getTime() / BUCKET_MS) * BUCKET_MS);
}

/**
 * Applies (after − before) to the rollups in at most two statements, meant to run last in the
 * ingest transaction: the rows are hot (every event of a spec and quarter hour shares 8 of them),
 * so they are locked for the shortest time. Rows are upserted in one global order — all
 * interview_rollup rows by bucket, then all competency_rollup rows by (bucket, competency id) —
 * so concurrent transactions never wait on each other in a cycle.
 */
export async function applyRollupChange(
  sql: SqlRunner,
  specId: string,
  interviewId: string,
  before: InterviewFacts | undefined,
  after: InterviewFacts,
): Promise<void> {
  const deltas = new Map<number, Delta>();
  if (before) add(deltas, before, -1);
  add(deltas, after, +1);
  const shard = shardOf(interviewId);
  const interviews = {
    buckets: [] as Date[],
    started: [] as number[],
    completed: [] as number[],
    abandoned: [] as number[],
    sum: [] as number[],
    n: [] as number[],
  };
  const competencies = { buckets: [] as Date[], ids: [] as string[], sum: [] as number[], n: [] as number[] };
  for (const [time, delta] of deltas) {
    const bucket = new Date(time);
    if (delta.started || delta.completed || delta.abandoned || delta.scoreSumMilli || delta.scoreN) {
      interviews.buckets.push(bucket);
      interviews.started.push(delta.started);
      interviews.completed.push(delta.completed);
      interviews.abandoned.push(delta.abandoned);
      interviews.sum.push(delta.scoreSumMilli);
      interviews.n.push(delta.scoreN);
    }
    for (const [id, c] of delta.competencies) {
      if (c.sum === 0 && c.n === 0) continue;
      competencies.buckets.push(bucket);
      competencies.ids.push(id);
      competencies.sum.push(c.sum);
      competencies.n.push(c.n);
    }
  }
  if (interviews.buckets.length > 0) {
    const { buckets, started, completed, abandoned, sum, n } = interviews;
    await sql.query(UPSERT_INTERVIEW_ROLLUPS, [specId, shard, buckets, started, completed, abandoned, sum, n]);
  }
  if (competencies.buckets.length > 0) {
    await sql.query(UPSERT_COMPETENCY_ROLLUPS, [specId, shard, competencies.buckets, competencies.ids, competencies.sum, competencies.n]);
  }
}

// ORDER BY fixes the order rows are upserted (and locked) in; COLLATE "C" makes it the same in
// every session whatever the database's collation.
const UPSERT_INTERVIEW_ROLLUPS = `
INSERT INTO interview_rollup (spec_id, bucket, shard, started, completed, abandoned, score_sum_milli, score_n)
SELECT $1::uuid, d.bucket, $2::smallint, d.started, d.completed, d.abandoned, d.score_sum_milli, d.score_n
FROM unnest($3::timestamptz[], $4::int[], $5::int[], $6::int[], $7::bigint[], $8::int[])
  AS d(bucket, started, completed, abandoned, score_sum_milli, score_n)
ORDER BY d.bucket
ON CONFLICT (spec_id, bucket, shard) DO UPDATE SET
  started = interview_rollup.started + EXCLUDED.started,
  completed = interview_rollup.completed + EXCLUDED.completed,
  abandoned = interview_rollup.abandoned + EXCLUDED.abandoned,
  score_sum_milli = interview_rollup.score_sum_milli + EXCLUDED.score_sum_milli,
  score_n = interview_rollup.score_n + EXCLUDED.score_n`;

const UPSERT_COMPETENCY_ROLLUPS = `
INSERT INTO competency_rollup (spec_id, bucket, competency_id, shard, sum_tenths, n)
SELECT $1::uuid, d.bucket, d.competency_id, $2::smallint, d.sum_tenths, d.n
FROM unnest($3::timestamptz[], $4::text[], $5::bigint[], $6::int[]) AS d(bucket, competency_id, sum_tenths, n)
ORDER BY d.bucket, d.competency_id COLLATE "C"
ON CONFLICT (spec_id, bucket, competency_id, shard) DO UPDATE SET
  sum_tenths = competency_rollup.sum_tenths + EXCLUDED.sum_tenths,
  n = competency_rollup.n + EXCLUDED.n`;

function add(deltas: Map<number, Delta>, facts: InterviewFacts, sign: 1 | -1): void {
  const at = (date: Date) => {
    const key = bucketOf(date).getTime();
    let delta = deltas.get(key);
    if (!delta) {
      delta = { started: 0, completed: 0, abandoned: 0, scoreSumMilli: 0, scoreN: 0, competencies: new Map() };
      deltas.set(key, delta);
    }
    return delta;
  };
  if (facts.startedAt) at(facts.startedAt).started += sign;
  if (facts.status === 'completed' && facts.completedAt) {
    const delta = at(facts.completedAt);
    delta.completed += sign;
    if (facts.overallMilli !== null) {
      delta.scoreSumMilli += sign * facts.overallMilli;
      delta.scoreN += sign;
    }
    for (const score of facts.scores) {
      const entry = delta.competencies.get(score.competencyId) ?? { sum: 0, n: 0 };
      entry.sum += sign * score.scoreTenths;
      entry.n += sign;
      delta.competencies.set(score.competencyId, entry);
    }
  }
  if (facts.status === 'abandoned' && facts.abandonedAt) at(facts.abandonedAt).abandoned += sign;
}

/** Stable per interview, so its own corrections land on the row its first contribution did. */
function shardOf(interviewId: string): number {
  let hash = 0;
  for (let i = 0; i < interviewId.length; i += 1) hash = (hash * 31 + interviewId.charCodeAt(i)) | 0;
  return Math.abs(hash) % SHARDS;
}
