import type { Client as PgClient } from 'pg';
import { competencyRollupSelect, generatedId, generatedScore, generatedScores, interviewRollupSelect } from './digest-sql';
import { DEMO_SLUG } from './channels';

/**
 * Figure 8's data, written straight into the figure's own database in set-based SQL (seconds for
 * 10,000 channels, where 10,000 signed `/spec subscribe` commands would take minutes):
 *  - `workspaces` organizations, each with its Slack workspace (slack_workspace: team TM7Wnn →
 *    organization bench-monday-nn, the link OrganizationService.forSlackTeam makes on first use);
 *  - `specs` copies of the demo spec's current version (same competencies and weights), spread
 *    round-robin over the organizations, plus LIVE_SPECS more in organization 1 for the interview load;
 *  - one channel per subscription: channel c follows spec ((c − 1) mod specs) + 1 in that spec's
 *    workspace, and has a digest_schedule (not due until `makeDue`); the live channels follow the
 *    live specs only, so interview messages never land in a digest channel;
 *  - INTERVIEWS_PER_SPEC interviews per spec over the two weeks before the occurrence (82% completed),
 *    and their interview_rollup / competency_rollup rows recounted by figure 5's SQL, so every digest
 *    has a week and a week before to compare (in shard 0, as the app's fold leaves closed buckets).
 */
export const DIGEST_CHANNEL_PREFIX = 'CM7D';
export const LIVE_CHANNEL_PREFIX = 'CM7L';
export const LIVE_SPECS = 10;
const INTERVIEWS_PER_SPEC = 20;

export interface MondaySize {
  channels: number;
  specs: number;
  workspaces: number;
}

const orgId = (w: string) => `('00000000-0000-4007-a000-' || lpad((${w})::text, 12, '0'))::uuid`;
const specId = (s: string) => `('00000000-0000-4007-8000-' || lpad((${s})::text, 12, '0'))::uuid`;
const team = (w: string) => `'TM7W' || lpad((${w})::text, 2, '0')`;
/** spec s (1-based; the live specs come after the digest specs) → its organization number */
const orgOf = (s: string, size: MondaySize) => `CASE WHEN (${s}) > ${size.specs} THEN 1 ELSE ((${s}) - 1) % ${size.workspaces} + 1 END`;

/** Seeds everything but the due time; returns the live specs' ids (the interview load's targets). */
export async function seedMonday(pg: PgClient, size: MondaySize, occurrenceSoon: Date): Promise<string[]> {
  const demo = await pg.query<{ spec_id: string; competencies: { id: string; weight: number }[] }>(
    `SELECT v.spec_id, v.competencies FROM spec s JOIN spec_version v ON v.spec_id = s.id AND v.number = s.current_version WHERE s.slug = $1 LIMIT 1`,
    [DEMO_SLUG],
  );
  const { spec_id: demoSpec, competencies } = demo.rows[0] ?? {};
  if (!demoSpec || !competencies) throw new Error('figure 8: the app did not seed the demo spec');
  const allSpecs = size.specs + LIVE_SPECS;
  const liveChannel = (k: string) => `'${LIVE_CHANNEL_PREFIX}' || lpad((${k})::text, 2, '0')`;
  await pg.query('BEGIN');
  try {
    await pg.query(`INSERT INTO organization (id, slug, name)
      SELECT ${orgId('w')}, 'bench-monday-' || lpad(w::text, 2, '0'), 'Monday organization ' || w FROM generate_series(1, ${size.workspaces}) AS w`);
    await pg.query(`INSERT INTO slack_workspace (team_id, organization_id, name)
      SELECT ${team('w')}, ${orgId('w')}, 'Monday workspace ' || w FROM generate_series(1, ${size.workspaces}) AS w`);
    // spec and version in one transaction: the current-version trigger is checked at commit
    await pg.query(`INSERT INTO spec (id, organization_id, slug, current_version)
      SELECT ${specId('s')}, ${orgId(orgOf('s', size))},
             CASE WHEN s > ${size.specs} THEN 'monday-live-' || lpad((s - ${size.specs})::text, 2, '0') ELSE 'monday-' || lpad(s::text, 3, '0') END, 1
      FROM generate_series(1, ${allSpecs}) AS s`);
    await pg.query(
      `INSERT INTO spec_version (id, spec_id, number, title, level, external_version, competencies, must_haves, interview_questions,
                                 behavioral_round, content_hash, source, note, author_platform, author_id, author_name)
       SELECT gen_random_uuid(), ${specId('s')}, 1, v.title || ' #' || s, v.level, v.external_version, v.competencies, v.must_haves,
              v.interview_questions, v.behavioral_round, v.content_hash, v.source, v.note, v.author_platform, v.author_id, v.author_name
       FROM generate_series(1, ${allSpecs}) AS s CROSS JOIN (SELECT * FROM spec_version WHERE spec_id = $1::uuid AND number = 1) AS v`,
      [demoSpec],
    );
    // digest channels, then the live channels (subscriptions: one spec each)
    const specOfChannel = `((c - 1) % ${size.specs} + 1)`;
    await pg.query(`INSERT INTO subscription (id, organization_id, platform, workspace_id, channel_id, scope, created_by)
      SELECT gen_random_uuid(), ${orgId(orgOf(specOfChannel, size))}, 'slack', ${team(orgOf(specOfChannel, size))},
             '${DIGEST_CHANNEL_PREFIX}' || lpad(c::text, 5, '0'), ${specId(specOfChannel)}::text, 'UBENCH'
      FROM generate_series(1, ${size.channels}) AS c
      UNION ALL
      SELECT gen_random_uuid(), ${orgId('1')}, 'slack', ${team('1')}, ${liveChannel('k')}, ${specId(`${size.specs} + k`)}::text, 'UBENCH'
      FROM generate_series(1, ${LIVE_SPECS}) AS k`);
    // Every channel gets its schedule with its first subscription; not due until makeDue.
    await pg.query(`INSERT INTO digest_schedule (id, organization_id, platform, workspace_id, channel_id, weekday, minute_of_day, time_zone, next_run_at)
      SELECT gen_random_uuid(), organization_id, platform, workspace_id, channel_id, 1, 540, 'UTC', now() + interval '7 days' FROM subscription
      WHERE channel_id LIKE '${DIGEST_CHANNEL_PREFIX}%' OR channel_id LIKE '${LIVE_CHANNEL_PREFIX}%'`);
    await insertInterviews(
      pg,
      size.specs,
      occurrenceSoon,
      competencies.map((c) => c.weight),
    );
    await pg.query(
      `INSERT INTO interview_rollup (spec_id, bucket, shard, started, completed, abandoned, score_sum_milli, score_n) ${interviewRollupSelect('0::smallint')}`,
    );
    await pg.query(
      `INSERT INTO competency_rollup (spec_id, bucket, competency_id, shard, sum_tenths, n) ${competencyRollupSelect(generatedScores(competencies.map((c) => c.id)), '0::smallint')}`,
    );
    await pg.query('COMMIT');
  } catch (error) {
    await pg.query('ROLLBACK');
    throw error;
  }
  await pg.query('VACUUM ANALYZE'); // a database that has been stable for a while, as autovacuum leaves it
  const live = await pg.query<{ id: string }>(
    `SELECT ${specId(`${size.specs} + k`)}::text AS id FROM generate_series(1, ${LIVE_SPECS}) AS k`,
  );
  return live.rows.map((r) => r.id);
}

/** INTERVIEWS_PER_SPEC per digest spec, started evenly over the 14 days before `end`, scored as figure 5 scores. */
async function insertInterviews(pg: PgClient, specs: number, end: Date, weights: number[]): Promise<void> {
  const overall = weights.map((w, k) => `${w} * ${generatedScore('g', k + 1)}`).join(' + ');
  await pg.query(
    `INSERT INTO interview (id, spec_id, spec_version, status, last_sequence, candidate_id, candidate_name, started_at, completed_at,
                            abandoned_at, overall_milli, report_url, created_at, updated_at)
     SELECT id, ${specId(`(g - 1) / ${INTERVIEWS_PER_SPEC} + 1`)}, 1, status, CASE status WHEN 'completed' THEN 3 WHEN 'abandoned' THEN 2 ELSE 1 END,
            'cand_' || g, 'Candidate ' || g, started_at,
            CASE WHEN status = 'completed' THEN started_at + duration END,
            CASE WHEN status = 'abandoned' THEN started_at + interval '10 minutes' END,
            CASE WHEN status = 'completed' THEN overall END,
            'https://interviews.example.com/r/' || id, started_at, started_at
     FROM (SELECT g, ${generatedId('g')} AS id,
                  $1::timestamptz - interval '14 days' + (((g - 1) % ${INTERVIEWS_PER_SPEC}) + (abs(hashint4(g)) % 1000) / 1000.0) * interval '14 days' / ${INTERVIEWS_PER_SPEC} - interval '1 hour' AS started_at,
                  CASE WHEN abs(hashint4(g + 1)) % 100 < 82 THEN 'completed' WHEN abs(hashint4(g + 1)) % 100 < 92 THEN 'abandoned' ELSE 'started' END AS status,
                  (20 + abs(hashint4(g + 2)) % 40) * interval '1 minute' AS duration,
                  (${overall}) AS overall
           FROM generate_series(1, ${specs * INTERVIEWS_PER_SPEC}) AS g) AS generated`,
    [end.toISOString()],
  );
}

/**
 * When the digests fall due. The claim derives each digest's occurrence from weekday, minute_of_day
 * (a quarter hour: CHECK) and time zone, and marks a digest claimed over 10 minutes after its
 * occurrence late; the clock ticks at each wall-clock minute. So: `due` is the first minute boundary
 * at least `leadMs` away; the occurrence is the quarter hour at or before it, when that is at most
 * 8 minutes earlier (2 minutes left before "late"); otherwise the next quarter hour is both the
 * occurrence and the due minute, and the figure waits for it (at most 7 minutes).
 */
export function chooseDue(nowMs: number, leadMs: number): { occurrence: Date; due: Date; weekday: number; minuteOfDay: number } {
  const minute = 60_000;
  const quarter = 15 * minute;
  let due = Math.ceil((nowMs + leadMs) / minute) * minute;
  let occurrence = Math.floor(due / quarter) * quarter;
  if (due - occurrence > 8 * minute) {
    occurrence += quarter;
    due = occurrence;
  }
  const at = new Date(occurrence);
  return {
    occurrence: at,
    due: new Date(due),
    weekday: ((at.getUTCDay() + 6) % 7) + 1,
    minuteOfDay: at.getUTCHours() * 60 + at.getUTCMinutes(),
  };
}

/** All digest channels' schedules at the occurrence (UTC), next due at `due`: one statement, committed. */
export async function makeDue(pg: PgClient, when: ReturnType<typeof chooseDue>): Promise<number> {
  const result = await pg.query(
    `UPDATE digest_schedule SET weekday = $1, minute_of_day = $2, time_zone = 'UTC', next_run_at = $3, updated_at = now()
     WHERE channel_id LIKE '${DIGEST_CHANNEL_PREFIX}%'`,
    [when.weekday, when.minuteOfDay, when.due.toISOString()],
  );
  return result.rowCount ?? 0;
}
