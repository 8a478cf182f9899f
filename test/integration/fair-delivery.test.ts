import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { ADMIN, Harness } from '../support/harness';
import { completed } from '../support/interview-events';
import { waitUntil } from '../support/slack-events';

/**
 * Fairness between channels and between replicas: a channel that must wait for its turn gives its
 * worker slot back, a process only takes the deliveries it can send, and a start that fails takes
 * nothing at all.
 */
const QUIET_SPEC_ID = '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const BACKLOG = 16;

let harness: Harness;
let sql: Client;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'panelist-fair-'));
  const fixture = JSON.parse(await readFile(path.join(__dirname, '../../fixtures/payments-platform-spec.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const specs = path.join(scratch, 'specs.json');
  await writeFile(specs, JSON.stringify([fixture, { ...fixture, id: QUIET_SPEC_ID, slug: 'quiet-spec', title: 'Quiet Spec' }]));
  // Two worker slots and four messages a second per channel: a backlog that slept in its slots
  // would hold every other channel up for seconds.
  harness = await Harness.start({ DEMO_SPEC_FILE: specs, DELIVERY_CONCURRENCY: '2', SLACK_CHANNEL_RATE: '4', SLACK_CHANNEL_BURST: '1' });
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await harness?.stop();
  await rm(scratch, { recursive: true, force: true });
});

const candidate = (text: string) => /^(.*) scored/.exec(text)?.[1];

async function queuedSlackDelivery(interviewId: string) {
  const { rows } = await sql.query<{ id: string; status: string; attempts: number; lease_until: Date | null; attempted_at: Date | null }>(
    `SELECT id, status, attempts, lease_until, attempted_at FROM delivery WHERE subject_id = $1`,
    [interviewId],
  );
  return rows[0];
}

async function jobOf(deliveryId: string) {
  const { rows } = await sql.query<{ task_identifier: string; attempts: number; locked_at: Date | null }>(
    `SELECT task_identifier, attempts, locked_at FROM graphile_worker.jobs WHERE key = $1`,
    [`delivery:${deliveryId}`],
  );
  return rows[0];
}

describe('no channel waits behind another', () => {
  it('posts a quiet channel’s interview while a busy channel drains, and the busy one in the order its interviews came', async () => {
    await (await harness.spec('subscribe senior-backend-payments', ADMIN, { channelId: 'CBUSY' })).reply();
    await (await harness.spec('subscribe quiet-spec', ADMIN, { channelId: 'CQUIET' })).reply();
    const names = Array.from({ length: BACKLOG }, (_, i) => `Busy Candidate ${i + 1}`);
    for (const name of names) expect((await harness.webhook(completed({ candidateName: name }))).status).toBe(202);
    await harness.slack.waitFor(() => harness.slack.posted('CBUSY').length > 0);

    expect((await harness.webhook(completed({ specId: QUIET_SPEC_ID, candidateName: 'Quiet Candidate' }))).status).toBe(202);
    await harness.slack.waitFor(() => harness.slack.posted('CQUIET').find((m) => m.text.startsWith('Quiet Candidate')));
    // The busy channel's backlog was still waiting for its turns when the quiet message went out.
    expect(harness.slack.posted('CBUSY').length).toBeLessThan(BACKLOG);

    await harness.slack.waitFor(() => harness.slack.posted('CBUSY').length >= BACKLOG, 30_000);
    expect(harness.slack.posted('CBUSY').map((m) => candidate(m.text))).toEqual(names);
  });
});

describe('a replica only takes work it can do', () => {
  it('leaves Slack deliveries queued and untouched while it has no Slack credentials, for a replica that has them', async () => {
    await harness.restart({ SLACK_SIGNING_SECRET: '', SLACK_BOT_TOKEN: '' });
    const metrics = await (await fetch(harness.metricsUrl)).text();
    expect(metrics).toContain('panelist_delivery_platform_served{platform="slack"} 0');

    expect((await harness.webhook(completed({ specId: QUIET_SPEC_ID, interviewId: 'int_no_slack' }))).status).toBe(202);
    const queued = (await queuedSlackDelivery('int_no_slack'))!;
    // A job queued before tasks named their platform proves the worker is running: it moves the job
    // under Slack's task, and then leaves it alone.
    await sql.query(`SELECT graphile_worker.add_job('deliver', json_build_object('deliveryId', $1::text), job_key => 'delivery:' || $1)`, [
      queued.id,
    ]);
    await waitUntil(async () => (await jobOf(queued.id))?.task_identifier === 'deliver:slack', 'the job under deliver:slack');
    expect(await jobOf(queued.id)).toMatchObject({ attempts: 0, locked_at: null });
    expect(await queuedSlackDelivery('int_no_slack')).toMatchObject({
      status: 'pending',
      attempts: 0,
      lease_until: null,
      attempted_at: null,
    });
    expect(harness.slack.posted('CQUIET').filter((m) => m.text.includes('77.9'))).toHaveLength(1);

    await harness.restart({ SLACK_SIGNING_SECRET: 'test-signing-secret', SLACK_BOT_TOKEN: 'xoxb-test-token' });
    await waitUntil(async () => (await queuedSlackDelivery('int_no_slack'))?.status === 'sent', 'the held delivery to be sent');
    expect(harness.slack.posted('CQUIET').filter((m) => m.text.includes('77.9'))).toHaveLength(2);
  });

  it('takes nothing when its start fails: a port in use leaves every queued delivery as it was', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = String((blocker.address() as net.AddressInfo).port);
    try {
      await harness.restart({ SLACK_SIGNING_SECRET: '', SLACK_BOT_TOKEN: '' });
      await harness.webhook(completed({ specId: QUIET_SPEC_ID, interviewId: 'int_port_taken' }));
      const queued = (await queuedSlackDelivery('int_port_taken'))!;
      await expect(
        harness.restart({ SLACK_SIGNING_SECRET: 'test-signing-secret', SLACK_BOT_TOKEN: 'xoxb-test-token', PORT: port }),
      ).rejects.toThrow(/EADDRINUSE/);
      expect(await queuedSlackDelivery('int_port_taken')).toEqual(queued);
      expect(await jobOf(queued.id)).toMatchObject({ task_identifier: 'deliver:slack', attempts: 0, locked_at: null });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    await harness.restart({ PORT: '0' });
    await harness.slack.waitFor(() => harness.slack.posted('CQUIET').filter((m) => m.text.includes('77.9')).length === 3);
  });
});
