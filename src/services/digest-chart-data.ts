import { chartAltText, chartPeriods, hasChartData, type DigestChartData, type Period } from '../domain/digest-chart';
import { averageOfMilli } from '../domain/digest-math';
import type { Competency } from '../domain/spec';
import type { Db } from '../store/db';
import { scoreSumsByPeriod } from '../store/digest-chart-rows';
import type { DigestChart } from './digest-views';
import { competencyAverages } from './rollup-sums';

/** What the section's own reading already holds: this week's and last week's figures. */
export interface WeekFigures {
  averageScore: string | null;
  lastWeekAverageScore: string | null;
  competencyAverages: Map<string, { average: string | null }>;
}

/**
 * A section's chart figures: the six weeks before last week (one statement over the rollups) and last
 * week's competency averages; this week and last week's overall averages come from the section's own
 * reading, so the chart shows exactly the text's numbers. Undefined when there is not one score to draw.
 */
export async function digestChartData(
  db: Db,
  spec: { id: string; competencies: Competency[] },
  periods: { period: Period; previous: Period; timeZone: string },
  figures: WeekFigures,
): Promise<DigestChart | undefined> {
  const weeks = chartPeriods(periods.period, periods.previous, periods.timeZone);
  const [older, lastWeek] = await Promise.all([
    scoreSumsByPeriod(db, spec.id, weeks.slice(0, -2)),
    competencyAverages(db, spec.id, periods.previous),
  ]);
  const averages = [
    ...older.map((sums) => averageOfMilli(sums.scoreSumMilli, sums.scored)),
    figures.lastWeekAverageScore,
    figures.averageScore,
  ];
  const data: DigestChartData = {
    weeks: weeks.map((week, index) => ({ start: week.start, averageScore: averages[index] ?? null })),
    competencies: spec.competencies.map((c) => ({
      id: c.id,
      name: c.name,
      thisWeek: figures.competencyAverages.get(c.id)?.average ?? null,
      lastWeek: lastWeek.get(c.id)?.average ?? null,
    })),
  };
  return hasChartData(data) ? { ...data, altText: chartAltText(data, periods.timeZone) } : undefined;
}
