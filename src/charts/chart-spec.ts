import { CHART_WEEKS, type ChartPicture } from '../domain/digest-chart';

/**
 * The digest chart as a Vega-Lite spec: the weekly average as a line on the left, each competency's
 * average this week against last week as grouped bars on the right. Every label and number arrives
 * as a data value, never inside an expression or a format string, so no competency name can change
 * what the spec does; Vega escapes text when it writes the SVG.
 */

export const CHART_FONT_FAMILY = 'Open Sans';
/**
 * Device pixels per CSS pixel. Slack and Teams show a picture 400–600 CSS pixels wide, so 1.5× is
 * crisp on high-density screens too; 2× cost a third more to draw and encode for no visible gain.
 */
export const CHART_SCALE = 1.5;
/** Every chart's size in CSS pixels, whatever its labels (the PNG is this times CHART_SCALE). */
export const CHART_CANVAS = { width: 780, height: 266 };
/**
 * Bump when the same figures would be drawn differently: it is part of each picture's content id,
 * so a digest never shows a picture made under another style.
 */
export const CHART_STYLE = 1;

const PANEL = { width: 270, height: 170 };
const BAR_PANEL = { width: 230, height: 170 };
/** Vega guesses text widths without a font (generously): this fits about 28 characters of a name. */
const NAME_ROOM = 190;
const THIS_WEEK = 'this week';
const LAST_WEEK = 'last week';
const INK = '#1f2933';
const MUTED = '#616e7c';
const GRID = '#e4e7eb';
const BLUE = '#1f5fa8';
const PALE_BLUE = '#a9c1de';

/** What the chart process draws: one fixed spec (compiled and parsed once per chart process) and the picture's rows. */
export interface ChartJob {
  spec: Record<string, unknown>;
  datasets: { weeks: Record<string, unknown>[]; bars: Record<string, unknown>[] };
}

export function chartJob(picture: ChartPicture): ChartJob {
  const weeks = picture.weeks.map((week, order) => ({ order, label: xmlSafe(week.label), score: week.score }));
  const bars = picture.competencies.flatMap((c, order) => {
    const label = xmlSafe(c.label);
    return [
      { order, label, week: THIS_WEEK, score: c.thisWeek },
      { order, label, week: LAST_WEEK, score: c.lastWeek },
    ];
  });
  return { spec: CHART_SPEC, datasets: { weeks, bars } };
}

/**
 * The rows are named datasets, so the spec is the same for every chart. A week or competency
 * without a score keeps its place on the axis (`show-domains`) and is drawn as a gap, not a zero.
 */
const CHART_SPEC: Record<string, unknown> = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  background: 'white',
  padding: { left: 12, right: 16, top: 12, bottom: 10 },
  config: {
    font: CHART_FONT_FAMILY,
    view: { stroke: null },
    title: { fontSize: 13, fontWeight: 'normal', color: INK, anchor: 'start', offset: 10 },
    axis: { labelFontSize: 10, labelColor: MUTED, domainColor: GRID, tickColor: GRID, gridColor: GRID, labelOverlap: false },
    legend: { labelFontSize: 11, labelColor: INK, symbolType: 'square' },
    concat: { spacing: 28 },
  },
  resolve: { legend: { color: 'independent' } },
  hconcat: [
    {
      title: `Average score, last ${CHART_WEEKS} weeks`,
      ...PANEL,
      data: { name: 'weeks' },
      mark: {
        type: 'line',
        color: BLUE,
        strokeWidth: 2,
        invalid: 'break-paths-show-domains',
        point: { filled: true, size: 36, color: BLUE },
      },
      encoding: {
        // fixed extents keep the picture the same size whatever the labels
        x: { field: 'label', type: 'ordinal', sort: null, title: null, axis: { labelAngle: -40, minExtent: 38, maxExtent: 38 } },
        y: {
          field: 'score',
          type: 'quantitative',
          scale: { zero: false, nice: true, padding: 8 },
          title: null,
          axis: { tickCount: 5, minExtent: 28, maxExtent: 28 },
        },
      },
    },
    {
      title: 'By competency: this week and last week',
      ...BAR_PANEL,
      data: { name: 'bars' },
      mark: { type: 'bar', cornerRadiusEnd: 2, invalid: 'show' },
      encoding: {
        y: {
          field: 'label',
          type: 'nominal',
          sort: null,
          scale: { paddingInner: 0.25 },
          title: null,
          axis: { labelLimit: NAME_ROOM, minExtent: NAME_ROOM, maxExtent: NAME_ROOM, ticks: false },
        },
        yOffset: { field: 'week', type: 'nominal', scale: { domain: [THIS_WEEK, LAST_WEEK] } },
        x: { field: 'score', type: 'quantitative', scale: { domain: [0, 100] }, title: null, axis: { tickCount: 5 } },
        color: {
          field: 'week',
          type: 'nominal',
          scale: { domain: [THIS_WEEK, LAST_WEEK], range: [BLUE, PALE_BLUE] },
          legend: { orient: 'bottom', direction: 'horizontal', title: null, offset: 8 },
        },
      },
    },
  ],
};

/**
 * Vega escapes `<`, `&` and quotes but writes other characters as they are, and an SVG (XML) cannot
 * hold a control character or half a surrogate pair: the SVG would not parse. Each becomes U+FFFD.
 */
function xmlSafe(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  );
}
