import { CHART_CANVAS, CHART_SCALE } from '../../src/charts/chart-spec';
import { activityText, type SentActivity } from '../support/fake-bot-connector';
import { EIGHT_WEEKS, EIGHT_WEEKS_IN_WORDS, freePort, pngSize } from '../support/digest-charts';
import { metricValue, waitForSettledDeliveries } from '../support/metrics';
import { TeamsHarness } from '../support/teams-harness';

let h: TeamsHarness;
beforeAll(async () => {
  const port = await freePort();
  h = await TeamsHarness.start({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
  for (const event of EIGHT_WEEKS) expect(await h.webhook(event)).toBe(202);
});
afterAll(async () => {
  await h?.stop();
});

const channel = '19:digest-chart@thread.tacv2';

/** Every Image element of a card, however deep in its containers. */
function images(activity: SentActivity): { url: string; altText?: string }[] {
  const found: { url: string; altText?: string }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const element = node as Record<string, unknown>;
      if (element.type === 'Image') found.push(element as unknown as { url: string; altText?: string });
      Object.values(element).forEach(walk);
    }
  };
  walk(activity.body.attachments);
  return found;
}

describe('the weekly digest’s chart in Teams', () => {
  it('is an Image in the card, linked on PUBLIC_URL, posted once though the first answer was lost', async () => {
    await h.ask('subscribe senior-backend-payments', undefined, { conversationId: channel });
    await h.ask('digest monday 09:00 UTC', undefined, { conversationId: channel });
    // Teams takes the card, then the answer is lost: the pipeline must find it, not post it again
    h.connector.fail({ status: 502, accepted: true, conversationId: channel });
    await h.digests.claimDue(new Date('2026-11-23T09:05:00Z'), { onlyDue: false });
    await waitForSettledDeliveries((text, values) => h.db.$queryRawUnsafe(text, ...values), "d.kind = 'digest' AND d.channel_id = $1", [
      channel,
    ]);
    const digests = h.connector.in(channel).filter((a) => activityText(a).includes('Weekly digest'));
    expect(digests).toHaveLength(1);
    expect(await metricValue(h.metricsUrl, 'panelist_teams_post_searches_total{result="found"}')).toBe(1);
    const [image, ...more] = images(digests[0]!);
    expect(more).toHaveLength(0);
    // the card keeps the weeks and the first competencies; the text above has every competency
    expect(image!.altText).toBe(`${EIGHT_WEEKS_IN_WORDS.slice(0, 399)}…`);
    const response = await fetch(image!.url);
    expect(response.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await response.arrayBuffer());
    expect(pngSize(png)).toEqual({ width: CHART_CANVAS.width * CHART_SCALE, height: CHART_CANVAS.height * CHART_SCALE });
    expect(await h.db.digestChart.count()).toBe(1);
    expect(Buffer.from((await h.db.chartImage.findFirstOrThrow()).png).equals(png)).toBe(true);
  });
});
