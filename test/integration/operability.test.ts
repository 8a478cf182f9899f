import { ADMIN, Harness } from '../support/harness';
import { completed } from '../support/interview-events';
import { waitForSweeps } from '../support/metrics';

let harness: Harness;

beforeAll(async () => {
  harness = await Harness.start({ OPS_SLACK_CHANNEL: 'COPS', SWEEP_INTERVAL_MS: '200', DELIVERY_MAX_ATTEMPTS: '1' });
});
afterAll(async () => {
  await harness.stop();
});

async function metrics(): Promise<string> {
  const response = await fetch(harness.metricsUrl);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics and the ops channel', () => {
  it('counts webhook outcomes by reason', async () => {
    await harness.webhook(completed());
    await harness.webhook(completed(), { secret: 'wrong' });
    await harness.webhook(undefined, { raw: 'nope' });
    const text = await metrics();
    expect(value(text, 'panelist_webhook_events_total{outcome="accepted"}')).toBe(1);
    expect(value(text, 'panelist_webhook_events_total{outcome="unauthorized"}')).toBe(1);
    expect(value(text, 'panelist_webhook_events_total{outcome="invalid_json"}')).toBe(1);
    expect(text).toContain('panelist_queue_jobs{state="waiting"}');
  });

  it('counts sends and lag, and announces a dead letter in the ops channel within the sweep', async () => {
    await (await harness.spec('subscribe senior-backend-payments', ADMIN, { channelId: 'COK' })).reply();
    await harness.webhook(completed({ interviewId: 'int_ok' }));
    await harness.slack.waitFor(() => harness.slack.posted('COK')[0]);

    await (await harness.spec('subscribe senior-backend-payments', ADMIN, { channelId: 'CBROKEN' })).reply();
    harness.slack.failIn('CBROKEN', 'chat.postMessage', { kind: 'error', error: 'invalid_blocks' });
    await harness.webhook(completed({ interviewId: 'int_broken' }));
    const alert = await harness.slack.waitFor(() => harness.slack.posted('COPS')[0], 10_000);
    expect(alert.text).toContain('failed for good');
    expect(alert.text).toContain('CBROKEN: Slack refused the message: invalid_blocks');
    expect(alert.text).toContain('npx panelist deliveries retry --all-failed');

    // the send is counted once it is recorded, just after Slack answers: wait for the count, not the post
    let text = await metrics();
    for (
      let tries = 0;
      tries < 200 && (value(text, 'panelist_delivery_attempts_total{platform="slack",result="sent"}') ?? 0) < 2;
      tries += 1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      text = await metrics();
    }
    expect(value(text, 'panelist_delivery_attempts_total{platform="slack",result="sent"}')).toBeGreaterThanOrEqual(2);
    expect(value(text, 'panelist_delivery_attempts_total{platform="slack",result="permanent"}')).toBe(1);
    expect(value(text, 'panelist_delivery_dead_letters_total{platform="slack",kind="interview.result"}')).toBe(1);
    expect(value(text, 'panelist_deliveries{status="failed"}')).toBe(1);
    expect(value(text, 'panelist_delivery_lag_seconds_count{platform="slack",kind="interview.result"}')).toBeGreaterThanOrEqual(2);

    // alerted once, not every sweep
    await waitForSweeps(harness.metricsUrl, 3);
    expect(harness.slack.posted('COPS')).toHaveLength(1);
  });
});
