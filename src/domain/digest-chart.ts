import { DateTime } from 'luxon';

/**
 * What a digest section's chart shows: the spec's average overall score in each of the last eight
 * weeks, and each competency's average this week against the week before. Averages are the digest's
 * own one-decimal strings (domain/digest-math.ts), so the picture, its words and the text agree.
 */
export interface DigestChartData {
  /** CHART_WEEKS weeks, oldest first; the last is the digest's own period */
  weeks: { start: Date; averageScore: string | null }[];
  /** the competencies of the spec's current version, in its order */
  competencies: { id: string; name: string; thisWeek: string | null; lastWeek: string | null }[];
}

/** What the renderer draws: labels as the channel reads them, numbers, and nothing else. */
export interface ChartPicture {
  weeks: { label: string; score: number | null }[];
  competencies: { label: string; thisWeek: number | null; lastWeek: number | null }[];
}

export interface Period {
  start: Date;
  end: Date;
}

export const CHART_WEEKS = 8;
/** A competency's label in the picture; Vega shortens it further to the room it has. */
const MAX_PICTURE_LABEL = 60;

/**
 * The periods a chart covers, oldest first. The last two are the digest's period and the one before
 * exactly as the digest's figures count them, so the chart and the text agree; older weeks step back
 * a week at a time on the channel's wall clock, as its schedule does across daylight-saving changes.
 */
export function chartPeriods(period: Period, previous: Period, timeZone: string, count = CHART_WEEKS): Period[] {
  const periods = [period, previous];
  let end = previous.start;
  while (periods.length < count) {
    const local = DateTime.fromJSDate(end, { zone: timeZone });
    const start = local.minus({ weeks: 1 }).set({ hour: local.hour, minute: local.minute, second: 0, millisecond: 0 }).toJSDate();
    periods.push({ start, end });
    end = start;
  }
  return periods.reverse();
}

/** False when there is not one score to draw: the section then has no chart rather than an empty one. */
export function hasChartData(data: DigestChartData): boolean {
  return data.weeks.some((week) => week.averageScore !== null) || data.competencies.some((c) => c.thisWeek !== null || c.lastWeek !== null);
}

/** "Nov 16": a week by its first day, as the channel's calendar has it. */
export function weekLabel(start: Date, timeZone: string): string {
  return DateTime.fromJSDate(start, { zone: timeZone }).toFormat('LLL d');
}

/**
 * The chart in words, every number included, for screen readers and for a digest that goes out
 * without its picture. The weeks come first: a renderer short of room cuts from the end.
 */
export function chartAltText(data: DigestChartData, timeZone: string): string {
  const last = data.weeks.length - 1;
  const weeks = data.weeks.map(
    (week, index) => `${weekLabel(week.start, timeZone)} ${week.averageScore ?? 'none'}${index === last ? ' (this week)' : ''}`,
  );
  const competencies = data.competencies.map((c) => `${oneLine(c.name)} ${c.thisWeek ?? 'none'} (${c.lastWeek ?? 'none'})`);
  const byWeek = `Average score by week, oldest first: ${weeks.join(', ')}.`;
  return competencies.length === 0 ? byWeek : `${byWeek} By competency, this week (last week): ${competencies.join(', ')}.`;
}

/** The data as the renderer draws it: numbers parsed, names on one line and told apart when two are alike. */
export function chartPicture(data: DigestChartData, timeZone: string): ChartPicture {
  const used = new Set<string>();
  return {
    weeks: data.weeks.map((week) => ({ label: weekLabel(week.start, timeZone), score: toNumber(week.averageScore) })),
    competencies: data.competencies.map((c) => {
      const base = Array.from(oneLine(c.name) || c.id)
        .slice(0, MAX_PICTURE_LABEL)
        .join('');
      let label = base;
      for (let n = 2; used.has(label); n += 1) label = `${base} (${n})`;
      used.add(label);
      return { label, thisWeek: toNumber(c.thisWeek), lastWeek: toNumber(c.lastWeek) };
    }),
  };
}

function toNumber(average: string | null): number | null {
  return average === null ? null : Number(average);
}

function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim();
}
