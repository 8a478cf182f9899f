import type { Pool, PoolClient } from 'pg';
import { isPanelistError } from '../domain/errors';
import { impossibleScores, type InterviewEvent } from '../domain/interview-event';
import { isConnectionLoss } from '../store/connection-loss';
import { isDatabaseReachable } from '../store/db';
import { EARLIER_BODY_HASH, RECORD_EVENT, type RecordedEvent } from '../store/ingest-sql';
import { pgRunner, type SqlRunner } from '../store/sql-runner';
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

  constructor(private readonly pool: Pool) {}

  async ingest(event: InterviewEvent, bodyHash: string, body: unknown): Promise<IngestOutcome> {
    const impossible = impossibleScores(event);
    if (impossible.length > 0) return { status: 'impossible', problems: impossible };
    // createPool listens for 'error' on checked-out connections too: a lost server only fails the query.
    const client = await this.connect();
    let reusable = false;
    try {
      await client.query('BEGIN');
      const outcome = await record(pgRunner(client), event, bodyHash, body);
      await client.query('COMMIT');
      reusable = true;
      return outcome;
    } catch (error) {
      // A connection that cannot even roll back is broken: it leaves the pool instead of returning.
      reusable = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      if (isPanelistError(error) && error.code === 'invalid_input') return { status: 'impossible', problems: [error.message] };
      throw error;
    } finally {
      client.release(!reusable);
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

  private async connect(): Promise<PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      this.connectFailedAt = performance.now();
      throw error;
    }
  }
}

async function record(sql: SqlRunner, event: InterviewEvent, bodyHash: string, body: unknown): Promise<IngestOutcome> {
  const [row] = await sql.query<RecordedEvent>(RECORD_EVENT, [
    event.eventId,
    event.type,
    event.interviewId,
    event.specId,
    event.sequence,
    bodyHash,
    JSON.stringify(body),
  ]);
  if (!row!.recorded) {
    // The copy already stored committed after RECORD_EVENT's snapshot was taken: look again.
    const earlier = row!.earlier_hash ?? (await sql.query<{ body_hash: string }>(EARLIER_BODY_HASH, [event.eventId]))[0]?.body_hash;
    if (earlier === undefined) throw new Error(`Event ${event.eventId} conflicted with a row that is not there.`);
    return earlier === bodyHash ? { status: 'duplicate' } : { status: 'conflict' };
  }
  if (!row!.spec_id || !row!.organization_id) return { status: 'parked' };
  const result = await applyInterviewEvent(sql, event, { id: row!.spec_id, organizationId: row!.organization_id }, { locked: true });
  if (result === 'stale') await markEvent(sql, event.eventId, 'stale');
  return { status: 'accepted', applied: result === 'applied' };
}
