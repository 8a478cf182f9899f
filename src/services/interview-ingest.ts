import type { Pool } from 'pg';
import { isPanelistError } from '../domain/errors';
import { impossibleScores, type InterviewEvent } from '../domain/interview-event';
import { isConnectionLoss } from '../store/connection-loss';
import { isDatabaseReachable } from '../store/db';
import { earlierBodyHash, recordEvent } from '../store/ingest-sql';
import type { SqlRunner } from '../store/sql-runner';
import { pgTransaction, type SqlTransaction } from '../store/sql-transaction';
import { applyInterviewEvent, markEvent } from './interview-apply';

export type IngestOutcome =
  | { status: 'accepted'; applied: boolean }
  | { status: 'parked' }
  | { status: 'duplicate' }
  | { status: 'conflict' }
  | { status: 'impossible'; problems: string[] };

/**
 * After this service could not get a connection (pool exhausted past its wait, or the server
 * refusing), the database counts as unreachable for this long: the webhook asks right after the
 * failure, and a connection freed in between must not turn "try again" (503) into a 500.
 */
const UNREACHABLE_AFTER_CONNECT_FAILURE_MS = 2_000;

/**
 * The webhook's one transaction, on plain `pg`: record the event (its id is the dedupe key), fold
 * it into the interview if its sequence is newer, and queue a delivery per following channel.
 * Concurrent copies of one event serialise on the primary key: one row, one application, one
 * delivery each. A new event of a known spec costs BEGIN, four or five statements, COMMIT.
 */
export class InterviewIngestService {
  private connectFailedAt = Number.NEGATIVE_INFINITY;
  private readonly transaction: SqlTransaction;

  constructor(private readonly pool: Pool) {
    // createPool listens for 'error' on checked-out connections too: a lost server only fails the query.
    this.transaction = pgTransaction(pool, { onConnectFailure: () => (this.connectFailedAt = performance.now()) });
  }

  async ingest(event: InterviewEvent, bodyHash: string, body: unknown): Promise<IngestOutcome> {
    const impossible = impossibleScores(event);
    if (impossible.length > 0) return { status: 'impossible', problems: impossible };
    try {
      return await this.transaction((sql) => record(sql, event, bodyHash, body));
    } catch (error) {
      if (isPanelistError(error) && error.code === 'invalid_input') return { status: 'impossible', problems: [error.message] };
      throw error;
    }
  }

  /**
   * For the webhook: does this failure mean "nothing was stored, try again" (503)? Yes when the
   * connection was lost mid-transaction (a restart, a failover) or the database cannot serve now.
   */
  async isTryAgain(error: unknown, timeoutMs = 1_000): Promise<boolean> {
    return isConnectionLoss(error) || !(await this.isDatabaseReachable(timeoutMs));
  }

  /** False when the database cannot serve events now (or could not give a connection a moment ago). */
  async isDatabaseReachable(timeoutMs = 1_000): Promise<boolean> {
    if (performance.now() - this.connectFailedAt < UNREACHABLE_AFTER_CONNECT_FAILURE_MS) return false;
    return isDatabaseReachable(this.pool, timeoutMs);
  }
}

async function record(sql: SqlRunner, event: InterviewEvent, bodyHash: string, body: unknown): Promise<IngestOutcome> {
  const row = await recordEvent(sql, { ...event, bodyHash, body });
  if (!row.recorded) {
    // The copy already stored committed after the record statement's snapshot was taken: look again.
    const earlier = row.earlier_hash ?? (await earlierBodyHash(sql, event.eventId));
    if (earlier === undefined) throw new Error(`Event ${event.eventId} conflicted with a row that is not there.`);
    return earlier === bodyHash ? { status: 'duplicate' } : { status: 'conflict' };
  }
  if (!row.spec_id || !row.organization_id) return { status: 'parked' };
  const result = await applyInterviewEvent(sql, event, { id: row.spec_id, organizationId: row.organization_id }, { locked: true });
  if (result === 'stale') await markEvent(sql, event.eventId, 'stale');
  return { status: 'accepted', applied: result === 'applied' };
}
