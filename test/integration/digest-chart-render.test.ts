import { spawn } from 'node:child_process';
import path from 'node:path';
import { CHART_CANVAS, CHART_SCALE } from '../../src/charts/chart-spec';
import { ChartProcessRenderer } from '../../src/charts/renderer';
import type { ChartPicture } from '../../src/domain/digest-chart';
import { PIECES } from '../support/hostile';
import { pngSize } from '../support/digest-charts';
import { waitUntil } from '../support/slack-events';

/** The renderer in its child process: real Vega, Vega-Lite and resvg, no database. */
const renderer = new ChartProcessRenderer();
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

  it('gives up a chart that overruns its time, and draws the next one in a fresh process', async () => {
    const impatient = new ChartProcessRenderer({ timeoutMs: 1 });
    try {
      await expect(impatient.render(picture([competency('A')]))).rejects.toThrow('no chart within 1 ms');
    } finally {
      await impatient.stop();
    }
    expect(pngSize((await renderer.render(picture([competency('B')]))).png)).toEqual(EXPECTED);
  });

  it('never outlives the process that started it, even one killed with SIGKILL', async () => {
    // a stand-in for the app: forks the chart process as the renderer does, says its pid, then waits to be killed
    const script = `
      const { fork } = require('node:child_process');
      const child = fork(${JSON.stringify(path.join(__dirname, '../../src/charts/render-process.mjs'))}, ['{}'], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
      child.on('message', (m) => { if (m.ready) process.stdout.write(String(child.pid) + '\\n'); });
      setInterval(() => undefined, 1000);`;
    const app = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let said = '';
    app.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const chartPid = Number(await waitUntil(async () => /^\d+\n/.exec(said)?.[0], 'the chart process to be ready', 30_000));
    expect(isRunning(chartPid)).toBe(true);
    app.kill('SIGKILL');
    await waitUntil(async () => !isRunning(chartPid), 'the orphaned chart process to exit', 30_000);
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
