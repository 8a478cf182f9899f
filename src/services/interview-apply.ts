import { PanelistError } from '../domain/errors';
import type { InterviewEvent } from '../domain/interview-event';
import { toTenths } from '../domain/interview-event';
import { checkScoresAgainst, overallThousandths } from '../domain/scoring';
import type { Competency } from '../domain/spec';
import type { Tx } from '../store/db';
import { createDeliveries, refreshDeliveries } from '../store/deliveries';
import { applyRollupChange, type InterviewFacts } from '../store/rollups';
import { ALL_SPECS } from './permissions';

export const RESULT_KIND = 'interview.result';

interface InterviewRow {
  id: string;
  spec_version: number;
  status: string;
  last_sequence: number;
  started_at: Date | null;
  completed_at: Date | null;
  abandoned_at: Date | null;
  overall_milli: number | null;
}

/**
 * Folds one event into its interview, in the caller's transaction (the event row is already
 * recorded). Returns 'stale' when the event's sequence is not above the last applied one: it
 * changes nothing. Throws PanelistError('invalid_input') — a 422 — before writing anything when the
 * scores do not fit the pinned version.
 */
export async function applyInterviewEvent(
  tx: Tx,
  event: InterviewEvent,
  spec: { id: string; organizationId: string },
): Promise<'applied' | 'stale'> {
  const existing = await lockInterview(tx, event.interviewId);
  if (existing && event.sequence <= existing.last_sequence) return 'stale';
  const specVersion = existing?.spec_version ?? (await pinnedVersion(tx, spec.id, event.startedAt ?? event.occurredAt));

  const scores = event.scores ? toTenths(event.scores) : undefined;
  let overallMilli: number | undefined;
  if (scores) {
    const competencies = await competenciesOf(tx, spec.id, specVersion);
    const problems = checkScoresAgainst(competencies, scores);
    if (problems.length > 0) {
      throw new PanelistError('invalid_input', `Scores do not fit version ${specVersion} of the spec: ${problems.join('; ')}.`);
    }
    overallMilli = overallThousandths(competencies, scores);
  }

  const previous = existing?.status;
  const status = nextStatus(previous, event.type);
  const candidate = event.candidate;
  const fields = {
    status,
    lastSequence: event.sequence,
    updatedAt: new Date(),
    ...(candidate ? { candidateId: candidate.id, candidateName: candidate.name, candidateEmail: candidate.email ?? null } : {}),
    ...(event.startedAt ? { startedAt: event.startedAt } : {}),
    ...(event.completedAt ? { completedAt: event.completedAt } : {}),
    ...(event.abandonedAt ? { abandonedAt: event.abandonedAt } : {}),
    ...(event.reportUrl ? { reportUrl: event.reportUrl } : {}),
    ...(overallMilli !== undefined ? { overallMilli } : {}),
    ...(event.type === 'interview.rescored' ? { rescored: true } : {}),
  };
  const before = existing ? await factsOf(tx, existing) : undefined;
  const saved = existing
    ? await tx.interview.update({ where: { id: event.interviewId }, data: fields })
    : await tx.interview.create({ data: { id: event.interviewId, specId: spec.id, specVersion, ...fields } });
  if (scores) {
    await tx.interviewScore.deleteMany({ where: { interviewId: event.interviewId } });
    await tx.interviewScore.createMany({
      data: scores.map((s) => ({ interviewId: event.interviewId, competencyId: s.competencyId, scoreTenths: s.score, rationale: s.rationale ?? null })),
    });
  }
  const after: InterviewFacts = {
    startedAt: saved.startedAt,
    status: saved.status,
    completedAt: saved.completedAt,
    abandonedAt: saved.abandonedAt,
    overallMilli: saved.overallMilli,
    scores: scores ? scores.map((s) => ({ competencyId: s.competencyId, scoreTenths: s.score })) : (before?.scores ?? []),
  };
  await applyRollupChange(tx, spec.id, event.interviewId, before, after);

  if (status === 'completed') {
    // A rescore updates messages already posted; a first completion (or a rescore that arrived
    // before its completion) posts to every channel that does not have the message yet.
    if (event.type === 'interview.rescored') await refreshDeliveries(tx, RESULT_KIND, event.interviewId);
    await createDeliveries(tx, RESULT_KIND, event.interviewId, await followers(tx, spec), (target) =>
      target.paused ? 'paused' : 'pending',
    );
  }
  return 'applied';
}

async function factsOf(tx: Tx, row: InterviewRow): Promise<InterviewFacts> {
  const scores = await tx.interviewScore.findMany({ where: { interviewId: row.id }, select: { competencyId: true, scoreTenths: true } });
  return {
    startedAt: row.started_at,
    status: row.status,
    completedAt: row.completed_at,
    abandonedAt: row.abandoned_at,
    overallMilli: row.overall_milli,
    scores,
  };
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

async function lockInterview(tx: Tx, interviewId: string): Promise<InterviewRow | undefined> {
  // Serialises events of one interview (concurrent events wait here), including the very first:
  // the advisory lock covers the moment before the row exists.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`interview:${interviewId}`}))`;
  const rows = await tx.$queryRaw<InterviewRow[]>`
    SELECT id, spec_version, status, last_sequence, started_at, completed_at, abandoned_at, overall_milli
    FROM interview WHERE id = ${interviewId} FOR UPDATE`;
  return rows[0];
}

/** The version current when the interview started (the earliest one if it started before v1). */
async function pinnedVersion(tx: Tx, specId: string, startedAt: Date): Promise<number> {
  const rows = await tx.$queryRaw<{ number: number }[]>`
    SELECT coalesce(
      (SELECT max(number) FROM spec_version WHERE spec_id = ${specId}::uuid AND created_at <= ${startedAt}),
      (SELECT min(number) FROM spec_version WHERE spec_id = ${specId}::uuid)) AS number`;
  return rows[0]!.number;
}

async function competenciesOf(tx: Tx, specId: string, number: number): Promise<Competency[]> {
  const version = await tx.specVersion.findUniqueOrThrow({ where: { specId_number: { specId, number } }, select: { competencies: true } });
  return version.competencies as unknown as Competency[];
}

/** Channels following this spec or all specs; a channel following both counts once, privately if either is private. */
async function followers(tx: Tx, spec: { id: string; organizationId: string }) {
  const subscriptions = await tx.subscription.findMany({
    where: { organizationId: spec.organizationId, scope: { in: [spec.id, ALL_SPECS] } },
    orderBy: [{ private: 'desc' }, { createdAt: 'asc' }],
  });
  return subscriptions.map((s) => ({
    subscriptionId: s.id,
    platform: s.platform,
    workspaceId: s.workspaceId,
    channelId: s.channelId,
    paused: s.pausedAt !== null,
  }));
}
