import { lastOccurrence, nextOccurrence, periodEndingAt, type DigestTime } from '../domain/digest-schedule';
import {
  BEFORE_FIRST_SCHEDULE,
  lockDueSchedules,
  lockEnabledSchedulesAfter,
  writeDigestClaims,
  type DigestClaim,
  type LockedSchedule,
  type ScheduleAdvance,
} from '../store/digest-claims';
import type { SqlTransaction } from '../store/sql-transaction';
import { ALL_SPECS } from './permissions';

/** A digest later than this after its scheduled time is marked late. */
const LATE_AFTER_MS = 10 * 60 * 1000;

/**
 * Schedules per transaction. Each batch is two statements whatever its size, so a larger batch
 * costs fewer round trips in all, but holds its locks (and delays its first message) longer;
 * bench/perf/digest-claims.ts measures the trade.
 */
export const DEFAULT_CLAIM_BATCH = 200;

export interface ClaimedDigest {
  id: string;
  scheduledFor: Date;
  latenessMs: number;
  late: boolean;
}

export interface ClaimSettings {
  kind: string;
  messagesFor(specCount: number): number;
  batchSize: number;
}

/**
 * Claims in short transactions, batch after batch, until no schedule is left: a batch's digests
 * are queued (and the worker woken) when it commits, not when the last one does. With `onlyDue`,
 * the schedules whose time has come, skipping those another replica holds (it claims them), each
 * moved to its next run; without, every enabled schedule, left where it is.
 */
export async function claimDigests(
  inTransaction: SqlTransaction,
  settings: ClaimSettings,
  now: Date,
  onlyDue: boolean,
  onBatch?: (claimed: ClaimedDigest[]) => void,
): Promise<ClaimedDigest[]> {
  const all: ClaimedDigest[] = [];
  let afterId = BEFORE_FIRST_SCHEDULE;
  for (;;) {
    const batch = await inTransaction(async (sql) => {
      const schedules = onlyDue
        ? await lockDueSchedules(sql, ALL_SPECS, now, settings.batchSize)
        : await lockEnabledSchedulesAfter(sql, ALL_SPECS, afterId, settings.batchSize);
      const plans = new Map(schedules.map((schedule) => [schedule.id, plan(schedule, now, settings)]));
      const claims = [...plans.values()].flatMap((p) => (p.claim ? [p.claim] : []));
      const advances: ScheduleAdvance[] = onlyDue ? [...plans.values()].map((p) => p.advance) : [];
      const written = schedules.length === 0 ? [] : await writeDigestClaims(sql, settings.kind, claims, advances);
      return { schedules, claimed: written.map((digest) => plans.get(digest.scheduleId)!.describe(digest.id)) };
    });
    if (batch.claimed.length > 0) {
      all.push(...batch.claimed);
      onBatch?.(batch.claimed);
    }
    // A short batch means nothing is left but what other replicas hold (onlyDue) or nothing at all.
    if (batch.schedules.length < settings.batchSize) return all;
    afterId = batch.schedules[batch.schedules.length - 1]!.id;
  }
}

interface SchedulePlan {
  /** absent when the channel has no subscriptions: nothing to send, but the schedule still moves on */
  claim?: DigestClaim;
  advance: ScheduleAdvance;
  describe(digestId: string): ClaimedDigest;
}

function plan(schedule: LockedSchedule, now: Date, settings: ClaimSettings): SchedulePlan {
  const time: DigestTime = { weekday: schedule.weekday, minuteOfDay: schedule.minute_of_day, timeZone: schedule.time_zone };
  const occurrence = lastOccurrence(time, now);
  const latenessMs = now.getTime() - occurrence.getTime();
  const late = latenessMs > LATE_AFTER_MS;
  const period = periodEndingAt(time, occurrence);
  return {
    claim: schedule.subscription_id
      ? {
          scheduleId: schedule.id,
          periodStart: period.start,
          periodEnd: period.end,
          late,
          parts: Math.max(1, settings.messagesFor(schedule.spec_count)),
          subscriptionId: schedule.subscription_id,
        }
      : undefined,
    advance: { scheduleId: schedule.id, nextRunAt: nextOccurrence(time, now) },
    describe: (id) => ({ id, scheduledFor: occurrence, latenessMs, late }),
  };
}
