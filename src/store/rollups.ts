import { Prisma } from './generated/prisma/client';
import type { Tx } from './db';

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

export async function applyRollupChange(
  tx: Tx,
  specId: string,
  interviewId: string,
  before: InterviewFacts | undefined,
  after: InterviewFacts,
): Promise<void> {
  const deltas = new Map<number, Delta>();
  if (before) add(deltas, before, -1);
  add(deltas, after, +1);
  const shard = shardOf(interviewId);
  for (const [time, delta] of [...deltas.entries()].sort(([a], [b]) => a - b)) {
    const bucket = new Date(time);
    if (delta.started || delta.completed || delta.abandoned || delta.scoreSumMilli || delta.scoreN) {
      await tx.$executeRaw`
        INSERT INTO interview_rollup (spec_id, bucket, shard, started, completed, abandoned, score_sum_milli, score_n)
        VALUES (${specId}::uuid, ${bucket}, ${shard}, ${delta.started}, ${delta.completed}, ${delta.abandoned}, ${delta.scoreSumMilli}, ${delta.scoreN})
        ON CONFLICT (spec_id, bucket, shard) DO UPDATE SET
          started = interview_rollup.started + EXCLUDED.started,
          completed = interview_rollup.completed + EXCLUDED.completed,
          abandoned = interview_rollup.abandoned + EXCLUDED.abandoned,
          score_sum_milli = interview_rollup.score_sum_milli + EXCLUDED.score_sum_milli,
          score_n = interview_rollup.score_n + EXCLUDED.score_n`;
    }
    // Sorted, like the buckets, so concurrent transactions take row locks in one order (no deadlocks).
    const competencies = [...delta.competencies.entries()]
      .filter(([, c]) => c.sum !== 0 || c.n !== 0)
      .sort(([a], [b]) => a.localeCompare(b));
    if (competencies.length > 0) {
      const values = competencies.map(
        ([id, c]) => Prisma.sql`(${specId}::uuid, ${bucket}, ${id}, ${shard}::smallint, ${c.sum}::bigint, ${c.n}::int)`,
      );
      await tx.$executeRaw`
        INSERT INTO competency_rollup (spec_id, bucket, competency_id, shard, sum_tenths, n)
        VALUES ${Prisma.join(values)}
        ON CONFLICT (spec_id, bucket, competency_id, shard) DO UPDATE SET
          sum_tenths = competency_rollup.sum_tenths + EXCLUDED.sum_tenths,
          n = competency_rollup.n + EXCLUDED.n`;
    }
  }
}

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
