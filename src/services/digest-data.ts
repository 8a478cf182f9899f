import { averageOfMilli, averageOfTenths } from '../domain/digest-math';
import type { Competency } from '../domain/spec';
import type { Db } from '../store/db';
import type { DigestSpecSection } from './digest-views';

interface Totals {
  started: number;
  completed: number;
  abandoned: number;
  completionRate: number | null;
  averageScore: string | null;
}

/**
 * One spec's figures for a period, read from the 15-minute rollups (a week is at most 672 buckets
 * per shard, however many interviews the spec has) plus an index walk for the top candidates.
 */
export async function specSection(
  db: Db,
  spec: { id: string; slug: string; title: string; competencies: Competency[] },
  period: { start: Date; end: Date },
  options: { hideNames: boolean; topN?: number; specUrl: string | null },
): Promise<DigestSectionWithActivity> {
  const length = period.end.getTime() - period.start.getTime();
  const previousPeriod = { start: new Date(period.start.getTime() - length), end: period.start };
  const [current, previous, competencies] = await Promise.all([
    totals(db, spec.id, period),
    totals(db, spec.id, previousPeriod),
    db.$queryRaw<{ competency_id: string; sum: bigint; n: number }[]>`
      SELECT competency_id, sum(sum_tenths)::bigint AS sum, sum(n)::int AS n FROM competency_rollup
      WHERE spec_id = ${spec.id}::uuid AND bucket >= ${period.start} AND bucket < ${period.end}
      GROUP BY competency_id`,
  ]);
  const top =
    current.completed === 0
      ? []
      : await db.$queryRaw<{ id: string; candidate_name: string | null; overall_milli: number; report_url: string | null }[]>`
          SELECT id, candidate_name, overall_milli, report_url FROM interview
          WHERE spec_id = ${spec.id}::uuid AND status = 'completed' AND overall_milli IS NOT NULL
            AND completed_at >= ${period.start} AND completed_at < ${period.end}
          ORDER BY overall_milli DESC, completed_at ASC LIMIT ${options.topN ?? 3}`;
  const byId = new Map(competencies.map((row) => [row.competency_id, row]));
  return {
    specId: spec.id,
    slug: spec.slug,
    title: spec.title,
    ...current.view,
    competencies: spec.competencies.map((c) => {
      const row = byId.get(c.id);
      return { id: c.id, name: c.name, average: row ? averageOfTenths(BigInt(row.sum), row.n) : null, n: row?.n ?? 0 };
    }),
    previous: previous.view,
    top: top.map((row) => ({
      candidateName: options.hideNames ? null : row.candidate_name,
      overall: averageOfMilli(BigInt(row.overall_milli), 1)!,
      interviewId: row.id,
      reportUrl: row.report_url,
    })),
    specUrl: options.specUrl,
    active: current.view.started + current.view.completed + current.view.abandoned > 0,
  };
}

export type DigestSectionWithActivity = DigestSpecSection & { active: boolean };

async function totals(db: Db, specId: string, period: { start: Date; end: Date }): Promise<{ view: Totals; completed: number }> {
  const [row] = await db.$queryRaw<{ started: number; completed: number; abandoned: number; sum: bigint; n: number }[]>`
    SELECT coalesce(sum(started), 0)::int AS started, coalesce(sum(completed), 0)::int AS completed,
           coalesce(sum(abandoned), 0)::int AS abandoned, coalesce(sum(score_sum_milli), 0)::bigint AS sum,
           coalesce(sum(score_n), 0)::int AS n
    FROM interview_rollup WHERE spec_id = ${specId}::uuid AND bucket >= ${period.start} AND bucket < ${period.end}`;
  const started = row?.started ?? 0;
  const completed = row?.completed ?? 0;
  const abandoned = row?.abandoned ?? 0;
  const ended = completed + abandoned;
  return {
    completed,
    view: {
      started,
      completed,
      abandoned,
      completionRate: ended === 0 ? null : completed / ended,
      averageScore: averageOfMilli(BigInt(row?.sum ?? 0), row?.n ?? 0),
    },
  };
}
