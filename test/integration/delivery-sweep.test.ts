import { Client } from 'pg';
import { ADMIN, Harness } from '../support/harness';
import { completed } from '../support/interview-events';
import { waitForSweeps } from '../support/metrics';
import { waitUntil } from '../support/slack-events';

// Retries are minutes away, so only the sweeper can make a delivery move within the test.
let harness: Harness;
let sql: Client;

beforeAll(async () => {
  harness = await Harness.start({ SWEEP_INTERVAL_MS: '200', DELIVERY_RETRY_BASE_MS: '600000' });
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await harness.stop();
});

async function deliveryTo(channelId: string) {
  const rows = await sql.query('SELECT id, status, last_error FROM delivery WHERE channel_id = $1', [channelId]);
  return rows.rows[0] as { id: string; status: string; last_error: string | null } | undefined;
}

async function jobOf(deliveryId: string) {
  const rows = await sql.query(`SELECT run_at, locked_at FROM graphile_worker.jobs WHERE key = $1`, [`delivery:${deliveryId}`]);
  return rows.rows[0] as { run_at: Date; locked_at: Date | null } | undefined;
}

/** Idle for over a minute, as the sweeper's "lost" test requires. */
const backdate = (deliveryId: string) =>
  sql.query(`UPDATE delivery SET next_attempt_at = now() - interval '2 minutes', updated_at = now() - interval '2 minutes' WHERE id = $1`, [
    deliveryId,
  ]);

describe('the lost-delivery sweeper', () => {
  it('re-queues a delivery whose job died with its worker, and leaves one waiting its turn alone', async () => {
    for (const channelId of ['CWAIT', 'CLOST']) {
      await (await harness.spec('subscribe senior-backend-payments', ADMIN, { channelId })).reply();
      harness.slack.failIn(channelId, 'chat.postMessage', { kind: 'status', status: 500 });
    }
    await harness.webhook(completed({ interviewId: 'int_sweep' }));
    const waiting = await waitUntil(
      async () => ((await deliveryTo('CWAIT'))?.last_error ? deliveryTo('CWAIT') : undefined),
      'CWAIT to fail once',
    );
    const lost = await waitUntil(
      async () => ((await deliveryTo('CLOST'))?.last_error ? deliveryTo('CLOST') : undefined),
      'CLOST to fail once',
    );
    const waitingJob = (await jobOf(waiting.id))!;
    expect(waitingJob.run_at.getTime()).toBeGreaterThan(Date.now() + 60_000);

    // A worker took the job ten minutes ago and died (kill -9): graphile-worker keeps it locked for hours.
    await sql.query(
      `UPDATE graphile_worker._private_jobs SET locked_at = now() - interval '10 minutes', locked_by = 'dead-worker' WHERE key = $1`,
      [`delivery:${lost.id}`],
    );
    await backdate(waiting.id);
    await backdate(lost.id);

    const message = await harness.slack.waitFor(() => harness.slack.posted('CLOST')[0], 10_000);
    expect(message.metadata?.event_payload).toMatchObject({ delivery_id: lost.id });
    await waitUntil(async () => (await deliveryTo('CLOST'))?.status === 'sent', 'CLOST to be sent');

    // Several sweeps later the waiting delivery still waits for its own retry, in its place in the queue.
    await waitForSweeps(harness.metricsUrl, 3);
    expect(harness.slack.posted('CWAIT')).toHaveLength(0);
    expect((await deliveryTo('CWAIT'))!.status).toBe('pending');
    expect((await jobOf(waiting.id))!.run_at.getTime()).toBe(waitingJob.run_at.getTime());
    expect(harness.slack.posted('CLOST')).toHaveLength(1);
  });
});
