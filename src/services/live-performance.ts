import type { Db } from '../store/db';
import type { LivePerformance } from './spec-views';

/**
 * The spec page's live numbers. Averages are computed by PostgreSQL in numeric (exact) and
 * rounded half up to one decimal there; indexes on (spec_id, …) keep this to one spec's rows.
 */
export async function livePerformance(db: Db, specId: string, competencyIds: string[]): Promise<LivePerformance> {
  const [totals] = await db.$queryRaw<{ interviews: number; completed: number; abandoned: number; average: string | null }[]>`
    SELECT count(*)::int AS interviews,
           count(*) FILTER (WHERE status = 'completed')::int AS completed,
           count(*) FILTER (WHERE status = 'abandoned')::int AS abandoned,
           round(avg(overall_milli) FILTER (WHERE status = 'completed') / 1000.0, 1)::text AS average
    FROM interview WHERE spec_id = ${specId}::uuid`;
  const perCompetency = await db.$queryRaw<{ competency_id: string; average: string; n: number }[]>`
    SELECT s.competency_id, round(avg(s.score_tenths) / 10.0, 1)::text AS average, count(*)::int AS n
    FROM interview_score s JOIN interview i ON i.id = s.interview_id
    WHERE i.spec_id = ${specId}::uuid AND i.status = 'completed'
    GROUP BY s.competency_id`;
  const byId = new Map(perCompetency.map((row) => [row.competency_id, row]));
  const interviews = totals?.interviews ?? 0;
  const completed = totals?.completed ?? 0;
  return {
    interviews,
    completed,
    abandoned: totals?.abandoned ?? 0,
    completionRate: interviews === 0 ? null : completed / interviews,
    averageScore: totals?.average ?? null,
    competencies: competencyIds.map((id) => ({ id, average: byId.get(id)?.average ?? null, n: byId.get(id)?.n ?? 0 })),
  };
}
