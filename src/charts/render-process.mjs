// The chart renderer's process (src/charts/renderer.ts forks it): Vega-Lite spec → Vega → SVG → PNG.
//
// Plain JavaScript, loaded by path: Vega ships only as ES modules with a top-level await, which
// neither require() nor jest's module runtime can load, while a process of its own is plain Node and
// imports them. The process also keeps each chart's CPU (tens of milliseconds) off the event loop
// that answers Slack, Teams and the webhooks, and its memory out of the app's: resvg's pixmaps live
// outside the JavaScript heap, nothing frees them until a collection happens to run, and Vega alone
// is ~30 MB; when the process exits (idle, or given up), the system takes all of it back.
//
// Its settings come as one JSON argument; it answers on the IPC channel and exits when the channel
// closes (the app stopped or died), so it never outlives the app.
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile } from 'vega-lite';

const settings = JSON.parse(process.argv[2] ?? '{}');
process.on('disconnect', () => process.exit(0));

/** Charts draw only the data they carry: a spec that names a URL or a file gets nothing. */
const refusingLoader = vega.loader();
refusingLoader.load = refuse;
refusingLoader.sanitize = refuse;
async function refuse() {
  throw new Error('a digest chart loads nothing from outside its spec');
}

/** Text is drawn with the bundled font only, so a chart looks the same on every machine. */
const fontOptions = { fontFiles: settings.fontFiles, loadSystemFonts: false, defaultFontFamily: settings.fontFamily };

/**
 * Vega sizes the picture to what it drew, which moves by a pixel or two with the labels; the digest
 * wants every chart the same size, so the drawing is set on a canvas of fixed size (white beyond it).
 */
function onCanvas(svg, canvas) {
  return svg.replace(
    /^(<svg[^>]*?) width="[\d.]+" height="[\d.]+" viewBox="[^"]*"/,
    `$1 width="${canvas.width}" height="${canvas.height}" viewBox="0 0 ${canvas.width} ${canvas.height}"`,
  );
}

/** The spec is the same for every chart: compiled and parsed once, each chart a new view of its rows. */
let parsed = { key: '', runtime: undefined };
function runtimeOf(spec) {
  const key = JSON.stringify(spec);
  if (parsed.key !== key) parsed = { key, runtime: vega.parse(compile(spec).spec) };
  return parsed.runtime;
}

async function render({ spec, datasets, scale, canvas, format }) {
  const view = new vega.View(runtimeOf(spec), { renderer: 'none', loader: refusingLoader });
  for (const [name, rows] of Object.entries(datasets)) view.data(name, rows);
  let svg;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  if (format === 'svg') return { svg };
  const image = new Resvg(onCanvas(svg, canvas), {
    font: fontOptions,
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
  }).render();
  return { png: new Uint8Array(image.asPng()), width: image.width, height: image.height };
}

process.on('message', async (job) => {
  const started = performance.now();
  try {
    const result = await render(job);
    process.send({ id: job.id, ...result, ms: performance.now() - started });
  } catch (error) {
    process.send({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
process.send({ ready: true });
