import { Client } from 'pg';
import { runCli } from '../../src/cli/main';
import { ADMIN, Harness, replyText } from '../support/harness';
import { EXAMPLE_SCORES, abandoned, completed, rescored, started } from '../support/interview-events';
import { waitForSettledDeliveries } from '../support/metrics';
import { waitUntil } from '../support/slack-events';

let harness: Harness;
let sql: Client;

beforeAll(async () => {
  harness = await Harness.start({ DELIVERY_MAX_ATTEMPTS: '3' });
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await harness.stop();
});

async function subscribe(channelId: string, text = 'subscribe senior-backend-payments') {
  const sent = await harness.spec(text, ADMIN, { channelId });
  return (await sent.reply()).text;
}

async function delivery(interviewId: string, channelId: string) {
  const rows = await sql.query('SELECT * FROM delivery WHERE subject_id = $1 AND channel_id = $2', [interviewId, channelId]);
  return rows.rows[0] as { id: string; status: string; message_id: string | null; attempts: number; last_error: string | null } | undefined;
}

describe('a completed interview becomes one message in every following channel', () => {
  it('posts candidate, overall score, a row per competency, the version and the report link', async () => {
    expect(await subscribe('CA')).toContain('This channel now follows `senior-backend-payments`');
    await subscribe('CB', 'subscribe all');
    const event = completed({ interviewId: 'int_first' });
    expect((await harness.webhook(event)).status).toBe(202);
    for (const channel of ['CA', 'CB']) {
      const message = await harness.slack.waitFor(() => harness.slack.posted(channel).find((m) => m.text.includes('77.9')));
      expect(message.text).toBe('Ada Lovelace scored 77.9/100 for senior-backend-payments (v1)');
      const blocks = JSON.stringify(message.blocks);
      for (const row of [
        '82.0* · Financial Systems Design · weight 0.30',
        '70.0* · FastAPI',
        'scored with v1',
        'https://interviews.example.com/r/int_first',
      ]) {
        expect(blocks).toContain(row);
      }
      expect(message.metadata).toEqual({
        event_type: 'panelist_delivery',
        event_payload: { delivery_id: (await delivery('int_first', channel))!.id },
      });
    }
  });

  it('hides the candidate’s name in a private subscription', async () => {
    await subscribe('CPRIV', 'subscribe senior-backend-payments private');
    await harness.webhook(completed({ interviewId: 'int_private' }));
    const message = await harness.slack.waitFor(() => harness.slack.posted('CPRIV').find((m) => m.text.includes('77.9')));
    expect(message.text).toContain('A candidate scored 77.9/100');
    expect(JSON.stringify(message)).not.toContain('Ada');
  });

  it('posts once for concurrent copies of one event, and once for a channel following both the spec and all', async () => {
    await subscribe('CDUP');
    await subscribe('CDUP', 'subscribe all');
    const event = completed({ interviewId: 'int_storm' });
    const answers = await Promise.all(Array.from({ length: 12 }, () => harness.webhook(event)));
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(11);
    await harness.slack.waitFor(() => harness.slack.posted('CDUP').length > 0);
    await waitForSettledDeliveries(async (text, values) => (await sql.query(text, values)).rows, "d.subject_id = 'int_storm'", []);
    expect(harness.slack.posted('CDUP')).toHaveLength(1);
    expect((await sql.query("SELECT count(*) FROM delivery WHERE subject_id = 'int_storm' AND channel_id = 'CDUP'")).rows[0].count).toBe(
      '1',
    );
  });

  it('updates the posted message in place on a rescore, in every channel', async () => {
    await subscribe('CRES');
    await harness.webhook(completed({ interviewId: 'int_rescore', sequence: 3 }));
    const posted = await harness.slack.waitFor(() => harness.slack.posted('CRES')[0]);
    const better = EXAMPLE_SCORES.map((s) => ({ ...s, score: 90 }));
    expect((await harness.webhook(rescored({ interviewId: 'int_rescore', sequence: 4, scores: better }))).status).toBe(202);
    await harness.slack.waitFor(() => (posted.updates > 0 && posted.text.includes('90.0') ? posted : undefined));
    expect(harness.slack.posted('CRES')).toHaveLength(1);
    expect(posted.text).toBe('Ada Lovelace scored 90.0/100 for senior-backend-payments (v1, rescored)');
    expect(harness.slack.callsTo('chat.update').some((call) => call.args.ts === posted.ts)).toBe(true);
  });

  it('never moves an interview backwards: an older sequence is recorded but changes nothing', async () => {
    await harness.webhook(completed({ interviewId: 'int_order', sequence: 5 }));
    const late = await harness.webhook(started({ interviewId: 'int_order', sequence: 1 }));
    expect(late.status).toBe(202);
    const lateAbandon = await harness.webhook(abandoned({ interviewId: 'int_order', sequence: 4 }));
    expect(lateAbandon.status).toBe(202);
    const interview = await sql.query("SELECT status, last_sequence FROM interview WHERE id = 'int_order'");
    expect(interview.rows[0]).toEqual({ status: 'completed', last_sequence: 5 });
    const events = await sql.query("SELECT status FROM interview_event WHERE interview_id = 'int_order' ORDER BY sequence");
    expect(events.rows.map((r) => r.status)).toEqual(['stale', 'stale', 'applied']);
  });
});

describe('talking to a Slack that misbehaves', () => {
  it('waits out a 429’s Retry-After and retries a 500, then posts once', async () => {
    await subscribe('CRATE');
    harness.slack.failIn('CRATE', 'chat.postMessage', { kind: 'status', status: 429, retryAfter: 1 }, { kind: 'status', status: 500 });
    const startedAt = Date.now();
    await harness.webhook(completed({ interviewId: 'int_ratelimited' }));
    await harness.slack.waitFor(() => harness.slack.posted('CRATE')[0], 10_000);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_000);
    await waitUntil(async () => (await delivery('int_ratelimited', 'CRATE'))?.status === 'sent', 'the rate-limited delivery');
    expect(harness.slack.posted('CRATE')).toHaveLength(1);
  });

  it('finds its own message after a post whose answer was lost, instead of posting twice', async () => {
    await subscribe('CDROP');
    harness.slack.failIn('CDROP', 'chat.postMessage', { kind: 'drop' });
    await harness.webhook(completed({ interviewId: 'int_dropped' }));
    await waitUntil(async () => (await delivery('int_dropped', 'CDROP'))?.message_id, 'the dropped post to be found');
    expect(harness.slack.posted('CDROP')).toHaveLength(1);
    const recorded = await delivery('int_dropped', 'CDROP');
    expect(recorded!.message_id).toBe(harness.slack.posted('CDROP')[0]!.ts);
    expect(harness.slack.callsTo('conversations.history').some((call) => call.args.channel === 'CDROP')).toBe(true);
  });

  it('dead-letters a delivery after its last attempt, lists it, and retries it on request', async () => {
    await subscribe('CDEAD');
    harness.slack.failIn(
      'CDEAD',
      'chat.postMessage',
      ...Array.from({ length: 3 }, () => ({ kind: 'error' as const, error: 'internal_error' })),
    );
    await harness.webhook(completed({ interviewId: 'int_dead' }));
    await waitUntil(async () => (await delivery('int_dead', 'CDEAD'))?.status === 'failed', 'the dead letter');
    const dead = (await delivery('int_dead', 'CDEAD'))!;
    expect(dead).toMatchObject({ attempts: 3, last_error: 'Slack error: internal_error' });
    expect(harness.slack.posted('CDEAD')).toHaveLength(0);

    const listed = await cli(['deliveries', 'list', '--failed']);
    expect(listed).toContain(`${dead.id}\tfailed\tattempts=3\tslack\tCDEAD\tinterview.result\tint_dead\tSlack error: internal_error`);
    expect(await cli(['deliveries', 'retry', dead.id])).toBe(`re-queued 1: ${dead.id}`);
    await harness.slack.waitFor(() => harness.slack.posted('CDEAD')[0]);
    await waitUntil(async () => (await delivery('int_dead', 'CDEAD'))?.status === 'sent', 'the retried dead letter');
    expect(harness.slack.posted('CDEAD')).toHaveLength(1);
    expect(await cli(['deliveries', 'list', '--failed'])).not.toContain(dead.id);
  });

  it('pauses the subscription when the bot is not in the channel, and says so', async () => {
    harness.slack.notInChannel.add('CGONE');
    const answer = await subscribe('CGONE');
    expect(answer).toContain('Invite me with `/invite @Panelist`');
    await harness.webhook(completed({ interviewId: 'int_gone' }));
    await waitUntil(async () => (await delivery('int_gone', 'CGONE'))?.status === 'paused', 'the paused delivery');
    const dm = await harness.slack.waitFor(() => harness.slack.posted(ADMIN.id)[0]);
    expect(dm.text).toContain('subscriptions are paused');
    const listing = replyText(await (await harness.spec('subscriptions', ADMIN, { channelId: 'CGONE' })).reply());
    expect(listing).toContain('paused: not_in_channel');

    // Invited back and subscribed again: the held message follows.
    harness.slack.notInChannel.delete('CGONE');
    expect(await subscribe('CGONE')).toContain('follows again');
    await harness.slack.waitFor(() => harness.slack.posted('CGONE')[0]);
  });
});

describe('/spec show', () => {
  it('shows live performance equal to a recount of the interviews received', async () => {
    const scoresOf = (score: number) => EXAMPLE_SCORES.map((s) => ({ ...s, score }));
    for (const event of [
      started({ interviewId: 'live_started', sequence: 1 }),
      started({ interviewId: 'live_abandoned', sequence: 1 }),
      abandoned({ interviewId: 'live_abandoned', sequence: 2 }),
      completed({ interviewId: 'live_low', sequence: 3, scores: scoresOf(41.3) }),
      rescored({ interviewId: 'live_low', sequence: 4, scores: scoresOf(44.4) }),
      completed({ interviewId: 'live_high', sequence: 3, scores: scoresOf(93.7) }),
    ]) {
      expect((await harness.webhook(event)).status).toBe(202);
    }
    const recount = await sql.query<{ started: number; completed: number; abandoned: number; average: string }>(
      `SELECT count(*) FILTER (WHERE started_at IS NOT NULL)::int AS started,
              count(*) FILTER (WHERE status = 'completed')::int AS completed,
              count(*) FILTER (WHERE status = 'abandoned')::int AS abandoned,
              round(avg(overall_milli) FILTER (WHERE status = 'completed') / 1000.0, 1)::text AS average
       FROM interview`,
    );
    const perCompetency = await sql.query<{ competency_id: string; average: string; n: number }>(
      `SELECT s.competency_id, round(avg(s.score_tenths) / 10.0, 1)::text AS average, count(*)::int AS n
       FROM interview_score s JOIN interview i ON i.id = s.interview_id WHERE i.status = 'completed' GROUP BY s.competency_id`,
    );
    const { started: begun, completed: done, abandoned: dropped, average } = recount.rows[0]!;
    expect(done).toBeGreaterThan(1);
    expect(dropped).toBeGreaterThan(0);

    const text = replyText(await (await harness.spec('show senior-backend-payments')).reply());
    // Completion as the platform's page counts it, completed ÷ started, half up. One interview is
    // still under way, so it differs from the old completed ÷ (completed + abandoned).
    const percent = Math.floor((200 * done + begun) / (2 * begun));
    expect(begun).toBeGreaterThan(done + dropped);
    expect(percent).not.toBe(Math.floor((200 * done + done + dropped) / (2 * (done + dropped))));
    expect(text).toContain(
      `Interviews *${begun}* · completion *${done} of ${begun} (${percent}%)* · ${dropped} abandoned · average score *${average}*`,
    );
    for (const row of perCompetency.rows) expect(text).toContain(`\`${row.competency_id}\` ${row.average} (n=${row.n})`);
  });
});

/** The operator CLI, run in-process against this test's database. */
async function cli(args: string[]): Promise<string> {
  const lines: string[] = [];
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = harness.database.url;
  try {
    expect(await runCli(args, (line) => lines.push(line))).toBe(0);
  } finally {
    if (previous === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous;
  }
  return lines.join('\n');
}
