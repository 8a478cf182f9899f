import { averageOfMilli, averageOfTenths } from '../domain/digest-math';
import type { Db } from '../store/db';
import { sumCompetencyRollups, sumInterviewRollups, type Period } from '../store/rollup-reads';

export type { Period };

/**
 * Counts by the rollup bucket each event fell in: `started` by start time, `completed` and
 * `abandoned` by the time they ended. Completion (domain/completion.ts) is completed ÷ started, as
 * on the interview platform's page; it is left to the renderers, which say what it counts.
 */
export interface RollupTotals {
  started: number;
  completed: number;
  abandoned: number;
  /** average overall score, one decimal, rounded half up; null without scores */
  averageScore: string | null;
}

/** A spec's interview totals for one period or (without one) all time: what the digest and the spec page show. */
export async function interviewTotals(db: Db, specId: string, period?: Period): Promise<RollupTotals> {
  const sums = await sumInterviewRollups(db, specId, period);
  return {
    started: sums.started,
    completed: sums.completed,
    abandoned: sums.abandoned,
    averageScore: averageOfMilli(sums.scoreSumMilli, sums.scored),
  };
}

/** Each competency's average score (half up, one decimal) and count, by competency id. */
export async function competencyAverages(
  db: Db,
  specId: string,
  period?: Period,
): Promise<Map<string, { average: string | null; n: number }>> {
  const rows = await sumCompetencyRollups(db, specId, period);
  return new Map(rows.map((row) => [row.competencyId, { average: averageOfTenths(row.sumTenths, row.n), n: row.n }]));
}
