import { PanelistError } from '../domain/errors';
import type { InterviewEvent } from '../domain/interview-event';
import { toTenths } from '../domain/interview-event';
import { checkScoresAgainst, overallThousandths } from '../domain/scoring';
import type { Competency } from '../domain/spec';
import { lockInterview, markEventStatus, readInterview, saveInterview } from '../store/ingest-sql';
import { applyRollupChange, type InterviewFacts } from '../store/rollups';
import type { SqlRunner } from '../store/sql-runner';
import { ALL_SPECS } from './permissions';

export const RESULT_KIND = 'interview.result';

/**
 * Folds one event into its interview, in the caller's transaction (the event row is already
 * recorded). Returns 'stale' when the event's sequence is not above the last applied one: it
 * changes nothing. Throws PanelistError('invalid_input') — a 422 — before writing anything when the
 * scores do not fit the pinned version. `locked`: the caller already holds the interview's advisory
 * lock (the webhook takes it in the statement that records the event).
 *
 * Three statements when locked (read, write, rollups: a fourth when there are competency scores).
 */
export async function applyInterviewEvent(
  sql: SqlRunner,
  event: InterviewEvent,
  spec: { id: string; organizationId: string },
  options: { locked?: boolean } = {},
): Promise<'applied' | 'stale'> {
  if (!options.locked) await lockInterview(sql, event.interviewId);
  const state = await readInterview(sql, event.interviewId, spec.id, event.startedAt ?? event.occurredAt, event.scores !== undefined);
  const existing = state.existing ? state : undefined;
  if (existing && event.sequence <= existing.last_sequence!) return 'stale';
  const scores = event.scores ? toTenths(event.scores) : undefined;
  const specVersion = state.version;
  if (specVersion === null) throw new Error(`Spec ${spec.id} has no version.`);

  let overallMilli: number | undefined;
  if (scores) {
    if (!state.competencies) throw new Error(`Spec ${spec.id} has no version ${specVersion}.`);
    const competencies = state.competencies as Competency[];
    const problems = checkScoresAgainst(competencies, scores);
    if (problems.length > 0) {
      throw new PanelistError('invalid_input', `Scores do not fit version ${specVersion} of the spec: ${problems.join('; ')}.`);
    }
    overallMilli = overallThousandths(competencies, scores);
  }

  const status = nextStatus(existing?.status ?? undefined, event.type);
  const candidate = event.candidate;
  // A rescore updates messages already posted; a first completion (or a rescore that arrived
  // before its completion) posts to every channel that does not have the message yet.
  const fanOut =
    status === 'completed'
      ? {
          kind: RESULT_KIND,
          organizationId: spec.organizationId,
          scopes: [spec.id, ALL_SPECS],
          refresh: event.type === 'interview.rescored',
        }
      : undefined;
  await saveInterview(sql, {
    interviewId: event.interviewId,
    specId: spec.id,
    specVersion,
    status,
    sequence: event.sequence,
    ...(candidate ? { candidate: { id: candidate.id, name: candidate.name, email: candidate.email ?? null } } : {}),
    ...(event.startedAt ? { startedAt: event.startedAt } : {}),
    ...(event.completedAt ? { completedAt: event.completedAt } : {}),
    ...(event.abandonedAt ? { abandonedAt: event.abandonedAt } : {}),
    ...(event.reportUrl ? { reportUrl: event.reportUrl } : {}),
    ...(overallMilli !== undefined ? { overallMilli } : {}),
    rescored: event.type === 'interview.rescored',
    ...(scores
      ? { scores: scores.map((s) => ({ competencyId: s.competencyId, scoreTenths: s.score, rationale: s.rationale ?? null })) }
      : {}),
    ...(fanOut ? { fanOut } : {}),
  });

  const before: InterviewFacts | undefined = existing && {
    startedAt: existing.started_at,
    status: existing.status!,
    completedAt: existing.completed_at,
    abandonedAt: existing.abandoned_at,
    overallMilli: existing.overall_milli,
    scores: existing.scores ?? [],
  };
  // What the upsert just wrote: the event's fields where it has them, the stored ones elsewhere.
  const after: InterviewFacts = {
    startedAt: event.startedAt ?? before?.startedAt ?? null,
    status,
    completedAt: event.completedAt ?? before?.completedAt ?? null,
    abandonedAt: event.abandonedAt ?? before?.abandonedAt ?? null,
    overallMilli: overallMilli ?? before?.overallMilli ?? null,
    scores: scores ? scores.map((s) => ({ competencyId: s.competencyId, scoreTenths: s.score })) : (before?.scores ?? []),
  };
  // Last, just before the caller commits: rollup rows are shared by every event of the spec and
  // quarter hour, so they are held locked for as short a time as possible.
  await applyRollupChange(sql, spec.id, event.interviewId, before, after);
  return 'applied';
}

export async function markEvent(sql: SqlRunner, eventId: string, status: 'applied' | 'stale' | 'rejected'): Promise<void> {
  await markEventStatus(sql, eventId, status);
}

/** Terminal states stay terminal; a rescore implies the interview was completed. */
function nextStatus(previous: string | undefined, type: InterviewEvent['type']): string {
  const terminal = previous === 'completed' || previous === 'abandoned';
  switch (type) {
    case 'interview.started':
      return terminal ? previous! : 'started';
    case 'interview.completed':
      return 'completed';
    case 'interview.rescored':
      return previous === 'abandoned' ? 'abandoned' : 'completed';
    case 'interview.abandoned':
      return previous === 'completed' ? 'completed' : 'abandoned';
  }
}
