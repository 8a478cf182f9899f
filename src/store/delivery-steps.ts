import {
  HOLD_CHANNEL,
  LEASE_DELIVERY,
  MARK_ATTEMPT,
  MARK_FOUND,
  MARK_POSTED,
  MARK_UPDATED,
  RELEASE_LEASE,
  TAKE_TURN,
  WAKE_STALLED_CHANNELS,
  type LeasedDelivery,
  type Turn,
} from './delivery-sql';
import type { SqlRunner } from './sql-runner';

/** A channel's pace: the interval between its turns and how many may come at once. */
export interface Pace {
  intervalMs: number;
  burst: number;
}

/**
 * The delivery run's steps, one function per statement of delivery-sql.ts (which says what each
 * does to the rows). The run calls these and never holds SQL of its own.
 */
export async function takeTurn(sql: SqlRunner, deliveryId: string, pace: Pace): Promise<Turn | undefined> {
  return (await sql.query<Turn>(TAKE_TURN, [deliveryId, pace.intervalMs, pace.burst]))[0];
}

export async function holdChannel(sql: SqlRunner, deliveryId: string, waitMs: number, pace: Pace): Promise<void> {
  await sql.query(HOLD_CHANNEL, [deliveryId, waitMs, pace.intervalMs, pace.burst]);
}

export async function leaseDelivery(sql: SqlRunner, deliveryId: string): Promise<LeasedDelivery | undefined> {
  return (await sql.query<LeasedDelivery>(LEASE_DELIVERY, [deliveryId]))[0];
}

export async function releaseLease(sql: SqlRunner, deliveryId: string): Promise<void> {
  await sql.query(RELEASE_LEASE, [deliveryId]);
}

export async function markAttempt(sql: SqlRunner, deliveryId: string): Promise<void> {
  await sql.query(MARK_ATTEMPT, [deliveryId]);
}

export async function markFound(sql: SqlRunner, deliveryId: string, messageId: string): Promise<void> {
  await sql.query(MARK_FOUND, [deliveryId, messageId]);
}

export async function markPosted(sql: SqlRunner, deliveryId: string, messageId: string, version: number): Promise<void> {
  await sql.query(MARK_POSTED, [deliveryId, messageId, version]);
}

export async function markUpdated(sql: SqlRunner, deliveryId: string, version: number): Promise<void> {
  await sql.query(MARK_UPDATED, [deliveryId, version]);
}

export async function wakeStalledChannels(sql: SqlRunner): Promise<void> {
  await sql.query(WAKE_STALLED_CHANNELS, []);
}
