import { Client } from 'pg';
import { demoEvents, weekStart } from '../../src/cli/demo-week';
import { ADMIN, Harness, WEBHOOK_SECRET } from '../support/harness';
import { waitForSettledDeliveries } from '../support/metrics';
import { panelistCli } from '../support/panelist-cli';

/** `npx panelist demo`: a few weeks of interviews through the running app's own signed webhook. */
let harness: Harness;
let sql: Client;
const cli = panelistCli(
  () => harness.database.url,
  () => ({ INTERVIEW_WEBHOOK_SECRET: WEBHOOK_SECRET }),
);

beforeAll(async () => {
  harness = await Harness.start({ DIGEST_CLOCK: 'false' });
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await harness.stop();
});

const count = async (query: string) => Number((await sql.query(query)).rows[0].n);

describe('npx panelist demo', () => {
  it('sends weeks of signed events that post in following channels, fill the digest, and a second run adds nothing', async () => {
    await (await harness.spec('subscribe senior-backend-payments', ADMIN, { channelId: 'CDEMO' })).reply();
    const first = await cli.run('demo', '--weeks', '2', '--rate', '500', '--url', harness.baseUrl);
    const sent = Number(/Sending (\d+) interview events/.exec(first[0]!)?.[1]);
    expect(sent).toBeGreaterThan(10);
    expect(first.join('\n')).toMatch(new RegExp(`Done: ${sent} accepted\\.`));

    const interviews = await count(`SELECT count(*)::int AS n FROM interview WHERE id LIKE 'int_demo_%'`);
    const completedCount = await count(`SELECT count(*)::int AS n FROM interview WHERE id LIKE 'int_demo_%' AND status = 'completed'`);
    expect(interviews).toBeGreaterThan(0);
    expect(completedCount).toBeGreaterThan(0);
    expect(await count(`SELECT count(*)::int AS n FROM interview WHERE id LIKE 'int_demo_%' AND status = 'abandoned'`)).toBeGreaterThan(0);
    await waitForSettledDeliveries((q, v) => sql.query(q, v).then((r) => r.rows), `d.channel_id = $1`, ['CDEMO']);
    expect(await count(`SELECT count(*)::int AS n FROM delivery WHERE channel_id = 'CDEMO' AND status = 'sent'`)).toBe(completedCount);

    const again = await cli.run('demo', '--weeks', '2', '--rate', '500', '--url', harness.baseUrl);
    expect(again.join('\n')).toContain(`Done: ${sent} duplicate.`);
    expect(await count(`SELECT count(*)::int AS n FROM interview WHERE id LIKE 'int_demo_%'`)).toBe(interviews);

    const preview = (await cli.run('digests', 'preview', 'senior-backend-payments')).join('\n');
    expect(preview).not.toContain('Quiet week');
  });

  it('refuses bad options in words and sends nothing', async () => {
    const before = await count(`SELECT count(*)::int AS n FROM interview_event`);
    expect((await cli.refusal('demo', '--weeks', '0')).message).toBe('--weeks "0": give a whole number of weeks from 1 to 52.');
    expect((await cli.refusal('demo', '--rate', 'fast')).message).toContain('--rate "fast"');
    expect((await cli.refusal('demo', '--url', 'localhost')).message).toContain("give the app's address");
    expect((await cli.refusal('demo', '--spec', 'nope', '--url', harness.baseUrl)).message).toContain('No spec "nope"');
    expect((await cli.refusal('demo', '--url', 'http://127.0.0.1:9')).message).toContain('Panelist is not answering at http://127.0.0.1:9');
    expect(await count(`SELECT count(*)::int AS n FROM interview_event`)).toBe(before);
  });
});

describe('the demo week (pure)', () => {
  const versions = [{ number: 1, createdAt: new Date('2026-01-01T00:00:00Z'), competencyIds: ['a_one', 'b_two'] }];

  it('is the same events, byte for byte, on every run, and never in the future', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    const one = demoEvents({ specId: 'spec', weeks: 3, now, versions });
    expect(demoEvents({ specId: 'spec', weeks: 3, now, versions })).toEqual(one);
    expect(one.every((event) => event.at <= now)).toBe(true);
    expect(one[0]!.at >= new Date(weekStart(now).getTime() - 2 * 7 * 86_400_000)).toBe(true);
    const later = demoEvents({ specId: 'spec', weeks: 3, now: new Date('2026-11-27T12:00:00Z'), versions });
    // What was sent before is sent again unchanged: the platform's duplicates, not conflicts.
    const byId = new Map(later.map((event) => [event.body.id, JSON.stringify(event.body)]));
    for (const event of one) expect(byId.get(event.body.id)).toBe(JSON.stringify(event.body));
  });

  it('scores each interview with every competency of the version current when it started', () => {
    const edited = [...versions, { number: 2, createdAt: new Date('2026-11-24T00:00:00Z'), competencyIds: ['c_three'] }];
    const events = demoEvents({ specId: 'spec', weeks: 2, now: new Date('2026-11-28T23:00:00Z'), versions: edited });
    for (const event of events.filter((e) => e.body.type === 'interview.completed')) {
      const data = event.body.data as { started_at: string; scores: { competency_id: string }[]; interview_id: string };
      const expected = new Date(data.started_at) >= edited[1]!.createdAt ? ['c_three'] : ['a_one', 'b_two'];
      expect(data.scores.map((s) => s.competency_id)).toEqual(expected);
      expect(data.interview_id.endsWith(expected.length === 1 ? '_v2' : '_v1')).toBe(true);
    }
  });
});
