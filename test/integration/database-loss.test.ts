import { Client } from 'pg';
import { ADMIN, Harness } from '../support/harness';
import { completed } from '../support/interview-events';
import { waitUntil } from '../support/slack-events';

// PostgreSQL cutting every connection (a restart, a failover) must not stop deliveries for good.
let harness: Harness;
let admin: Client;

beforeAll(async () => {
  harness = await Harness.start({ SWEEP_INTERVAL_MS: '200' });
  admin = new Client({ connectionString: harness.database.url });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await harness.stop();
});

/** What a server restart does to the app: every one of its connections ends with 57P01. */
async function terminateAppConnections(): Promise<number> {
  const result = await admin.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  return result.rowCount ?? 0;
}

const reportsIn = (channel: string) =>
  harness.slack.posted(channel).map((message) => /\/r\/(int_\w+)/.exec(JSON.stringify(message.blocks))?.[1]);

/** As the interview platform does: a 503 (database unreachable) is retried until another answer comes. */
function sendUntilAccepted(event: unknown) {
  return waitUntil(async () => {
    const answer = await harness.webhook(event);
    return answer.status !== 503 && answer;
  }, 'the webhook to answer other than 503');
}

/** The app's connections in its database, once it has opened any again. */
const appConnections = async () =>
  Number(
    (
      await admin.query(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      )
    ).rows[0].n,
  );

describe('losing every database connection', () => {
  it('keeps delivering after the connections come back, and recovers the work that was in flight', async () => {
    await (await harness.spec('subscribe senior-backend-payments', ADMIN, { channelId: 'CDB' })).reply();
    await harness.webhook(completed({ interviewId: 'int_before' }));
    await harness.slack.waitFor(() => harness.slack.posted('CDB')[0]);

    // Cut the connections while deliveries are being fetched, run and completed.
    harness.slack.failIn('CDB', 'chat.postMessage', ...Array.from({ length: 5 }, () => ({ kind: 'delay' as const, ms: 150 })));
    const inFlight = Array.from({ length: 5 }, (_, i) => harness.webhook(completed({ interviewId: `int_during_${i}` })));
    for (const answer of await Promise.all(inFlight)) expect(answer.status).toBe(202);
    expect(await terminateAppConnections()).toBeGreaterThan(0);
    // A second cut as soon as the app has reconnected, as a flapping server would.
    await waitUntil(async () => (await appConnections()) > 0, 'the app to reconnect');
    await terminateAppConnections();

    // New work flows as soon as the connections are back: the worker came back by itself.
    const after = await sendUntilAccepted(completed({ interviewId: 'int_after' }));
    expect(after.status).toBe(202);
    // Generous: the worker's restart backs off 1, 2, 4 s… and a loaded two-core machine can need several.
    await harness.slack.waitFor(() => reportsIn('CDB').includes('int_after') || undefined, 40_000);

    // Work cut off mid-flight keeps its lease (and its job's lock) until they expire, so a post that
    // may have reached Slack is never raced; let two minutes pass for them, and the sweeper takes over.
    await admin.query(`UPDATE delivery SET lease_until = now() - interval '1 second', updated_at = now() - interval '2 minutes',
                         next_attempt_at = now() - interval '2 minutes' WHERE status = 'pending'`);
    await admin.query(`UPDATE graphile_worker._private_jobs SET locked_at = now() - interval '3 minutes' WHERE locked_at IS NOT NULL`);
    const expected = ['int_before', ...Array.from({ length: 5 }, (_, i) => `int_during_${i}`), 'int_after'].sort();
    await harness.slack.waitFor(() => expected.every((id) => reportsIn('CDB').includes(id)) || undefined, 40_000);
    expect(reportsIn('CDB').sort()).toEqual(expected);
  }, 100_000);

  it('closes every connection it opened when it stops', async () => {
    await harness.app.stop();
    // pg's pool.end() resolves as its last connection starts closing, not once it has closed.
    const open = () =>
      admin
        .query<{ application: string }>(
          `SELECT application_name AS application FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        )
        .then((result) => result.rows.map((row) => row.application));
    await waitUntil(async () => (await open()).length === 0, 'the app to close its connections', 1_000).catch(() => undefined);
    expect(await open()).toEqual([]);
  });
});
