import { Client } from 'pg';
import { Harness, WEBHOOK_SECRET } from '../support/harness';
import { EXAMPLE_SCORES, completed, started } from '../support/interview-events';
import { signInterviewBody } from '../../src/webhooks/signature';

let harness: Harness;
let sql: Client;

beforeAll(async () => {
  harness = await Harness.start({ INTERVIEW_WEBHOOK_SECRET: `old-secret, ${WEBHOOK_SECRET}` });
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await harness.stop();
});

const count = async (table: string) => Number((await sql.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

describe('POST /webhooks/interviews answers as the contract says', () => {
  it('202 accepted the first time, 200 duplicate for the same body, 409 for another body under the same id', async () => {
    const event = completed();
    expect(await harness.webhook(event)).toEqual({ status: 202, body: { status: 'accepted' } });
    expect(await harness.webhook(event)).toEqual({ status: 200, body: { status: 'duplicate' } });
    const changed = { ...event, data: { ...event.data, report_url: 'https://interviews.example.com/r/other' } };
    const conflict = await harness.webhook(changed);
    expect(conflict.status).toBe(409);
    expect(String(conflict.body.error)).toContain(event.id);
    expect((await sql.query('SELECT count(*) FROM interview_event WHERE id = $1', [event.id])).rows[0].count).toBe('1');
  });

  it('accepts a signature made with any secret of the rotation list', async () => {
    const event = started();
    const raw = JSON.stringify(event);
    const t = Math.floor(Date.now() / 1000);
    expect((await harness.webhook(event, { raw, signature: signInterviewBody('old-secret', raw, t) })).status).toBe(202);
  });

  it('400 for a body that is not JSON, and for one that is not the schema, with field paths', async () => {
    const notJson = await harness.webhook(undefined, { raw: '{"id": ' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toBe('The body is not JSON.');

    const event = completed() as Record<string, unknown> & { data: Record<string, unknown> };
    const broken = { ...event, data: { ...event.data, spec_id: 'not-a-uuid', candidate: undefined, scores: [{ competency_id: 'x' }] } };
    const answer = await harness.webhook(broken);
    expect(answer.status).toBe(400);
    const paths = (answer.body.issues as { path: string }[]).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['data.spec_id', 'data.candidate', 'data.scores.0.score']));
  });

  it('400 for text PostgreSQL cannot store (NUL, half a surrogate pair), anywhere in the body; nothing is stored', async () => {
    const before = await count('interview_event');
    for (const raw of [
      JSON.stringify(completed({ candidateName: 'Ada \u0000' })),
      JSON.stringify(completed()).replace('"Ada Lovelace"', '"Ada \\ud800"'),
      JSON.stringify({ ...completed(), extra: 'x\u0000' }),
    ]) {
      const answer = await harness.webhook(undefined, { raw });
      expect(answer.status).toBe(400);
      expect(answer.body.issues).toEqual([
        { path: expect.stringMatching(/^(data\.candidate\.name|extra)$/), message: expect.stringContaining('cannot be stored') },
      ]);
    }
    expect(await count('interview_event')).toBe(before);
  });

  it('401 for a missing or bad signature and for a timestamp outside five minutes; nothing is stored', async () => {
    const before = await count('interview_event');
    const event = completed();
    const raw = JSON.stringify(event);
    expect((await harness.webhook(event, { signature: '' })).status).toBe(401);
    expect((await harness.webhook(event, { secret: 'wrong-secret' })).status).toBe(401);
    const old = Math.floor(Date.now() / 1000) - 301;
    const stale = await harness.webhook(event, { raw, signature: signInterviewBody(WEBHOOK_SECRET, raw, old) });
    expect(stale.status).toBe(401);
    expect(String(stale.body.error)).toContain('301');
    expect(await count('interview_event')).toBe(before);
  });

  it('413 for a body over 1 MiB', async () => {
    const event = completed();
    const huge = { ...event, padding: 'x'.repeat(1024 * 1024) };
    expect((await harness.webhook(huge)).status).toBe(413);
  });

  it('422 for scores that cannot be: unknown competency, missing score, out of range; nothing is stored', async () => {
    const before = await count('interview_event');
    const unknown = await harness.webhook(completed({ scores: [...EXAMPLE_SCORES.slice(0, 4), { competency_id: 'kotlin', score: 70 }] }));
    expect(unknown.status).toBe(422);
    expect(String(unknown.body.error)).toContain('unknown competency "kotlin"');
    expect(String(unknown.body.error)).toContain('missing score for "fastapi_kafka_systems"');
    const outOfRange = await harness.webhook(completed({ scores: EXAMPLE_SCORES.map((s, i) => (i === 0 ? { ...s, score: 100.5 } : s)) }));
    expect(outOfRange.status).toBe(422);
    expect(String(outOfRange.body.error)).toContain('outside 0–100');
    expect(await count('interview_event')).toBe(before);
  });

  it('parks an event for a spec it does not know yet', async () => {
    const parked = await harness.webhook(completed({ specId: '11111111-2222-4333-8444-555555555555' }));
    expect(parked).toEqual({ status: 202, body: { status: 'parked' } });
  });

  it('503 while the database is unreachable, with nothing written; accepts again when it is back', async () => {
    const database = new URL(harness.database.url).pathname.slice(1);
    const admin = new Client({ connectionString: process.env.PANELIST_TEST_ADMIN_URL });
    await admin.connect();
    const before = await count('interview_event');
    await sql.end();
    try {
      await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
        database,
      ]);
      const event = completed();
      const down = await harness.webhook(event);
      expect(down.status).toBe(503);
      await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
      sql = new Client({ connectionString: harness.database.url });
      await sql.connect();
      expect(await count('interview_event')).toBe(before);
      expect((await harness.webhook(event)).status).toBe(202);
    } finally {
      await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
  });
});

describe('parked events are applied when their spec is created', () => {
  it('applies a parked completion when the demo spec is seeded, and posts it', async () => {
    const parkedHarness = await Harness.start({ SEED_DEMO: 'false' });
    try {
      expect((await (await parkedHarness.spec('subscribe all')).reply()).text).toContain('now follows every spec');
      const event = completed({ interviewId: 'int_parked' });
      expect((await parkedHarness.webhook(event)).body).toEqual({ status: 'parked' });
      expect(parkedHarness.slack.posted('C1')).toHaveLength(0);
      // Restarting with the seed on creates the spec, which applies what was parked.
      await parkedHarness.restart({ SEED_DEMO: 'true' });
      const message = await parkedHarness.slack.waitFor(() => parkedHarness.slack.posted('C1')[0], 20_000);
      expect(message.text).toContain('Ada Lovelace scored 77.9/100');
    } finally {
      await parkedHarness.stop();
    }
  });
});
