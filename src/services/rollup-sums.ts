import { averageOfMilli, averageOfTenths } from '../domain/digest-math';
import { Prisma, type Db } from '../store/db';

export interface Period {
  start: Date;
  end: Date;
}

export interface RollupTotals {
  started: number;
  completed: number;
  abandoned: number;
  /** completed / (completed + abandoned), or null until one has ended */
  completionRate: number | null;
  /** average overall score, one decimal, rounded half up; null without scores */
  averageScore: string | null;
}

/**
 * Sums of a spec's 15-minute rollups over its shards, for one period or (without one) all time:
 * what the weekly digest and the spec page's live numbers are both made of.
 */
export async function interviewTotals(db: Db, specId: string, period?: Period): Promise<RollupTotals> {
  const [row] = await db.$queryRaw<{ started: number; completed: number; abandoned: number; sum: bigint; n: number }[]>`
    SELECT coalesce(sum(started), 0)::int AS started, coalesce(sum(completed), 0)::int AS completed,
           coalesce(sum(abandoned), 0)::int AS abandoned, coalesce(sum(score_sum_milli), 0)::bigint AS sum,
           coalesce(sum(score_n), 0)::int AS n
    FROM interview_rollup WHERE spec_id = ${specId}::uuid ${within(period)}`;
  const completed = row?.completed ?? 0;
  const abandoned = row?.abandoned ?? 0;
  return {
    started: row?.started ?? 0,
    completed,
    abandoned,
    completionRate: completed + abandoned === 0 ? null : completed / (completed + abandoned),
    averageScore: averageOfMilli(BigInt(row?.sum ?? 0), row?.n ?? 0),
  };
}

/** Each competency's average score (half up, one decimal) and count, by competency id. */
export async function competencyAverages(db: Db, specId: string, period?: Period): Promise<Map<string, { average: string | null; n: number }>> {
  const rows = await db.$queryRaw<{ competency_id: string; sum: bigint; n: number }[]>`
    SELECT competency_id, sum(sum_tenths)::bigint AS sum, sum(n)::int AS n FROM competency_rollup
    WHERE spec_id = ${specId}::uuid ${within(period)}
    GROUP BY competency_id`;
  return new Map(rows.map((row) => [row.competency_id, { average: averageOfTenths(BigInt(row.sum), row.n), n: row.n }]));
}

function within(period: Period | undefined): Prisma.Sql {
  return period ? Prisma.sql`AND bucket >= ${period.start} AND bucket < ${period.end}` : Prisma.empty;
}
