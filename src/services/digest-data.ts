import { averageOfMilli } from '../domain/digest-math';
import type { Competency } from '../domain/spec';
import type { Db } from '../store/db';
import { topCompletedInterviews } from '../store/rollup-reads';
import { digestChartData } from './digest-chart-data';
import type { DigestSpecSection } from './digest-views';
import { competencyAverages, interviewTotals } from './rollup-sums';

/**
 * One spec's figures for a period, read from the 15-minute rollups (a week is at most 672 buckets
 * per shard, however many interviews the spec has) plus an index walk for the top candidates.
 */
export async function specSection(
  db: Db,
  spec: { id: string; slug: string; title: string; competencies: Competency[] },
  period: { start: Date; end: Date },
  options: { hideNames: boolean; topN?: number; specUrl: string | null; timeZone?: string },
): Promise<DigestSectionWithActivity> {
  const length = period.end.getTime() - period.start.getTime();
  const previousPeriod = { start: new Date(period.start.getTime() - length), end: period.start };
  const [current, previous, competencies] = await Promise.all([
    interviewTotals(db, spec.id, period),
    interviewTotals(db, spec.id, previousPeriod),
    competencyAverages(db, spec.id, period),
  ]);
  const active = current.started + current.completed + current.abandoned > 0;
  const [top, chart] = await Promise.all([
    current.completed === 0 ? [] : topCompletedInterviews(db, spec.id, period, options.topN ?? 3),
    // a quiet spec's section is one line; a chart there would be noise
    active
      ? digestChartData(
          db,
          spec,
          { period, previous: previousPeriod, timeZone: options.timeZone ?? 'UTC' },
          { averageScore: current.averageScore, lastWeekAverageScore: previous.averageScore, competencyAverages: competencies },
        )
      : undefined,
  ]);
  return {
    specId: spec.id,
    slug: spec.slug,
    title: spec.title,
    ...current,
    competencies: spec.competencies.map((c) => ({
      id: c.id,
      name: c.name,
      average: competencies.get(c.id)?.average ?? null,
      n: competencies.get(c.id)?.n ?? 0,
    })),
    previous,
    top: top.map((row) => ({
      candidateName: options.hideNames ? null : row.candidateName,
      overall: averageOfMilli(BigInt(row.overallMilli), 1)!,
      interviewId: row.id,
      reportUrl: row.reportUrl,
    })),
    specUrl: options.specUrl,
    ...(chart ? { chart } : {}),
    active,
  };
}

export type DigestSectionWithActivity = DigestSpecSection & { active: boolean };
