import { Client } from 'pg';
import { createDigestService } from '../../src/composition';
import { loadConfig } from '../../src/config';
import { createDb, type Db } from '../../src/store/db';
import { ADMIN, Harness, SIGNING_SECRET } from '../support/harness';
import { abandoned, completed, demoScores, started } from '../support/interview-events';
import { waitForSettledDeliveries } from '../support/metrics';
import { panelistCli } from '../support/panelist-cli';

let harness: Harness;
let sql: Client;
let db: Db;

beforeAll(async () => {
  harness = await Harness.start({ DIGEST_CLOCK: 'false' });
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
  db = createDb(harness.database.url, { max: 4 });
  await handMadeWeek();
});
afterAll(async () => {
  await db.$disconnect();
  await sql.end();
  await harness.stop();
});

/** The week of 2026-11-16 09:00Z – 2026-11-23 09:00Z, and one interview the week before. */
async function handMadeWeek() {
  const events = [
    completed({
      interviewId: 'w1',
      candidateName: 'Grace Hopper',
      startedAt: '2026-11-17T10:00:00Z',
      completedAt: '2026-11-17T11:00:00Z',
      scores: demoScores([80, 70, 90, 60, 50]),
    }),
    completed({
      interviewId: 'w2',
      candidateName: 'Alan Turing',
      startedAt: '2026-11-18T10:00:00Z',
      completedAt: '2026-11-18T11:00:00Z',
      scores: demoScores([90, 90, 90, 90, 90]),
    }),
    started({ interviewId: 'w3', startedAt: '2026-11-19T10:00:00Z', sequence: 1 }),
    abandoned({ interviewId: 'w3', abandonedAt: '2026-11-19T10:30:00Z', sequence: 2 }),
    started({ interviewId: 'w4', startedAt: '2026-11-22T08:00:00Z' }),
    completed({
      interviewId: 'w5',
      candidateName: 'Ada Lovelace',
      startedAt: '2026-11-15T10:00:00Z',
      completedAt: '2026-11-16T10:00:00Z',
      scores: demoScores([60, 60, 60, 60, 60]),
    }),
    // completed exactly at the end of the period: it belongs to the next one
    completed({
      interviewId: 'w6',
      candidateName: 'Late Larry',
      startedAt: '2026-11-23T08:30:00Z',
      completedAt: '2026-11-23T09:00:00Z',
      scores: demoScores([100, 100, 100, 100, 100]),
    }),
    completed({
      interviewId: 'p1',
      candidateName: 'Previous Pat',
      startedAt: '2026-11-10T10:00:00Z',
      completedAt: '2026-11-10T11:00:00Z',
      scores: demoScores([70, 70, 70, 70, 70]),
    }),
  ];
  for (const event of events) expect((await harness.webhook(event)).status).toBe(202);
}

async function subscribe(channelId: string, text: string) {
  return (await (await harness.spec(text, ADMIN, { channelId })).reply()).text;
}

/** `npx panelist …` in-process, configured like the app (same database, same fake Slack). */
const panelist = panelistCli(
  () => harness.database.url,
  () => ({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: harness.slack.apiUrl,
    LOG_LEVEL: 'silent',
  }),
);
const cli = async (args: string[]) => (await panelist.run(...args)).join('\n');

async function digestsFor(channelId: string) {
  const rows = await sql.query(
    `SELECT d.* FROM digest d JOIN digest_schedule s ON s.id = d.schedule_id WHERE s.channel_id = $1 ORDER BY period_end`,
    [channelId],
  );
  return rows.rows as { id: string; period_start: Date; period_end: Date; late: boolean }[];
}

const service = () => createDigestService(loadConfig({ DATABASE_URL: harness.database.url }), db);

describe('the numbers of a hand-made week', () => {
  it('match what was computed by hand', async () => {
    expect(await subscribe('CW', 'subscribe senior-backend-payments')).toContain('now follows');
    expect(await subscribe('CW', 'digest monday 09:00 UTC')).toContain('Mondays at 09:00 (UTC)');
    expect(await cli(['digests', 'run', '--at', '2026-11-23T09:05:00Z'])).toContain('claimed');
    const [digest] = await digestsFor('CW');
    expect(digest).toMatchObject({
      period_start: new Date('2026-11-16T09:00:00Z'),
      period_end: new Date('2026-11-23T09:00:00Z'),
      late: false,
    });
    const view = (await service().view(digest!.id))!;
    const section = view.specs[0]!;
    expect(section).toMatchObject({
      started: 5, // w1 w2 w3 w4 w6
      completed: 3, // w1 w2 w5
      abandoned: 1, // w3
      averageScore: '74.5', // (73.5 + 90 + 60) / 3
      previous: { started: 2, completed: 1, abandoned: 0, averageScore: '70.0' }, // w5 p1; p1
    });
    expect(section.competencies.map((c) => [c.id, c.average, c.n])).toEqual([
      ['financial_systems_design', '76.7', 3], // (80 + 90 + 60) / 3 = 76.67
      ['distributed_systems_reliability', '73.3', 3],
      ['postgres_schema_design', '80.0', 3],
      ['production_ownership', '70.0', 3],
      ['fastapi_kafka_systems', '66.7', 3],
    ]);
    expect(section.top.map((t) => [t.candidateName, t.overall])).toEqual([
      ['Alan Turing', '90.0'],
      ['Grace Hopper', '73.5'],
      ['Ada Lovelace', '60.0'],
    ]);
    const message = await harness.slack.waitFor(() => harness.slack.posted('CW')[0]);
    expect(JSON.stringify(message.blocks)).toContain('74.5');
    // completion as the platform's page counts it: 3 ÷ 5 started = 60% (not 3 ÷ (3 + 1 abandoned) = 75%),
    // against 1 ÷ 2 = 50% the week before (not 1 ÷ 1 = 100%)
    expect(JSON.stringify(message.blocks)).toContain('completion 60% (▲10 pts): 3 completed ÷ 5 started this week');
  });

  it('sends nothing the second time', async () => {
    expect(await cli(['digests', 'run', '--at', '2026-11-23T09:05:00Z'])).toContain('no digests due');
    expect(await digestsFor('CW')).toHaveLength(1);
    expect(harness.slack.posted('CW')).toHaveLength(1);
  });

  it('previews a spec’s digest as text', async () => {
    const text = await cli(['digests', 'preview', 'senior-backend-payments', '--at', '2026-11-23T09:00:00Z']);
    expect(text).toContain('74.5');
    expect(text).toContain('Alan Turing');
    expect(text).toContain('  completion 60% (▲10 pts): 3 completed ÷ 5 started this week · average score 74.5 (▲4.5)');
  });
});

describe('exactly once, whoever runs the clock', () => {
  it('two schedulers racing for the same period claim one digest', async () => {
    await subscribe('CRACE', 'subscribe all');
    await sql.query(`UPDATE digest_schedule SET next_run_at = now() - interval '1 minute' WHERE channel_id = 'CRACE'`);
    const other = createDb(harness.database.url, { max: 2 });
    try {
      const now = new Date();
      const [a, b] = await Promise.all([service().claimDue(now), createDigestService(loadConfig({}), other).claimDue(now)]);
      const mine = (await digestsFor('CRACE')).map((d) => d.id);
      expect(mine).toHaveLength(1);
      expect([...a, ...b].filter((claim) => mine.includes(claim.id))).toHaveLength(1);
    } finally {
      await other.$disconnect();
    }
    // once every delivery of the channel has settled, nothing more can be posted: count then
    await harness.slack.waitFor(() => harness.slack.posted('CRACE')[0]);
    await waitForSettledDeliveries((query, values) => sql.query(query, values).then((result) => result.rows), `d.channel_id = $1`, [
      'CRACE',
    ]);
    const unsettled = async () =>
      Number((await sql.query(`SELECT count(*) AS n FROM delivery WHERE channel_id = 'CRACE' AND status = 'pending'`)).rows[0].n);
    expect(await unsettled()).toBe(0);
    expect(harness.slack.posted('CRACE')).toHaveLength(1);
  });

  it('a scheduler started weeks late sends the missed digest once, marked late', async () => {
    await subscribe('CLATE', 'subscribe senior-backend-payments');
    await sql.query(`UPDATE digest_schedule SET next_run_at = now() - interval '21 days' WHERE channel_id = 'CLATE'`);
    await service().claimDue(new Date());
    await service().claimDue(new Date());
    const digests = await digestsFor('CLATE');
    expect(digests).toHaveLength(1);
    const nextRun = (await sql.query(`SELECT next_run_at FROM digest_schedule WHERE channel_id = 'CLATE'`)).rows[0].next_run_at as Date;
    expect(nextRun.getTime()).toBeGreaterThan(Date.now());
    const occurrenceAge = Date.now() - digests[0]!.period_end.getTime();
    expect(digests[0]!.late).toBe(occurrenceAge > 10 * 60 * 1000);
  });
});

describe('what a channel sees', () => {
  it('hides candidate names in a private channel', async () => {
    await subscribe('CPRIVATE', 'subscribe senior-backend-payments private');
    await subscribe('CPRIVATE', 'digest monday 09:00 UTC');
    await cli(['digests', 'run', '--at', '2026-11-23T09:05:00Z']);
    const [digest] = await digestsFor('CPRIVATE');
    const view = (await service().view(digest!.id))!;
    expect(view.specs[0]!.top.every((t) => t.candidateName === null)).toBe(true);
    const message = await harness.slack.waitFor(() => harness.slack.posted('CPRIVATE')[0]);
    for (const name of ['Alan', 'Grace', 'Ada']) expect(JSON.stringify(message)).not.toContain(name);
  });

  it('shares one reading of a week between channels, names shown to a public one and hidden from a private one', async () => {
    await subscribe('CSHAREPRIV', 'subscribe senior-backend-payments private');
    await subscribe('CSHAREPUB', 'subscribe senior-backend-payments');
    for (const channel of ['CSHAREPRIV', 'CSHAREPUB']) await subscribe(channel, 'digest monday 09:00 UTC');
    await cli(['digests', 'run', '--at', '2026-11-23T09:05:00Z']);
    const [hidden] = await digestsFor('CSHAREPRIV');
    const [shown] = await digestsFor('CSHAREPUB');
    const digests = service();
    const names = async (id: string) => (await digests.view(id))!.specs[0]!.top.map((t) => t.candidateName);
    expect(await names(hidden!.id)).toEqual([null, null, null]);
    expect((await names(shown!.id)).every((name) => typeof name === 'string' && name.length > 0)).toBe(true);
    expect(await names(hidden!.id)).toEqual([null, null, null]);
  });

  it('says a quiet week in a short message', async () => {
    await subscribe('CQUIET', 'subscribe senior-backend-payments');
    await subscribe('CQUIET', 'digest monday 09:00 UTC');
    await cli(['digests', 'run', '--at', '2026-06-01T09:05:00Z']);
    const message = await harness.slack.waitFor(() => harness.slack.posted('CQUIET')[0]);
    expect(message.text.toLowerCase()).toContain('quiet week');
  });

  it('computes the period in the channel’s zone across a daylight-saving change', async () => {
    await subscribe('CNY', 'subscribe senior-backend-payments');
    expect(await subscribe('CNY', 'digest monday 09:00 America/New_York')).toContain('America/New_York');
    await cli(['digests', 'run', '--at', '2026-11-02T14:05:00Z']);
    const [digest] = await digestsFor('CNY');
    expect(digest).toMatchObject({ period_start: new Date('2026-10-26T13:00:00Z'), period_end: new Date('2026-11-02T14:00:00Z') });
  });

  it('shows the schedule and next run in /spec subscriptions, and stops with /spec digest off', async () => {
    expect(await subscribe('CNY', 'subscriptions')).toContain('Weekly digest Mondays at 09:00 (America/New_York); next');
    expect(await subscribe('CNY', 'digest off')).toContain('No more weekly digests');
    expect(await subscribe('CNY', 'subscriptions')).toContain('Weekly digest: off');
    const refused = await harness.spec('digest someday 09:00', ADMIN, { channelId: 'CNY' });
    expect((refused.ack.json() as { text: string }).text).toContain('"someday" is not a day of the week');
  });

  it('gives a channel one schedule when several people subscribe it at the same moment', async () => {
    const answers = await Promise.all(
      ['subscribe senior-backend-payments', 'subscribe all', 'subscribe senior-backend-payments private', 'subscribe all private'].map(
        async (text) => (await (await harness.spec(text, ADMIN, { channelId: 'CRACE' })).reply()).text,
      ),
    );
    for (const answer of answers) expect(answer).not.toMatch(/went wrong/i);
    const schedules = await sql.query(`SELECT count(*)::int AS n FROM digest_schedule WHERE channel_id = 'CRACE'`);
    expect(schedules.rows[0].n).toBe(1);
  });
});
