import { chartAltText, chartPeriods, chartPicture, hasChartData, type DigestChartData } from '../../src/domain/digest-chart';

const week = (iso: string, averageScore: string | null) => ({ start: new Date(iso), averageScore });

describe('the weeks a digest chart covers', () => {
  it('are eight, oldest first, back to back, ending with the digest’s week and the week before it as the text counts them', () => {
    const period = { start: new Date('2026-11-16T09:00:00Z'), end: new Date('2026-11-23T09:00:00Z') };
    const previous = { start: new Date('2026-11-09T09:00:00Z'), end: period.start };
    const weeks = chartPeriods(period, previous, 'UTC');
    expect(weeks).toHaveLength(8);
    expect(weeks.at(-1)).toEqual(period);
    expect(weeks.at(-2)).toEqual(previous);
    expect(weeks[0]!.start).toEqual(new Date('2026-09-28T09:00:00Z'));
    for (const [i, w] of weeks.slice(1).entries()) expect(w.start).toEqual(weeks[i]!.end);
  });

  it('keep the channel’s wall clock across a daylight-saving change', () => {
    // New York leaves daylight saving on Nov 1 2026: 09:00 is 13:00Z before and 14:00Z after
    const period = { start: new Date('2026-11-09T14:00:00Z'), end: new Date('2026-11-16T14:00:00Z') };
    const previous = { start: new Date('2026-11-02T14:00:00Z'), end: period.start };
    const weeks = chartPeriods(period, previous, 'America/New_York');
    expect(weeks.map((w) => w.start.toISOString())).toEqual([
      '2026-09-21T13:00:00.000Z',
      '2026-09-28T13:00:00.000Z',
      '2026-10-05T13:00:00.000Z',
      '2026-10-12T13:00:00.000Z',
      '2026-10-19T13:00:00.000Z',
      '2026-10-26T13:00:00.000Z',
      '2026-11-02T14:00:00.000Z',
      '2026-11-09T14:00:00.000Z',
    ]);
    // the week that holds the change is an hour longer, and nothing falls between two weeks
    expect(weeks[5]!.end.getTime() - weeks[5]!.start.getTime()).toBe(7 * 86_400_000 + 3_600_000);
    for (const [i, w] of weeks.slice(1).entries()) expect(w.start).toEqual(weeks[i]!.end);
  });
});

describe('a digest chart in words', () => {
  const data: DigestChartData = {
    weeks: [
      week('2026-09-28T09:00:00Z', null),
      week('2026-10-05T09:00:00Z', '71.2'),
      week('2026-10-12T09:00:00Z', '73.0'),
      week('2026-10-19T09:00:00Z', null),
      week('2026-10-26T09:00:00Z', '69.5'),
      week('2026-11-02T09:00:00Z', '74.1'),
      week('2026-11-09T09:00:00Z', '74.0'),
      week('2026-11-16T09:00:00Z', '78.4'),
    ],
    competencies: [
      { id: 'financial_systems_design', name: 'Financial Systems Design', thisWeek: '78.0', lastWeek: '74.0' },
      { id: 'kafka', name: 'Kafka\n& friends', thisWeek: null, lastWeek: '66.7' },
    ],
  };

  it('carries every number, weeks first, gaps said as none', () => {
    expect(chartAltText(data, 'UTC')).toBe(
      'Average score by week, oldest first: Sep 28 none, Oct 5 71.2, Oct 12 73.0, Oct 19 none, Oct 26 69.5, Nov 2 74.1, Nov 9 74.0, Nov 16 78.4 (this week). ' +
        'By competency, this week (last week): Financial Systems Design 78.0 (74.0), Kafka & friends none (66.7).',
    );
  });

  it('names the weeks as the channel’s calendar does', () => {
    // 09:00Z is 23:00 the evening before in Honolulu
    expect(chartAltText(data, 'Pacific/Honolulu')).toContain(': Sep 27 none, Oct 4 71.2,');
    expect(chartAltText({ ...data, competencies: [] }, 'UTC')).toMatch(/\(this week\)\.$/);
  });

  it('is absent, with no chart, when not one score was given in the eight weeks', () => {
    const empty = {
      weeks: data.weeks.map((w) => ({ ...w, averageScore: null })),
      competencies: data.competencies.map((c) => ({ ...c, thisWeek: null, lastWeek: null })),
    };
    expect(hasChartData(empty)).toBe(false);
    expect(hasChartData({ ...empty, competencies: [{ ...empty.competencies[0]!, lastWeek: '50.0' }] })).toBe(true);
    expect(hasChartData({ ...empty, weeks: [week('2026-11-16T09:00:00Z', '10.0')] })).toBe(true);
  });
});

describe('what the renderer draws', () => {
  it('numbers, and names on one line, told apart when two read the same', () => {
    const picture = chartPicture(
      {
        weeks: [week('2026-11-16T09:00:00Z', '78.4'), week('2026-11-23T09:00:00Z', null)],
        competencies: [
          { id: 'a', name: 'Design', thisWeek: '80.0', lastWeek: null },
          { id: 'b', name: ' Design\t', thisWeek: null, lastWeek: '1.5' },
          { id: 'c', name: 'Design (2)', thisWeek: '2.0', lastWeek: '3.0' },
          { id: 'd', name: '   ', thisWeek: null, lastWeek: null },
          { id: 'e', name: 'x'.repeat(300), thisWeek: null, lastWeek: null },
        ],
      },
      'UTC',
    );
    expect(picture.weeks).toEqual([
      { label: 'Nov 16', score: 78.4 },
      { label: 'Nov 23', score: null },
    ]);
    expect(picture.competencies.map((c) => c.label)).toEqual(['Design', 'Design (2)', 'Design (2) (2)', 'd', 'x'.repeat(60)]);
    expect(picture.competencies[1]).toEqual({ label: 'Design (2)', thisWeek: null, lastWeek: 1.5 });
  });
});
