import { Prisma, type Db } from './db';

export interface Period {
  start: Date;
  end: Date;
}

export interface InterviewSums {
  started: number;
  completed: number;
  abandoned: number;
  /** sum of overall scores in milli-points, and how many were summed */
  scoreSumMilli: bigint;
  scored: number;
}

/**
 * Sums of a spec's 15-minute rollups over its shards, for one period or (without one) all time. A
 * week is at most 672 buckets per shard, however many interviews the spec had.
 */
export async function sumInterviewRollups(db: Db, specId: string, period?: Period): Promise<InterviewSums> {
  const [row] = await db.$queryRaw<{ started: number; completed: number; abandoned: number; sum: bigint; n: number }[]>`
    SELECT coalesce(sum(started), 0)::int AS started, coalesce(sum(completed), 0)::int AS completed,
           coalesce(sum(abandoned), 0)::int AS abandoned, coalesce(sum(score_sum_milli), 0)::bigint AS sum,
           coalesce(sum(score_n), 0)::int AS n
    FROM interview_rollup WHERE spec_id = ${specId}::uuid ${within(period)}`;
  return {
    started: row?.started ?? 0,
    completed: row?.completed ?? 0,
    abandoned: row?.abandoned ?? 0,
    scoreSumMilli: BigInt(row?.sum ?? 0),
    scored: row?.n ?? 0,
  };
}

/** Each competency's summed tenths and count over the period, by competency id. */
export async function sumCompetencyRollups(
  db: Db,
  specId: string,
  period?: Period,
): Promise<{ competencyId: string; sumTenths: bigint; n: number }[]> {
  const rows = await db.$queryRaw<{ competency_id: string; sum: bigint; n: number }[]>`
    SELECT competency_id, sum(sum_tenths)::bigint AS sum, sum(n)::int AS n FROM competency_rollup
    WHERE spec_id = ${specId}::uuid ${within(period)}
    GROUP BY competency_id`;
  return rows.map((row) => ({ competencyId: row.competency_id, sumTenths: BigInt(row.sum), n: row.n }));
}

export interface TopInterview {
  id: string;
  candidateName: string | null;
  overallMilli: number;
  reportUrl: string | null;
}

/** The best-scored interviews completed in the period, earliest first among equals (an index walk). */
export async function topCompletedInterviews(db: Db, specId: string, period: Period, limit: number): Promise<TopInterview[]> {
  const rows = await db.$queryRaw<{ id: string; candidate_name: string | null; overall_milli: number; report_url: string | null }[]>`
    SELECT id, candidate_name, overall_milli, report_url FROM interview
    WHERE spec_id = ${specId}::uuid AND status = 'completed' AND overall_milli IS NOT NULL
      AND completed_at >= ${period.start} AND completed_at < ${period.end}
    ORDER BY overall_milli DESC, completed_at ASC LIMIT ${limit}`;
  return rows.map((row) => ({ id: row.id, candidateName: row.candidate_name, overallMilli: row.overall_milli, reportUrl: row.report_url }));
}

function within(period: Period | undefined): Prisma.Sql {
  return period ? Prisma.sql`AND bucket >= ${period.start} AND bucket < ${period.end}` : Prisma.empty;
}
