import { Client } from 'pg';
import { verifyInterviewSignature } from '../../src/webhooks/signature';
import { FakePlatform, PLATFORM_SECRET, publishingEnv, type PlatformRequest } from '../support/fake-platform';
import { ADMIN, Harness } from '../support/harness';
import { metricValue, waitForSettledDeliveries, waitForSweeps } from '../support/metrics';
import { panelistCli } from '../support/panelist-cli';
import { waitUntil } from '../support/slack-events';

/**
 * The platform misbehaves: spec versions go through the delivery pipeline's retries (5xx, 429 with
 * Retry-After, a timeout), its dead letters (another 4xx, a redirect) with the operator's CLI and
 * the ops channel, and a spec's versions still arrive one after another in version order.
 */

const DEMO = 'senior-backend-payments';
const DEMO_ID = '58fd32b5-4151-4e1b-aa1c-ab2538f8b850';
/** Two weight sets to alternate between: each command makes a new version. */
const WEIGHTS = [
  'financial_systems_design=0.25 distributed_systems_reliability=0.30',
  'financial_systems_design=0.30 distributed_systems_reliability=0.25',
];

let platform: FakePlatform;
let harness: Harness;
let sql: Client;
let changes = 0;
const cli = panelistCli(() => harness.database.url);

beforeAll(async () => {
  platform = await new FakePlatform().start();
  harness = await Harness.start(
    publishingEnv(platform, {
      PLATFORM_WEBHOOK_TIMEOUT_MS: '2000',
      DELIVERY_MAX_ATTEMPTS: '6',
      OPS_SLACK_CHANNEL: 'COPS',
      SWEEP_INTERVAL_MS: '200',
    }),
  );
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
  // The demo spec's v1, seeded at start, goes first: scripted answers must not fall to it.
  await platform.waitFor(() => platform.acknowledged().find((r) => r.event?.data.version.number === 1));
});
afterAll(async () => {
  await sql.end();
  await harness.stop();
  await platform.stop();
});

/** A signed `/spec weights` that saves a new version of the demo spec; returns its number. */
async function newVersion(): Promise<number> {
  const sent = await harness.spec(`weights ${DEMO} ${WEIGHTS[changes++ % 2]}`, ADMIN);
  const match = /v(\d+)/.exec((await sent.reply()).text);
  expect(match).not.toBeNull();
  return Number(match![1]);
}

async function deliveryOf(number: number) {
  const { rows } = await sql.query<{ id: string; status: string; attempts: number; last_error: string | null }>(
    `SELECT d.id, d.status, d.attempts, d.last_error FROM delivery d JOIN spec_version v ON d.subject_id = v.id::text
     WHERE d.kind = 'spec.version' AND v.spec_id = $1 AND v.number = $2`,
    [DEMO_ID, number],
  );
  return rows[0]!;
}

const postsOf = (number: number) => platform.forSpec(DEMO_ID).filter((r) => r.event?.data.version.number === number);

async function settled(number: number): Promise<PlatformRequest[]> {
  const { id } = await deliveryOf(number);
  await waitForSettledDeliveries((text, values) => sql.query(text, values).then((r) => r.rows), 'd.id = $1', [id]);
  return postsOf(number);
}

const verified = (r: PlatformRequest) =>
  verifyInterviewSignature({
    header: r.headers['panelist-signature'] as string,
    rawBody: Buffer.from(r.raw),
    secrets: [PLATFORM_SECRET],
    now: new Date(),
  }).ok;

describe('retries', () => {
  it('retries a 500, then stops at the one acknowledged POST, with the same event id and a fresh signature', async () => {
    platform.answer({ status: 500, body: 'boom' });
    const number = await newVersion();
    await waitUntil(async () => (await deliveryOf(number)).status === 'sent', 'the version to be sent');
    const posts = await settled(number);
    expect(posts.map((p) => p.status)).toEqual([500, 200]);
    expect(posts[1]!.event!.id).toBe(posts[0]!.event!.id);
    expect(posts[1]!.event!.id).toBe((await deliveryOf(number)).id);
    expect(posts.every(verified)).toBe(true);
    expect(
      await metricValue(harness.metricsUrl, 'panelist_delivery_attempts_total{platform="platform",result="unknown_outcome"}'),
    ).toBeGreaterThanOrEqual(1);
  });

  it('waits out a 429’s Retry-After before trying again', async () => {
    platform.answer({ status: 429, retryAfter: '1' });
    const number = await newVersion();
    const [refused, accepted] = await platform.waitFor(() => (postsOf(number).length >= 2 ? postsOf(number) : undefined));
    expect(refused!.status).toBe(429);
    expect(accepted!.status).toBe(200);
    expect(accepted!.at - refused!.at).toBeGreaterThanOrEqual(1_000);
    expect(await settled(number)).toHaveLength(2);
    expect(await metricValue(harness.metricsUrl, 'panelist_delivery_attempts_total{platform="platform",result="rate_limited"}')).toBe(1);
  });

  it('sends again, with the same event id, when the platform does not answer within PLATFORM_WEBHOOK_TIMEOUT_MS', async () => {
    platform.answer({ status: 200, delayMs: 3_000 });
    const number = await newVersion();
    const posts = await platform.waitFor(() => (postsOf(number).length >= 2 ? postsOf(number) : undefined));
    await waitUntil(async () => (await deliveryOf(number)).status === 'sent', 'the version to be sent');
    // The first POST reached the platform, which took it (too late for Panelist to hear): this is
    // why the platform dedupes on `id` (docs/spec-webhook.md).
    expect(posts[1]!.event!.id).toBe(posts[0]!.event!.id);
  });
});

describe('dead letters', () => {
  it('dead-letters a 400 at once, lists and announces it in words, and sends it again on `deliveries retry`', async () => {
    platform.answer({ status: 400, body: '{"error":"unknown competency"}' });
    const number = await newVersion();
    await waitUntil(async () => (await deliveryOf(number)).status === 'failed', 'the dead letter');
    const dead = await deliveryOf(number);
    expect(dead).toMatchObject({ attempts: 1, last_error: 'the platform refused the version with 400: {"error":"unknown competency"}' });
    expect(postsOf(number)).toHaveLength(1);

    const listed = await cli.run('deliveries', 'list', '--failed');
    expect(listed).toContain(
      `${dead.id}\tfailed\tattempts=1\tplatform\tspec.version\tspec ${DEMO} v${number} to the interview platform\t${dead.last_error}`,
    );
    const alert = await harness.slack.waitFor(() => harness.slack.posted('COPS').find((m) => m.text.includes(dead.id)));
    expect(alert.text).toContain(`a spec version for the interview platform, spec ${DEMO_ID}`);
    expect(await metricValue(harness.metricsUrl, 'panelist_delivery_dead_letters_total{platform="platform",kind="spec.version"}')).toBe(1);

    expect(await cli.run('deliveries', 'retry', dead.id)).toEqual([
      `re-queued 1: ${dead.id} (spec ${DEMO} v${number} to the interview platform)`,
    ]);
    await waitUntil(async () => (await deliveryOf(number)).status === 'sent', 'the retried version');
    const posts = await settled(number);
    expect(posts.map((p) => p.status)).toEqual([400, 200]);
    expect(posts[1]!.event!.id).toBe(dead.id);
  });

  it('dead-letters a redirect instead of following it', async () => {
    platform.answer({ status: 301, location: 'https://elsewhere.example/hooks' });
    const number = await newVersion();
    await waitUntil(async () => (await deliveryOf(number)).status === 'failed', 'the dead letter');
    expect((await deliveryOf(number)).last_error).toContain('a redirect to https://elsewhere.example/hooks');
    // a dead letter stays one POST: nothing, not even the sweeper, sends it again unasked
    await waitForSweeps(harness.metricsUrl, 3);
    expect(postsOf(number)).toHaveLength(1);
  });
});

describe('order', () => {
  it('sends three quick versions of one spec in version order while the platform fails the first few POSTs', async () => {
    // The first version is held a second (429), so the next two are saved while it still waits.
    platform.answer({ status: 429, retryAfter: '1' }, { status: 500 }, { status: 503 }, { status: 500 });
    const numbers = [await newVersion(), await newVersion(), await newVersion()];
    expect(numbers).toEqual([numbers[0], numbers[0]! + 1, numbers[0]! + 2]);
    for (const number of numbers) await waitUntil(async () => (await deliveryOf(number)).status === 'sent', `v${number} to be sent`);
    for (const number of numbers) await settled(number);

    const posts = platform.forSpec(DEMO_ID).filter((r) => numbers.includes(r.event!.data.version.number));
    // Never a later version before an earlier one has its 2xx: arrival order is version order.
    const arrival = posts.map((p) => p.event!.data.version.number);
    expect(arrival).toEqual([...arrival].sort((a, b) => a - b));
    expect(posts.filter((p) => p.status === 200).map((p) => p.event!.data.version.number)).toEqual(numbers);
    expect(posts.length).toBe(numbers.length + 4);
  });
});

describe('order after dead letters', () => {
  it('sends two dead letters of one spec retried together in version order, the later one waiting for the earlier', async () => {
    platform.answer({ status: 400 });
    const first = await newVersion();
    await waitUntil(async () => (await deliveryOf(first)).status === 'failed', 'the first dead letter');
    platform.answer({ status: 400 });
    const second = await newVersion();
    await waitUntil(async () => (await deliveryOf(second)).status === 'failed', 'the second dead letter');

    // Retried at once (with the redirect left dead above, an earlier version of the same spec), all
    // are due now; the earliest fails once more before it gets through, and the others wait for it.
    const { rows: dead } = await sql.query<{ number: number }>(
      `SELECT v.number FROM delivery d JOIN spec_version v ON d.subject_id = v.id::text
       WHERE d.kind = 'spec.version' AND d.status = 'failed' AND v.spec_id = $1 ORDER BY v.number`,
      [DEMO_ID],
    );
    const numbers = dead.map((row) => row.number);
    expect(numbers.slice(-2)).toEqual([first, second]);
    const before = platform.requests.length;
    platform.answer({ status: 500 });
    const [retried] = await cli.run('deliveries', 'retry', '--all-failed');
    expect(retried).toMatch(new RegExp(`^re-queued ${numbers.length}: `));
    for (const number of numbers) await waitUntil(async () => (await deliveryOf(number)).status === 'sent', `v${number} to be sent`);

    const after = platform.requests.slice(before).map((r) => [r.event!.data.version.number, r.status]);
    expect(after).toEqual([[numbers[0], 500], ...numbers.map((number) => [number, 200])]);
  });
});
