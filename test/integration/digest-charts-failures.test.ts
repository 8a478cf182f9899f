import { createDigestService } from '../../src/composition';
import { loadConfig } from '../../src/config';
import { createDb, type Db } from '../../src/store/db';
import { EIGHT_WEEKS, freePort } from '../support/digest-charts';
import { ADMIN, Harness } from '../support/harness';
import { metricValue, waitForSettledDeliveries } from '../support/metrics';

let harness: Harness;
let db: Db;

beforeAll(async () => {
  const port = await freePort();
  // no chart can be drawn in a millisecond: every one is given up, as a broken renderer's would be
  harness = await Harness.start({
    DIGEST_CLOCK: 'false',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DIGEST_CHART_TIMEOUT_MS: '1',
  });
  db = createDb(harness.database.url, { max: 4 });
  for (const event of EIGHT_WEEKS) expect((await harness.webhook(event)).status).toBe(202);
});
afterAll(async () => {
  await db.$disconnect();
  await harness.stop();
});

it('sends the digest without its chart when the chart cannot be drawn, with the numbers in words, a warning and a count', async () => {
  for (const text of ['subscribe senior-backend-payments', 'digest monday 09:00 UTC'])
    await (await harness.spec(text, ADMIN, { channelId: 'CNOCHART' })).reply();
  await createDigestService(loadConfig({ DATABASE_URL: harness.database.url }), db).claimDue(new Date('2026-11-23T09:05:00Z'), {
    onlyDue: false,
  });
  await waitForSettledDeliveries((text, values) => db.$queryRawUnsafe(text, ...values), "d.kind = 'digest' AND d.channel_id = $1", [
    'CNOCHART',
  ]);
  const [message, ...more] = harness.slack.posted('CNOCHART');
  expect(more).toHaveLength(0);
  expect(JSON.stringify(message!.blocks)).not.toContain('"image"');
  expect(JSON.stringify(message!.blocks)).toContain('Average score by week, oldest first: Sep 28 none');
  expect(JSON.stringify(message!.blocks)).toContain('81.8');
  expect(await db.digestChart.count()).toBe(0);
  expect(await metricValue(harness.metricsUrl, 'panelist_digest_charts_total{outcome="failed"}')).toBeGreaterThanOrEqual(1);
  const warning = harness.logs.lines.find((l) => String(l.msg).startsWith('digest chart not made'));
  expect(warning).toMatchObject({ level: 40, err: 'no chart within 1 ms' });
  expect(harness.logs.errorsSince()).toEqual([]);
});
