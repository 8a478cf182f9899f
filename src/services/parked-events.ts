import { isPanelistError } from '../domain/errors';
import { parseInterviewEvent } from '../domain/interview-event';
import type { Tx } from '../store/db';
import { prismaRunner } from '../store/sql-runner';
import { applyInterviewEvent, markEvent } from './interview-apply';

/**
 * Events that arrived before their spec existed, applied when it is created, in sequence order
 * per interview. An event that no longer fits (scores for other competencies) is kept as
 * 'rejected' rather than lost, with the reason in the log of whoever created the spec.
 */
export async function applyParkedEvents(
  tx: Tx,
  spec: { id: string; organizationId: string },
): Promise<{ applied: number; rejected: string[] }> {
  const parked = await tx.interviewEvent.findMany({
    where: { specId: spec.id, status: 'parked' },
    orderBy: [{ interviewId: 'asc' }, { sequence: 'asc' }, { receivedAt: 'asc' }],
  });
  // The webhook's SQL, run inside the spec import's Prisma transaction.
  const sql = prismaRunner(tx);
  let applied = 0;
  const rejected: string[] = [];
  for (const row of parked) {
    const parsed = parseInterviewEvent(row.body);
    if (!parsed.ok) {
      rejected.push(`${row.id}: ${parsed.issues.map((issue) => issue.message).join('; ')}`);
      await markEvent(sql, row.id, 'rejected');
      continue;
    }
    try {
      const result = await applyInterviewEvent(sql, parsed.event, spec);
      await markEvent(sql, row.id, result);
      if (result === 'applied') applied += 1;
    } catch (error) {
      if (!isPanelistError(error)) throw error;
      rejected.push(`${row.id}: ${error.message}`);
      await markEvent(sql, row.id, 'rejected');
    }
  }
  return { applied, rejected };
}
