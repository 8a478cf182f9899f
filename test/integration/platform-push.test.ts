import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { verifyInterviewSignature } from '../../src/webhooks/signature';
import { FakePlatform, PLATFORM_SECRET, publishingEnv, type PlatformRequest } from '../support/fake-platform';
import { ADMIN, Harness } from '../support/harness';
import { metricValue, waitForSettledDeliveries } from '../support/metrics';
import { panelistCli } from '../support/panelist-cli';

/**
 * Every new spec version is POSTed to the interview platform (docs/spec-webhook.md), through the
 * whole app: a signed Slack `/spec weights` and a CLI import each make one version, and the fake
 * platform receives exactly one signed POST for it, with exactly the documented body.
 */

const DEMO = 'senior-backend-payments';
const DEMO_ID = '58fd32b5-4151-4e1b-aa1c-ab2538f8b850';
const FIXTURE = path.join(__dirname, '../../fixtures/payments-platform-spec.json');

let platform: FakePlatform;
let harness: Harness;
let sql: Client;
const cli = panelistCli(
  () => harness.database.url,
  () => publishingEnv(platform),
);

beforeAll(async () => {
  platform = await new FakePlatform().start();
  harness = await Harness.start(publishingEnv(platform));
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await harness.stop();
  await platform.stop();
});

/** The fixture as the platform reads it back: no livePerformance, Panelist's version label, weights as given. */
async function publishedFixture(overrides: Record<string, unknown>, weights: Record<string, string> = {}) {
  const { livePerformance: _ignored, ...document } = JSON.parse(await readFile(FIXTURE, 'utf8')) as Record<string, unknown>;
  const competencies = (document.competencies as { id: string; weight: string }[]).map((c) => ({
    ...c,
    weight: weights[c.id] ?? c.weight,
  }));
  return { ...document, ...overrides, competencies };
}

/** The version's row and its delivery's, which the body must repeat. */
async function saved(specId: string, number: number) {
  const { rows } = await sql.query<{ version_id: string; created_at: Date; delivery_id: string }>(
    `SELECT v.id AS version_id, v.created_at, d.id AS delivery_id FROM spec_version v
     JOIN delivery d ON d.subject_id = v.id::text AND d.kind = 'spec.version'
     WHERE v.spec_id = $1 AND v.number = $2`,
    [specId, number],
  );
  return rows[0]!;
}

/** Waits for the platform's acknowledged POST of one version, then for the delivery to settle, and returns every POST of it. */
async function publishedPosts(specId: string, number: number): Promise<PlatformRequest[]> {
  await platform.waitFor(() =>
    platform.acknowledged().find((r) => r.event?.data.spec.id === specId && r.event.data.version.number === number),
  );
  const { version_id } = await saved(specId, number);
  await waitForSettledDeliveries((text, values) => sql.query(text, values).then((r) => r.rows), `d.subject_id = $1`, [version_id]);
  return platform.forSpec(specId).filter((r) => r.event?.data.version.number === number);
}

function expectSignedJson(request: PlatformRequest): void {
  expect(request.headers['content-type']).toBe('application/json');
  const header = request.headers['panelist-signature'] as string;
  expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  const check = verifyInterviewSignature({
    header,
    rawBody: Buffer.from(request.raw, 'utf8'),
    secrets: [PLATFORM_SECRET],
    now: new Date(),
  });
  expect(check).toEqual({ ok: true });
  // the same bytes under another secret do not verify: the signature is the secret's, not decoration
  expect(
    verifyInterviewSignature({ header, rawBody: Buffer.from(request.raw), secrets: ['another-secret-0123456'], now: new Date() }).ok,
  ).toBe(false);
}

function expectBody(
  request: PlatformRequest,
  expected: { eventId: string; createdAt: Date; spec: unknown; number: number; author: string; note: string | null },
) {
  const at = expected.createdAt.toISOString();
  expect(request.raw).toBe(
    JSON.stringify({
      id: expected.eventId,
      type: 'spec.version.published',
      occurred_at: at,
      data: { spec: expected.spec, version: { number: expected.number, author: expected.author, note: expected.note, created_at: at } },
    }),
  );
}

describe('publishing every new spec version to the interview platform', () => {
  it('publishes version 1 of the demo spec the app imported at start', async () => {
    const [post, ...again] = await publishedPosts(DEMO_ID, 1);
    expect(again).toHaveLength(0);
    expectSignedJson(post!);
    const row = await saved(DEMO_ID, 1);
    expectBody(post!, {
      eventId: row.delivery_id,
      createdAt: row.created_at,
      spec: await publishedFixture({ version: 'v1' }),
      number: 1,
      author: 'panelist CLI',
      note: 'Imported v1-Mft0Fe',
    });
  });

  it('POSTs a weights change made by a signed Slack command once, signed, with exactly the documented body', async () => {
    const sent = await harness.spec(`weights ${DEMO} financial_systems_design=0.25 distributed_systems_reliability=0.30`, ADMIN);
    expect((await sent.reply()).text).toContain('v2');
    const [post, ...again] = await publishedPosts(DEMO_ID, 2);
    expect(again).toHaveLength(0);
    expectSignedJson(post!);
    const row = await saved(DEMO_ID, 2);
    expectBody(post!, {
      eventId: row.delivery_id,
      createdAt: row.created_at,
      spec: await publishedFixture({ version: 'v2' }, { financial_systems_design: '0.25', distributed_systems_reliability: '0.30' }),
      number: 2,
      author: 'alice',
      note: null,
    });
    expect(post!.path).toBe('/webhooks/panelist');
    expect(
      await metricValue(harness.metricsUrl, 'panelist_delivery_attempts_total{platform="platform",result="sent"}'),
    ).toBeGreaterThanOrEqual(2);
    expect(await metricValue(harness.metricsUrl, 'panelist_delivery_platform_served{platform="platform"}')).toBe(1);
  });

  it('POSTs the versions a CLI import makes, the new spec’s version 1 and an update’s next one', async () => {
    const id = '11111111-2222-4333-8444-555555555555';
    const document = { ...(await publishedFixture({ id, slug: 'platform-lead', title: 'Platform Lead', version: 'ext-7' })) };
    const file = path.join(os.tmpdir(), `panelist-push-${process.pid}.json`);
    await writeFile(file, JSON.stringify(document));
    expect(await cli.run('specs', 'import', file)).toEqual(['platform-lead: created v1']);
    const [first, ...again] = await publishedPosts(id, 1);
    expect(again).toHaveLength(0);
    expectSignedJson(first!);
    const v1 = await saved(id, 1);
    expectBody(first!, {
      eventId: v1.delivery_id,
      createdAt: v1.created_at,
      spec: { ...document, version: 'v1' },
      number: 1,
      author: 'panelist CLI',
      note: 'Imported ext-7',
    });

    const changed = await publishedFixture({ id, slug: 'platform-lead', title: 'Platform Lead II', version: 'ext-8' });
    await writeFile(file, JSON.stringify(changed));
    expect(await cli.run('specs', 'import', file)).toEqual(['platform-lead: updated to v2']);
    const [second, ...more] = await publishedPosts(id, 2);
    expect(more).toHaveLength(0);
    const v2 = await saved(id, 2);
    expectBody(second!, {
      eventId: v2.delivery_id,
      createdAt: v2.created_at,
      spec: { ...changed, version: 'v2' },
      number: 2,
      author: 'panelist CLI',
      note: 'Imported ext-8',
    });
    expect(v2.delivery_id).not.toBe(v1.delivery_id);
  });
});

describe('without PLATFORM_WEBHOOK_URL and PLATFORM_WEBHOOK_SECRET', () => {
  let quiet: Harness;
  beforeAll(async () => {
    quiet = await Harness.start();
  });
  afterAll(async () => {
    await quiet.stop();
  });

  it('saves versions without an outbox row, a job or a POST', async () => {
    const before = platform.requests.length;
    const sent = await quiet.spec(`weights ${DEMO} financial_systems_design=0.25 distributed_systems_reliability=0.30`, ADMIN);
    expect((await sent.reply()).text).toContain('v2');
    const quietCli = panelistCli(() => quiet.database.url);
    const file = path.join(os.tmpdir(), `panelist-quiet-${process.pid}.json`);
    await writeFile(file, JSON.stringify(await publishedFixture({ id: '21111111-2222-4333-8444-555555555555', slug: 'quiet-spec' })));
    expect(await quietCli.run('specs', 'import', file)).toEqual(['quiet-spec: created v1']);

    const db = new Client({ connectionString: quiet.database.url });
    await db.connect();
    try {
      const versions = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM spec_version');
      expect(versions.rows[0]!.n).toBe(3);
      const rows = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM delivery WHERE kind = 'spec.version' OR platform = 'platform'`,
      );
      expect(rows.rows[0]!.n).toBe(0);
      const jobs = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'deliver:platform'`,
      );
      expect(jobs.rows[0]!.n).toBe(0);
    } finally {
      await db.end();
    }
    expect(platform.requests.length).toBe(before);
    expect(await metricValue(quiet.metricsUrl, 'panelist_delivery_platform_served{platform="platform"}')).toBe(0);
  });
});
