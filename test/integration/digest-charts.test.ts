import { randomUUID } from 'node:crypto';
import { CHART_CANVAS, CHART_SCALE } from '../../src/charts/chart-spec';
import { createDigestService } from '../../src/composition';
import { loadConfig } from '../../src/config';
import { ChartLinks } from '../../src/services/chart-links';
import { createDb, type Db } from '../../src/store/db';
import { EIGHT_WEEKS, EIGHT_WEEKS_IN_WORDS, freePort, pngSize } from '../support/digest-charts';
import type { PostedMessage } from '../support/fake-slack';
import { started } from '../support/interview-events';
import { ADMIN, Harness } from '../support/harness';
import { metricValue, waitForSettledDeliveries } from '../support/metrics';

let harness: Harness;
let db: Db;
let publicUrl: string;

beforeAll(async () => {
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  harness = await Harness.start({ DIGEST_CLOCK: 'false', PORT: String(port), PUBLIC_URL: publicUrl });
  db = createDb(harness.database.url, { max: 4 });
  for (const event of EIGHT_WEEKS) expect((await harness.webhook(event)).status).toBe(202);
});
afterAll(async () => {
  await db.$disconnect();
  await harness.stop();
});

const AT = new Date('2026-11-23T09:05:00Z');
const charts = (outcome: string) => metricValue(harness.metricsUrl, `panelist_digest_charts_total{outcome="${outcome}"}`);
const imageBlocks = (blocks: unknown) =>
  ((blocks as { type: string; image_url?: string; alt_text?: string }[] | undefined) ?? []).filter((b) => b.type === 'image');
const query = (text: string, values: unknown[]) => db.$queryRawUnsafe<{ n: number }[]>(text, ...values);

/** Channels following the demo spec with a Monday 09:00 UTC digest; their digests claimed for AT and settled. */
async function digestsIn(...channels: string[]): Promise<{ digestIds: string[]; messages: PostedMessage[] }> {
  return digestsAt(AT, ...channels);
}

async function digestsAt(at: Date, ...channels: string[]): Promise<{ digestIds: string[]; messages: PostedMessage[] }> {
  for (const channelId of channels) {
    for (const text of ['subscribe senior-backend-payments', 'digest monday 09:00 UTC'])
      await (await harness.spec(text, ADMIN, { channelId })).reply();
  }
  await createDigestService(loadConfig({ DATABASE_URL: harness.database.url }), db).claimDue(at, { onlyDue: false });
  await waitForSettledDeliveries(query, "d.kind = 'digest' AND d.channel_id = ANY($1)", [channels]);
  const digests = await db.digest.findMany({
    where: { schedule: { channelId: { in: channels } }, periodEnd: { lte: at } },
    orderBy: { periodEnd: 'desc' },
    include: { schedule: true },
  });
  const digestIds = channels.map((channel) => digests.find((d) => d.schedule.channelId === channel)!.id);
  return { digestIds, messages: channels.flatMap((channel) => harness.slack.posted(channel)) };
}

describe('a chart in every weekly digest', () => {
  it('shows the eight weeks and the competencies in a picture Slack could fetch, with the numbers in its words', async () => {
    const [rendered, shared] = [await charts('rendered'), await charts('shared')];
    const waits = await metricValue(harness.metricsUrl, 'panelist_digest_chart_waits_total');
    const { digestIds, messages } = await digestsIn('CCHART', 'CCHART2');
    // the picture was not drawn yet when the first part ran: it gave its worker slot back and was woken once stored
    expect(await metricValue(harness.metricsUrl, 'panelist_digest_chart_waits_total')).toBeGreaterThan(waits);
    expect(await db.delivery.count({ where: { waitingForChart: { not: null } } })).toBe(0);
    // parking is not an attempt: nothing was posted, so nothing is looked for in the channel's history afterwards
    const looked = harness.slack
      .callsTo('conversations.history')
      .filter((call) => ['CCHART', 'CCHART2'].includes(String(call.args.channel)));
    expect(looked).toEqual([]);
    expect(messages).toHaveLength(2);
    const [first, second] = messages.map((m) => imageBlocks(m.blocks));
    expect(first).toHaveLength(1);
    expect(first![0]!.alt_text).toBe(EIGHT_WEEKS_IN_WORDS);
    expect(first![0]!.image_url).toMatch(
      new RegExp(`^${publicUrl}/charts/digests/${digestIds[0]}/[0-9a-f-]{36}\\.png\\?expires=\\d+&signature=`),
    );

    const fetched = harness.slack.imageFetches.find((f) => f.url === first![0]!.image_url)!;
    expect(fetched).toMatchObject({ status: 200, contentType: 'image/png' });
    expect(pngSize(fetched.bytes)).toEqual({ width: CHART_CANVAS.width * CHART_SCALE, height: CHART_CANVAS.height * CHART_SCALE });

    // one picture drawn and stored for both channels; each digest pins it under a link of its own
    expect(second![0]!.image_url).not.toBe(first![0]!.image_url);
    expect(await db.chartImage.count()).toBe(1);
    expect(Buffer.from((await db.chartImage.findFirstOrThrow()).png).equals(fetched.bytes)).toBe(true);
    expect(await db.digestChart.count({ where: { digestId: { in: digestIds } } })).toBe(2);
    expect([(await charts('rendered')) - rendered, (await charts('shared')) - shared]).toEqual([1, 1]);
  });

  it('posts a digest whose answer was lost once, and shows the same picture after the retry', async () => {
    const shared = await charts('shared');
    harness.slack.failIn('CRETRY', 'chat.postMessage', { kind: 'drop' });
    const { digestIds, messages } = await digestsIn('CRETRY');
    expect(messages).toHaveLength(1);
    // the retry found the post and updated it in place, with the same link
    const posted = harness.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'CRETRY');
    const updated = harness.slack.callsTo('chat.update').filter((c) => c.args.channel === 'CRETRY');
    expect(posted).toHaveLength(1);
    expect(updated.length).toBeGreaterThanOrEqual(1);
    const links = [...posted, ...updated].map((c) => imageBlocks(JSON.parse(String(c.args.blocks)))[0]!.image_url);
    expect(new Set(links).size).toBe(1);
    expect(imageBlocks(messages[0]!.blocks)).toHaveLength(1);
    expect(await db.digestChart.count({ where: { digestId: digestIds[0]! } })).toBe(1);
    expect(await db.chartImage.count()).toBe(1);
    expect((await charts('shared')) - shared).toBe(1);
  });

  it('sends the digest with its numbers in words when Slack cannot fetch the picture', async () => {
    const refused = await charts('refused');
    harness.slack.refuseImages = 1;
    const { messages } = await digestsIn('CREFUSED');
    expect(messages).toHaveLength(1);
    expect(imageBlocks(messages[0]!.blocks)).toHaveLength(0);
    expect(JSON.stringify(messages[0]!.blocks)).toContain('Average score by week, oldest first: Sep 28 none');
    expect((await charts('refused')) - refused).toBe(1);
    expect(harness.logs.lines.some((l) => String(l.msg).startsWith('Slack could not fetch a digest chart'))).toBe(true);
  });

  it('keeps the picture and words first pinned to a digest, for every later attempt and replica', async () => {
    const digest = await db.digest.findFirstOrThrow({ where: { schedule: { channelId: 'CCHART' } } });
    const replica = () => createDigestService(loadConfig({ DATABASE_URL: harness.database.url, PUBLIC_URL: publicUrl }), db);
    // two replicas building the digest at once, with nothing pinned: one pin, the same for both
    await db.digestChart.deleteMany({ where: { digestId: digest.id } });
    const [a, b] = await Promise.all([replica().view(digest.id), replica().view(digest.id)]);
    expect(a!.specs[0]!.chart).toEqual(b!.specs[0]!.chart);
    expect(a!.specs[0]!.chart!.imageUrl).toBeDefined();
    expect(await db.digestChart.count({ where: { digestId: digest.id } })).toBe(1);
    // words pinned by an earlier attempt win over what a later one computes from the figures
    await db.digestChart.updateMany({ where: { digestId: digest.id }, data: { altText: 'as first pinned' } });
    expect((await replica().view(digest.id))!.specs[0]!.chart).toMatchObject({
      altText: 'as first pinned',
      imageUrl: a!.specs[0]!.chart!.imageUrl,
    });
  });

  it('has no chart for a week with interviews but not one score in its eight weeks', async () => {
    expect((await harness.webhook(started({ interviewId: 'lonely', startedAt: '2026-05-27T10:00:00Z' }))).status).toBe(202);
    const { digestIds, messages } = await digestsAt(new Date('2026-06-01T09:05:00Z'), 'CNOSCORES');
    expect(messages).toHaveLength(1);
    expect(JSON.stringify(messages[0]!.blocks)).toContain('started 1');
    expect(JSON.stringify(messages[0]!.blocks)).not.toContain('Average score by week');
    expect(imageBlocks(messages[0]!.blocks)).toHaveLength(0);
    expect(await db.digestChart.count({ where: { digestId: digestIds[0]! } })).toBe(0);
  });
});

describe('the chart links', () => {
  const links = () => new ChartLinks(db, publicUrl);
  const get = async (url: string) => {
    const response = await fetch(url);
    return { status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) };
  };

  it('serve the pinned PNG to a signed link, and refuse a changed, an expired or an unknown one in words', async () => {
    const pin = await db.digestChart.findFirstOrThrow({ include: { image: true } });
    const future = new Date(Date.now() + 86_400_000);
    const good = await links().linkFor(pin.digestId, pin.specId, future);
    const served = await get(good);
    expect(served).toMatchObject({ status: 200, type: 'image/png' });
    expect(served.body.equals(Buffer.from(pin.image.png))).toBe(true);

    const changed = good.replace(/expires=(\d+)/, (_, s: string) => `expires=${Number(s) + 1}`);
    expect(await get(changed)).toMatchObject({ status: 403 });
    expect((await get(changed)).body.toString()).toContain('not valid');
    const expired = await get(await links().linkFor(pin.digestId, pin.specId, new Date(Date.now() - 1000)));
    expect(expired.status).toBe(403);
    expect(expired.body.toString()).toContain('expired');
    const unknown = await get(await links().linkFor(randomUUID(), pin.specId, future));
    expect(unknown.status).toBe(404);
    expect(unknown.body.toString()).toContain('no chart');
  });
});
