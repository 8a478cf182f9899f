import { isPanelistError } from '../domain/errors';
import { impossibleScores, type InterviewEvent } from '../domain/interview-event';
import type { Db, Tx } from '../store/db';
import { applyInterviewEvent } from './interview-apply';

export type IngestOutcome =
  | { status: 'accepted'; applied: boolean }
  | { status: 'parked' }
  | { status: 'duplicate' }
  | { status: 'conflict' }
  | { status: 'impossible'; problems: string[] };

/**
 * The webhook's one transaction: record the event (its id is the dedupe key), fold it into the
 * interview if its sequence is newer, and queue a delivery per following channel. Concurrent
 * copies of one event serialise on the primary key: one row, one application, one delivery each.
 */
export class InterviewIngestService {
  constructor(private readonly db: Db) {}

  async ingest(event: InterviewEvent, bodyHash: string, body: unknown): Promise<IngestOutcome> {
    const impossible = impossibleScores(event);
    if (impossible.length > 0) return { status: 'impossible', problems: impossible };
    try {
      return await this.db.$transaction(async (tx) => {
        const recorded = await tx.$queryRaw<{ id: string }[]>`
          INSERT INTO interview_event (id, type, interview_id, spec_id, sequence, body_hash, body, status)
          VALUES (${event.eventId}, ${event.type}, ${event.interviewId}, ${event.specId}::uuid, ${event.sequence},
                  ${bodyHash}, ${JSON.stringify(body)}::jsonb, 'parked')
          ON CONFLICT (id) DO NOTHING RETURNING id`;
        if (recorded.length === 0) {
          const earlier = await tx.interviewEvent.findUniqueOrThrow({ where: { id: event.eventId }, select: { bodyHash: true } });
          return earlier.bodyHash === bodyHash ? { status: 'duplicate' } : { status: 'conflict' };
        }
        const spec = await tx.spec.findUnique({ where: { id: event.specId }, select: { id: true, organizationId: true } });
        if (!spec) return { status: 'parked' };
        const result = await applyInterviewEvent(tx, event, spec);
        await markEvent(tx, event.eventId, result);
        return { status: 'accepted', applied: result === 'applied' };
      });
    } catch (error) {
      if (isPanelistError(error) && error.code === 'invalid_input') return { status: 'impossible', problems: [error.message] };
      throw error;
    }
  }
}

export async function markEvent(tx: Tx, eventId: string, status: 'applied' | 'stale' | 'rejected'): Promise<void> {
  await tx.interviewEvent.update({ where: { id: eventId }, data: { status, appliedAt: new Date() } });
}
