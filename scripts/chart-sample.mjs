// `npm run chart:sample`: draws docs/images/digest-chart.png, the README's picture of a digest chart,
// from fixed figures through the app's own renderer (dist/, built first), so it is drawn exactly as
// a digest's would be. The same figures give the same bytes: rerunning it changes nothing unless
// the chart's look or its libraries did.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { ChartProcessRenderer } = require(path.join(root, 'dist/charts/renderer.js'));
const { chartPicture, chartAltText } = require(path.join(root, 'dist/domain/digest-chart.js'));

const weekly = ['71.2', '73.0', null, '69.5', '74.1', '75.0', '72.3', '78.4'];
const sample = {
  weeks: weekly.map((averageScore, i) => ({ start: new Date(Date.UTC(2026, 8, 28 + 7 * i, 9)), averageScore })),
  competencies: [
    { id: 'financial_systems_design', name: 'Financial Systems Design', thisWeek: '81.0', lastWeek: '74.0' },
    { id: 'distributed_systems_reliability', name: 'Distributed Systems Reliability', thisWeek: '76.5', lastWeek: '77.2' },
    { id: 'postgres_schema_design', name: 'Postgres Schema Design for Scale', thisWeek: '84.0', lastWeek: '79.5' },
    { id: 'production_ownership', name: 'Production Ownership & Incident Culture', thisWeek: '72.5', lastWeek: '70.0' },
    { id: 'fastapi_kafka_systems', name: 'FastAPI & Event-Driven Architecture', thisWeek: '69.0', lastWeek: null },
  ],
};

const out = path.join(root, 'docs', 'images', 'digest-chart.png');
const renderer = new ChartProcessRenderer();
try {
  const chart = await renderer.render(chartPicture(sample, 'UTC'));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, chart.png);
  console.log(
    `wrote ${path.relative(root, out)}: ${chart.width}×${chart.height}, ${chart.png.length} bytes, drawn in ${chart.renderMs.toFixed(0)} ms`,
  );
  console.log(`its words: ${chartAltText(sample, 'UTC')}`);
} finally {
  await renderer.stop();
}
