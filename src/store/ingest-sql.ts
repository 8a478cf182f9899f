import { resultFanOutCtes } from './deliveries';
import { SqlParams, type SqlRunner } from './sql-runner';

/**
 * The statements of the webhook's transaction, as text and parameters. Round trips, not SQL, were
 * the cost (~0.4 ms of app CPU per Prisma statement), so each statement does everything that can
 * safely share one snapshot. What cannot: the interview must be read after its advisory lock is
 * granted, in a later statement, or a concurrent first event's row would be invisible to it.
 */

/**
 * Records the event, looks up its spec and, when the event is new and its spec known, takes the
 * interview's advisory lock (which serialises its events, the very first included). The row is
 * written as 'applied' when the spec exists (a stale fold marks it after; a refused one rolls the
 * whole transaction back) and 'parked' when it does not. `earlier_hash` is the body hash already
 * stored under this id when this one is a copy; null if that row committed after this statement
 * began (ask again with EARLIER_BODY_HASH).
 */
export const RECORD_EVENT = `
WITH known_spec AS (SELECT id, organization_id FROM spec WHERE id = $4::uuid),
recorded AS (
  INSERT INTO interview_event (id, type, interview_id, spec_id, sequence, body_hash, body, status, applied_at)
  SELECT $1::text, $2::text, $3::text, $4::uuid, $5::int, $6::text, $7::jsonb,
         CASE WHEN k.id IS NULL THEN 'parked' ELSE 'applied' END,
         CASE WHEN k.id IS NULL THEN NULL ELSE now() END
  FROM (SELECT 1) AS one LEFT JOIN known_spec k ON true
  ON CONFLICT (id) DO NOTHING
  RETURNING id)
SELECT r.id IS NOT NULL AS recorded,
       k.id::text AS spec_id, k.organization_id::text AS organization_id,
       CASE WHEN r.id IS NULL THEN (SELECT body_hash FROM interview_event WHERE id = $1::text) END AS earlier_hash,
       CASE WHEN r.id IS NOT NULL AND k.id IS NOT NULL
            THEN pg_advisory_xact_lock(hashtext('interview:' || $3::text)) END AS locked
FROM (SELECT 1) AS one LEFT JOIN recorded r ON true LEFT JOIN known_spec k ON true`;

export interface RecordedEvent {
  recorded: boolean;
  spec_id: string | null;
  organization_id: string | null;
  earlier_hash: string | null;
}

export const EARLIER_BODY_HASH = `SELECT body_hash FROM interview_event WHERE id = $1::text`;

/** The same lock RECORD_EVENT takes, for callers that did not record the event just now. */
export const LOCK_INTERVIEW = `SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('interview:' || $1::text))`;

export const MARK_EVENT = `UPDATE interview_event SET status = $2::text, applied_at = now() WHERE id = $1::text`;

/**
 * Under the advisory lock: the interview as it is (locked), the version its scores use (its pinned
 * one, or for a new interview the one current when it started: the earliest if it started before
 * v1), that version's competencies when the event has scores, and the stored scores the rollups
 * must take back.
 */
export const READ_INTERVIEW = `
WITH current AS (
  SELECT id, spec_version, status, last_sequence, started_at, completed_at, abandoned_at, overall_milli
  FROM interview WHERE id = $1::text FOR UPDATE),
pinned AS (
  SELECT coalesce(
    (SELECT spec_version FROM current),
    (SELECT max(number) FROM spec_version WHERE spec_id = $2::uuid AND created_at <= $3::timestamptz),
    (SELECT min(number) FROM spec_version WHERE spec_id = $2::uuid)) AS number)
SELECT pinned.number AS version, c.id IS NOT NULL AS existing, c.status, c.last_sequence,
       c.started_at, c.completed_at, c.abandoned_at, c.overall_milli,
       CASE WHEN $4::bool THEN (SELECT competencies FROM spec_version WHERE spec_id = $2::uuid AND number = pinned.number) END AS competencies,
       CASE WHEN c.id IS NOT NULL THEN (
         SELECT coalesce(json_agg(json_build_object('competencyId', competency_id, 'scoreTenths', score_tenths)), '[]'::json)
         FROM interview_score WHERE interview_id = $1::text) END AS scores
FROM pinned LEFT JOIN current c ON true`;

export interface InterviewState {
  version: number | null;
  existing: boolean;
  status: string | null;
  last_sequence: number | null;
  started_at: Date | null;
  completed_at: Date | null;
  abandoned_at: Date | null;
  overall_milli: number | null;
  competencies: unknown;
  scores: { competencyId: string; scoreTenths: number }[] | null;
}

export interface InterviewWrite {
  interviewId: string;
  specId: string;
  /** used only when the interview is new: an existing one keeps its pinned version */
  specVersion: number;
  status: string;
  sequence: number;
  candidate?: { id: string; name: string; email: string | null };
  startedAt?: Date;
  completedAt?: Date;
  abandonedAt?: Date;
  reportUrl?: string;
  overallMilli?: number;
  rescored: boolean;
  /** replace the interview's scores with these */
  scores?: { competencyId: string; scoreTenths: number; rationale: string | null }[];
  /** queue the result for every follower (and, for a rescore, refresh what was queued) */
  fanOut?: { kind: string; organizationId: string; scopes: string[]; refresh: boolean };
}

/**
 * One statement for the interview's new state, its scores and its messages. An upsert covers both
 * a new and an existing interview: fields the event does not carry (null here) keep their value.
 * Old scores not in the new set are deleted and the rest upserted, rather than delete-all then
 * insert, because sub-statements of one statement do not see each other's changes.
 */
export function writeInterview(write: InterviewWrite): { text: string; values: unknown[] } {
  const p = new SqlParams();
  const id = p.add(write.interviewId);
  const ctes = [
    `saved AS (
  INSERT INTO interview (id, spec_id, spec_version, status, last_sequence, candidate_id, candidate_name, candidate_email,
                         started_at, completed_at, abandoned_at, report_url, overall_milli, rescored, updated_at)
  VALUES (${id}::text, ${p.add(write.specId)}::uuid, ${p.add(write.specVersion)}::int, ${p.add(write.status)}::text,
          ${p.add(write.sequence)}::int, ${p.add(write.candidate?.id ?? null)}::text, ${p.add(write.candidate?.name ?? null)}::text,
          ${p.add(write.candidate?.email ?? null)}::text, ${p.add(write.startedAt ?? null)}::timestamptz,
          ${p.add(write.completedAt ?? null)}::timestamptz, ${p.add(write.abandonedAt ?? null)}::timestamptz,
          ${p.add(write.reportUrl ?? null)}::text, ${p.add(write.overallMilli ?? null)}::int, ${p.add(write.rescored)}::bool, now())
  ON CONFLICT (id) DO UPDATE SET
    status = EXCLUDED.status,
    last_sequence = EXCLUDED.last_sequence,
    candidate_id = coalesce(EXCLUDED.candidate_id, interview.candidate_id),
    candidate_name = CASE WHEN EXCLUDED.candidate_id IS NULL THEN interview.candidate_name ELSE EXCLUDED.candidate_name END,
    candidate_email = CASE WHEN EXCLUDED.candidate_id IS NULL THEN interview.candidate_email ELSE EXCLUDED.candidate_email END,
    started_at = coalesce(EXCLUDED.started_at, interview.started_at),
    completed_at = coalesce(EXCLUDED.completed_at, interview.completed_at),
    abandoned_at = coalesce(EXCLUDED.abandoned_at, interview.abandoned_at),
    report_url = coalesce(EXCLUDED.report_url, interview.report_url),
    overall_milli = coalesce(EXCLUDED.overall_milli, interview.overall_milli),
    rescored = interview.rescored OR EXCLUDED.rescored,
    updated_at = EXCLUDED.updated_at
  RETURNING 1)`,
  ];
  if (write.scores) {
    const ids = p.add(write.scores.map((s) => s.competencyId));
    ctes.push(
      `scores_gone AS (DELETE FROM interview_score WHERE interview_id = ${id}::text AND NOT (competency_id = ANY (${ids}::text[])))`,
      `scores_set AS (
  INSERT INTO interview_score (interview_id, competency_id, score_tenths, rationale)
  SELECT ${id}::text, s.competency_id, s.score_tenths, s.rationale
  FROM unnest(${ids}::text[], ${p.add(write.scores.map((s) => s.scoreTenths))}::int[], ${p.add(write.scores.map((s) => s.rationale))}::text[])
    AS s(competency_id, score_tenths, rationale)
  ON CONFLICT (interview_id, competency_id) DO UPDATE SET score_tenths = EXCLUDED.score_tenths, rationale = EXCLUDED.rationale)`,
    );
  }
  if (write.fanOut) ctes.push(resultFanOutCtes(p, { ...write.fanOut, subjectId: write.interviewId }).trim());
  const queued = write.fanOut ? ', (SELECT count(*) FROM queued)::int AS queued' : '';
  return { text: `WITH ${ctes.join(',\n')}\nSELECT (SELECT count(*) FROM saved)::int AS saved${queued}`, values: p.values };
}

/** The ingest's steps over a SqlRunner, one per statement above; the services hold no SQL. */
export async function recordEvent(
  sql: SqlRunner,
  event: { eventId: string; type: string; interviewId: string; specId: string; sequence: number; bodyHash: string; body: unknown },
): Promise<RecordedEvent> {
  const [row] = await sql.query<RecordedEvent>(RECORD_EVENT, [
    event.eventId,
    event.type,
    event.interviewId,
    event.specId,
    event.sequence,
    event.bodyHash,
    JSON.stringify(event.body),
  ]);
  return row!;
}

export async function earlierBodyHash(sql: SqlRunner, eventId: string): Promise<string | undefined> {
  return (await sql.query<{ body_hash: string }>(EARLIER_BODY_HASH, [eventId]))[0]?.body_hash;
}

export async function lockInterview(sql: SqlRunner, interviewId: string): Promise<void> {
  await sql.query(LOCK_INTERVIEW, [interviewId]);
}

export async function markEventStatus(sql: SqlRunner, eventId: string, status: string): Promise<void> {
  await sql.query(MARK_EVENT, [eventId, status]);
}

export async function readInterview(
  sql: SqlRunner,
  interviewId: string,
  specId: string,
  startedAt: Date,
  withScores: boolean,
): Promise<InterviewState> {
  const [state] = await sql.query<InterviewState>(READ_INTERVIEW, [interviewId, specId, startedAt, withScores]);
  return state!;
}

export async function saveInterview(sql: SqlRunner, write: InterviewWrite): Promise<void> {
  const statement = writeInterview(write);
  await sql.query(statement.text, statement.values);
}
