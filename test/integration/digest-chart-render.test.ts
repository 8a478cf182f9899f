import { CHART_CANVAS, CHART_SCALE } from '../../src/charts/chart-spec';
import { WorkerChartRenderer } from '../../src/charts/renderer';
import type { ChartPicture } from '../../src/domain/digest-chart';
import { PIECES } from '../support/hostile';
import { pngSize } from '../support/digest-charts';

/** The renderer on its worker thread: real Vega, Vega-Lite and resvg, no database. */
const renderer = new WorkerChartRenderer();
afterAll(() => renderer.stop());

const weeks = ['Sep 28', 'Oct 5', 'Oct 12', 'Oct 19', 'Oct 26', 'Nov 2', 'Nov 9', 'Nov 16'].map((label, i) => ({
  label,
  score: [71.2, 73.0, null, 69.5, 74.1, 75.0, 72.3, 78.4][i] ?? null,
}));
const picture = (competencies: ChartPicture['competencies']): ChartPicture => ({ weeks, competencies });
const competency = (label: string, i = 0) => ({ label, thisWeek: 60 + i, lastWeek: i % 3 === 0 ? null : 55 + i });
const EXPECTED = { width: CHART_CANVAS.width * CHART_SCALE, height: CHART_CANVAS.height * CHART_SCALE };

describe('a digest chart', () => {
  it('is a whole PNG of one size, with one competency, twenty, or none', async () => {
    for (const count of [0, 1, 20]) {
      const chart = await renderer.render(
        picture(Array.from({ length: count }, (_, i) => competency(`Competency ${i} ${'long '.repeat(i)}`, i))),
      );
      expect({ count, ...pngSize(chart.png) }).toEqual({ count, ...EXPECTED });
      expect({ width: chart.width, height: chart.height }).toEqual(EXPECTED);
    }
  });

  it('comes out as the same bytes from the same figures, so a stored picture is the one any replica would draw', async () => {
    const figures = picture([competency('Financial Systems Design', 1), competency('Postgres', 2)]);
    const [a, b] = [await renderer.render(figures), await renderer.render(figures)];
    expect(Buffer.from(a.png).equals(Buffer.from(b.png))).toBe(true);
  });

  it('draws hostile names as text: escaped in the SVG, never markup, never a reason to fail', async () => {
    const names = [
      ...Object.values(PIECES),
      '</text><script>alert(1)</script>',
      '"><image href="http://127.0.0.1:1/x.png"/>',
      '{{datum.x}} $' + '{x}',
      'a & b < c',
      '\u202eevil\u202c',
      '\u0000\u0007bell',
      '👩‍💻 مرحبا 漢字',
    ];
    const hostile = picture(names.slice(0, 20).map((name, i) => competency(name.slice(0, 60), i)));
    const svg = await renderer.renderSvg(hostile);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;/text&gt;&lt;script&gt;');
    expect(svg).toContain('a &amp; b &lt; c');
    expect(svg).not.toContain('<image');
    expect(svg).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#\d+;|#x[0-9a-f]+;|apos;)/i);
    expect(pngSize((await renderer.render(hostile)).png)).toEqual(EXPECTED);
  });

  it('gives up a chart that overruns its time, and draws the next one on a fresh thread', async () => {
    const impatient = new WorkerChartRenderer({ timeoutMs: 1 });
    try {
      await expect(impatient.render(picture([competency('A')]))).rejects.toThrow('no chart within 1 ms');
    } finally {
      await impatient.stop();
    }
    expect(pngSize((await renderer.render(picture([competency('B')]))).png)).toEqual(EXPECTED);
  });
});
