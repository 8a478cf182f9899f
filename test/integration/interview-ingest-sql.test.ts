import { Client } from 'pg';
import { ADMIN, Harness } from '../support/harness';
import { DEMO_SPEC_ID, EXAMPLE_SCORES, abandoned, completed, rescored, started } from '../support/interview-events';
import { recountedTotals, storedTotals } from '../support/rollup-recount';

let harness: Harness;
let sql: Client;

// These tests check where the ingest itself puts each contribution (bucket and shard); the app's
// periodic fold would move old buckets to shard 0 meanwhile (rollup-fold.test.ts covers that).
const NO_FOLD = { SWEEP_INTERVAL_MS: '600000' };

beforeAll(async () => {
  harness = await Harness.start(NO_FOLD);
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await harness.stop();
});

const scoresOf = (score: number) => EXAMPLE_SCORES.map((s) => ({ ...s, score }));

async function send(events: unknown[]): Promise<void> {
  for (const event of events) expect((await harness.webhook(event)).status).toBe(202);
}

describe('rollups kept by the ingest equal a full recount of the interviews', () => {
  it('after events in and out of order, rescores, abandonments and concurrent interviews', async () => {
    await send([
      started({ interviewId: 'ru_a', sequence: 1 }),
      completed({ interviewId: 'ru_a', sequence: 3 }),
      rescored({ interviewId: 'ru_a', sequence: 4, scores: scoresOf(90) }),
      // completion first, then its late start: stale
      completed({ interviewId: 'ru_b', sequence: 3, startedAt: '2026-11-23T09:00:00Z', completedAt: '2026-11-24T10:07:00Z' }),
      started({ interviewId: 'ru_b', sequence: 1 }),
      started({ interviewId: 'ru_c', sequence: 1 }),
      abandoned({ interviewId: 'ru_c', sequence: 2 }),
      // abandoned after completion stays completed; completed after abandoned becomes completed
      completed({ interviewId: 'ru_d', sequence: 3 }),
      abandoned({ interviewId: 'ru_d', sequence: 5 }),
      abandoned({ interviewId: 'ru_e', sequence: 2 }),
      completed({ interviewId: 'ru_e', sequence: 3, scores: scoresOf(55.5) }),
      // a rescore before any completion, then the (older) completion: stale
      rescored({ interviewId: 'ru_f', sequence: 4 }),
      completed({ interviewId: 'ru_f', sequence: 3 }),
    ]);
    await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        const interviewId = `ru_many_${i}`;
        await send([
          completed({
            interviewId,
            sequence: 3,
            completedAt: `2026-11-23T17:${String(10 + i).padStart(2, '0')}:00Z`,
            scores: scoresOf(60 + i),
          }),
          rescored({ interviewId, sequence: 4, scores: scoresOf(40 + i) }),
        ]);
      }),
    );

    await expectRollupsToMatchRecount(sql);
    const e = await sql.query("SELECT status, overall_milli, abandoned_at IS NOT NULL AS abandoned FROM interview WHERE id = 'ru_e'");
    expect(e.rows[0]).toEqual({ status: 'completed', overall_milli: 55500, abandoned: true });
  });

  it('keeps the candidate, report link and completion when a rescore replaces the scores', async () => {
    await send([
      completed({ interviewId: 'ru_keep', sequence: 3 }),
      rescored({ interviewId: 'ru_keep', sequence: 4, scores: scoresOf(80) }),
    ]);
    const row = await sql.query(
      "SELECT candidate_name, candidate_email, report_url, completed_at, rescored, overall_milli FROM interview WHERE id = 'ru_keep'",
    );
    expect(row.rows[0]).toEqual({
      candidate_name: 'Ada Lovelace',
      candidate_email: 'ada@example.com',
      report_url: 'https://interviews.example.com/r/ru_keep',
      completed_at: new Date('2026-11-23T17:42:10Z'),
      rescored: true,
      overall_milli: 80000,
    });
    const scores = await sql.query(
      "SELECT competency_id, score_tenths, rationale FROM interview_score WHERE interview_id = 'ru_keep' ORDER BY competency_id",
    );
    expect(scores.rows).toHaveLength(EXAMPLE_SCORES.length);
    expect(scores.rows.every((s) => s.score_tenths === 800)).toBe(true);
    expect(scores.rows.find((s) => s.competency_id === 'financial_systems_design').rationale).toBe(EXAMPLE_SCORES[0]!.rationale);
  });
});

describe('one statement fans a result out to its followers', () => {
  it('a channel following the spec publicly and all specs privately gets one message, private', async () => {
    const subscribe = async (text: string) => (await harness.spec(text, ADMIN, { channelId: 'CMIX' })).reply();
    await subscribe('subscribe senior-backend-payments');
    await subscribe('subscribe all private');
    await send([completed({ interviewId: 'ru_mix' })]);
    const message = await harness.slack.waitFor(() => harness.slack.posted('CMIX').find((m) => m.text.includes('77.9')));
    expect(message.text).toContain('A candidate scored 77.9/100');
    const rows = await sql.query(
      "SELECT s.private FROM delivery d JOIN subscription s ON s.id = d.subscription_id WHERE d.subject_id = 'ru_mix' AND d.channel_id = 'CMIX'",
    );
    expect(rows.rows).toEqual([{ private: true }]);
  });
});

describe('parked events replayed when their spec is created', () => {
  it('are applied in sequence order through the same SQL: stale, rejected, rollups and deliveries alike', async () => {
    const parked = await Harness.start({ ...NO_FOLD, SEED_DEMO: 'false' });
    const db = new Client({ connectionString: parked.database.url });
    await db.connect();
    try {
      expect((await (await parked.spec('subscribe all')).reply()).text).toContain('now follows every spec');
      const unknown = [...EXAMPLE_SCORES.slice(1), { competency_id: 'telepathy', score: 50 }];
      const events = [
        completed({ interviewId: 'rp_a', sequence: 3, id: 'evt_rp_a3' }),
        started({ interviewId: 'rp_a', sequence: 1, id: 'evt_rp_a1' }),
        rescored({ interviewId: 'rp_a', sequence: 4, id: 'evt_rp_a4', scores: scoresOf(88) }),
        abandoned({ interviewId: 'rp_a', sequence: 4, id: 'evt_rp_a4b' }),
        completed({ interviewId: 'rp_b', sequence: 3, id: 'evt_rp_b3', scores: unknown }),
        started({ interviewId: 'rp_c', sequence: 1, id: 'evt_rp_c1' }),
      ];
      for (const event of events) expect((await parked.webhook(event)).body).toEqual({ status: 'parked' });
      await parked.restart({ SEED_DEMO: 'true' });

      const statuses = await db.query("SELECT id, status FROM interview_event WHERE id LIKE 'evt_rp_%' ORDER BY id");
      expect(Object.fromEntries(statuses.rows.map((r) => [r.id, r.status]))).toEqual({
        evt_rp_a1: 'applied',
        evt_rp_a3: 'applied',
        evt_rp_a4: 'applied',
        evt_rp_a4b: 'stale',
        evt_rp_b3: 'rejected',
        evt_rp_c1: 'applied',
      });
      const a = await db.query("SELECT status, overall_milli, rescored FROM interview WHERE id = 'rp_a'");
      expect(a.rows[0]).toEqual({ status: 'completed', overall_milli: 88000, rescored: true });
      expect((await db.query("SELECT count(*)::int AS n FROM interview WHERE id = 'rp_b'")).rows[0].n).toBe(0);
      const message = await parked.slack.waitFor(() => parked.slack.posted('C1').find((m) => m.text.includes('88.0')), 20_000);
      expect(message.text).toContain('Ada Lovelace scored 88.0/100');
      expect((await db.query("SELECT count(*)::int AS n FROM delivery WHERE subject_id = 'rp_a'")).rows[0].n).toBe(1);
      await expectRollupsToMatchRecount(db);
    } finally {
      await db.end();
      await parked.stop();
    }
  });
});

/** Where the ingest put each contribution (bucket and shard) equals a recount from the interviews. */
async function expectRollupsToMatchRecount(db: Client): Promise<void> {
  expect(await storedTotals(db, DEMO_SPEC_ID, { perShard: true })).toEqual(await recountedTotals(db, DEMO_SPEC_ID, { perShard: true }));
}
