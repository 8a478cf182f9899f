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
 * A batch: at most this many schedules, and no more of them than fit in DEFAULT_CLAIM_DELIVERIES
 * messages (a channel following many specs gets several). A batch is two statements whatever its
 * size, but its time grows with its deliveries, and it holds its locks and its first messages until
 * it commits; bench/perf/digest-claims.ts measures the trade.
 */
export const DEFAULT_CLAIM_BATCH = 200;
export const DEFAULT_CLAIM_DELIVERIES = 500;

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
  /** deliveries per batch; the first schedule is claimed whatever its size */
  maxDeliveries: number;
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
  const timesOf = scheduleTimes(now);
  for (;;) {
    const batch = await inTransaction(async (sql) => {
      const locked = onlyDue
        ? await lockDueSchedules(sql, ALL_SPECS, now, settings.batchSize)
        : await lockEnabledSchedulesAfter(sql, ALL_SPECS, afterId, settings.batchSize);
      // The schedules left out are released at COMMIT, still due, for the next batch.
      const plans = withinDeliveries(
        locked.map((schedule) => plan(schedule, timesOf, now, settings)),
        settings.maxDeliveries,
      );
      const claims = plans.flatMap((p) => (p.claim ? [p.claim] : []));
      const advances: ScheduleAdvance[] = onlyDue ? plans.map((p) => p.advance) : [];
      const written = plans.length === 0 ? [] : await writeDigestClaims(sql, settings.kind, claims, advances);
      const byScheduleId = new Map(plans.map((p) => [p.scheduleId, p]));
      return {
        moreMayBeDue: locked.length === settings.batchSize || plans.length < locked.length,
        lastId: plans.at(-1)?.scheduleId,
        claimed: written.map((digest) => byScheduleId.get(digest.scheduleId)!.describe(digest.id)),
      };
    });
    if (batch.claimed.length > 0) {
      all.push(...batch.claimed);
      onBatch?.(batch.claimed);
    }
    // A batch that locked fewer than it could, and claimed all it locked, leaves nothing but what
    // other replicas hold (onlyDue), or nothing at all.
    if (!batch.moreMayBeDue || !batch.lastId) return all;
    afterId = batch.lastId;
  }
}

/** The first plans (in id order, as locked) whose deliveries fit in `max`, and at least one. */
function withinDeliveries(plans: SchedulePlan[], max: number): SchedulePlan[] {
  let deliveries = 0;
  let taken = 0;
  for (const p of plans) {
    deliveries += p.claim?.parts ?? 0;
    if (taken > 0 && deliveries > max) break;
    taken += 1;
  }
  return plans.slice(0, taken);
}

interface SchedulePlan {
  scheduleId: string;
  /** absent when the channel has no subscriptions: nothing to send, but the schedule still moves on */
  claim?: DigestClaim;
  advance: ScheduleAdvance;
  describe(digestId: string): ClaimedDigest;
}

interface ScheduleTimes {
  occurrence: Date;
  period: { start: Date; end: Date };
  next: Date;
}

/**
 * The occurrence, period and next run at `now`, worked out once per (day, time, zone): luxon's zone
 * arithmetic costs ~0.3 ms a schedule, and Monday morning's thousands share a handful of them.
 */
function scheduleTimes(now: Date): (time: DigestTime) => ScheduleTimes {
  const known = new Map<string, ScheduleTimes>();
  return (time) => {
    const key = `${time.weekday} ${time.minuteOfDay} ${time.timeZone}`;
    let times = known.get(key);
    if (!times) {
      const occurrence = lastOccurrence(time, now);
      times = { occurrence, period: periodEndingAt(time, occurrence), next: nextOccurrence(time, now) };
      known.set(key, times);
    }
    return times;
  };
}

function plan(schedule: LockedSchedule, timesOf: (time: DigestTime) => ScheduleTimes, now: Date, settings: ClaimSettings): SchedulePlan {
  const time: DigestTime = { weekday: schedule.weekday, minuteOfDay: schedule.minute_of_day, timeZone: schedule.time_zone };
  const { occurrence, period, next } = timesOf(time);
  const latenessMs = now.getTime() - occurrence.getTime();
  const late = latenessMs > LATE_AFTER_MS;
  return {
    scheduleId: schedule.id,
    claim: schedule.subscription_id
      ? {
          scheduleId: schedule.id,
          platform: schedule.platform,
          workspaceId: schedule.workspace_id,
          channelId: schedule.channel_id,
          periodStart: period.start,
          periodEnd: period.end,
          late,
          parts: Math.max(1, settings.messagesFor(schedule.spec_count)),
          subscriptionId: schedule.subscription_id,
        }
      : undefined,
    advance: { scheduleId: schedule.id, nextRunAt: next },
    describe: (id) => ({ id, scheduledFor: occurrence, latenessMs, late }),
  };
}
