import { deliverJobSpecSql, QUEUE_SCHEMA } from './queue';
import type { SqlRunner } from './sql-runner';

/**
 * The digest clock's statements, set-based so that a batch of schedules costs the same two
 * statements whatever its size: one locks the batch and reads what each channel follows, the other
 * writes every digest, delivery, job and next run of the batch. The times (the occurrence, the
 * period, the next run) are computed in between, in JS, in the channel's time zone.
 */

/** A schedule locked for claiming, with what its digest needs from the channel's subscriptions. */
export interface LockedSchedule {
  id: string;
  platform: string;
  workspace_id: string;
  channel_id: string;
  weekday: number;
  minute_of_day: number;
  time_zone: string;
  /** the channel's first subscription (private first, then oldest), which its digest is sent to; null when it has none */
  subscription_id: string | null;
  /** how many of the organization's specs the channel's subscriptions follow */
  spec_count: number;
}

/**
 * Reads what each locked schedule's channel follows. A channel may have subscriptions from other
 * organizations' workspaces, but counts only its schedule's organization's specs.
 */
const withChannels = (lock: string) => `
WITH locked AS (${lock})
SELECT l.id::text AS id, l.platform, l.workspace_id, l.channel_id, l.weekday, l.minute_of_day, l.time_zone, f.subscription_id::text AS subscription_id,
       CASE WHEN f.subscription_id IS NULL THEN 0 ELSE (
         SELECT count(*)::int FROM spec
         WHERE spec.organization_id = l.organization_id AND (f.follows_all OR spec.id::text = ANY (f.scopes))) END AS spec_count
FROM locked l
CROSS JOIN LATERAL (
  SELECT (array_agg(s.id ORDER BY s.private DESC, s.created_at, s.id))[1] AS subscription_id,
         coalesce(bool_or(s.scope = $1::text), false) AS follows_all,
         array_agg(s.scope) AS scopes
  FROM subscription s
  WHERE s.platform = l.platform AND s.channel_id = l.channel_id) f
ORDER BY l.id`;

/**
 * The clock's batch: the most overdue schedules whose time has come. SKIP LOCKED lets every replica
 * take a different batch at the same moment instead of queueing behind one another.
 */
const LOCK_DUE = withChannels(`
  SELECT id, organization_id, platform, workspace_id, channel_id, weekday, minute_of_day, time_zone
  FROM digest_schedule
  WHERE enabled AND next_run_at <= $2::timestamptz
  ORDER BY next_run_at
  LIMIT $3::int
  FOR UPDATE SKIP LOCKED`);

/**
 * `digests run --at`'s batch: every enabled schedule, in id order after the last batch's last id.
 * It waits for locked ones rather than skip them, since it must consider every schedule.
 */
const LOCK_ENABLED_AFTER = withChannels(`
  SELECT id, organization_id, platform, workspace_id, channel_id, weekday, minute_of_day, time_zone
  FROM digest_schedule
  WHERE enabled AND id > $2::uuid
  ORDER BY id
  LIMIT $3::int
  FOR UPDATE`);

export async function lockDueSchedules(sql: SqlRunner, followsAllScope: string, now: Date, limit: number): Promise<LockedSchedule[]> {
  return sql.query<LockedSchedule>(LOCK_DUE, [followsAllScope, now.toISOString(), limit]);
}

export async function lockEnabledSchedulesAfter(
  sql: SqlRunner,
  followsAllScope: string,
  afterId: string,
  limit: number,
): Promise<LockedSchedule[]> {
  return sql.query<LockedSchedule>(LOCK_ENABLED_AFTER, [followsAllScope, afterId, limit]);
}

/** The uuid every schedule id sorts after: where `lockEnabledSchedulesAfter` starts. */
export const BEFORE_FIRST_SCHEDULE = '00000000-0000-0000-0000-000000000000';

/**
 * One statement for a whole batch. A digest is inserted once per (schedule, period end): a replica
 * that raced for the same period inserts nothing and queues nothing. Each new digest gets one
 * delivery per part (subject `<digest id>:<part>`) to its channel's first subscription, and each
 * new delivery its job; the schedules move to their next run. `queued` is read by the main query
 * because a CTE that only reads runs only when read; the writes run regardless. The `= ANY` on the
 * update gives the planner the index: joined to unnest alone it hashes the whole table per batch.
 */
const WRITE_CLAIMS = `
WITH claim AS (
  SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::bool[], $5::int[], $6::uuid[], $7::text[], $8::text[], $9::text[])
    AS c(schedule_id, period_start, period_end, late, parts, subscription_id, platform, workspace_id, channel_id)),
advanced AS (
  UPDATE digest_schedule d SET next_run_at = a.next_run_at
  FROM unnest($10::uuid[], $11::timestamptz[]) AS a(id, next_run_at)
  WHERE d.id = a.id AND d.id = ANY ($10::uuid[])
  RETURNING d.id),
digests AS (
  INSERT INTO digest (id, schedule_id, period_start, period_end, late, parts)
  SELECT gen_random_uuid(), schedule_id, period_start, period_end, late, parts FROM claim
  ON CONFLICT (schedule_id, period_end) DO NOTHING
  RETURNING id, schedule_id, parts),
created AS (
  INSERT INTO delivery (id, kind, subject_id, subscription_id, platform, workspace_id, channel_id, status)
  SELECT gen_random_uuid(), $12::text, d.id::text || ':' || part, c.subscription_id, c.platform, c.workspace_id, c.channel_id, 'pending'
  FROM digests d
  JOIN claim c ON c.schedule_id = d.schedule_id
  CROSS JOIN LATERAL generate_series(1, d.parts) AS part
  ON CONFLICT (kind, subject_id, channel_id) DO NOTHING
  RETURNING id, platform, kind),
queued AS (
  SELECT ${QUEUE_SCHEMA}.add_jobs(jobs.specs)
  FROM (SELECT array_agg(${deliverJobSpecSql('created.id', 'created.platform', 'created.kind')}) AS specs FROM created) jobs
  WHERE jobs.specs IS NOT NULL)
SELECT coalesce((SELECT json_agg(json_build_object('id', id, 'scheduleId', schedule_id)) FROM digests), '[]'::json) AS digests,
       (SELECT count(*) FROM queued)::int AS queued`;

export interface DigestClaim {
  scheduleId: string;
  /** the channel, as its schedule names it */
  platform: string;
  workspaceId: string;
  channelId: string;
  periodStart: Date;
  periodEnd: Date;
  late: boolean;
  parts: number;
  subscriptionId: string;
}

export interface ScheduleAdvance {
  scheduleId: string;
  nextRunAt: Date;
}

/** Writes a batch's digests (with their deliveries and jobs) and next runs; returns the digests it created. */
export async function writeDigestClaims(
  sql: SqlRunner,
  kind: string,
  claims: DigestClaim[],
  advances: ScheduleAdvance[],
): Promise<{ id: string; scheduleId: string }[]> {
  // Times travel as ISO text, which `pg` and Prisma's adapter both pass alike inside an array.
  const iso = (date: Date) => date.toISOString();
  const [row] = await sql.query<{ digests: { id: string; scheduleId: string }[] }>(WRITE_CLAIMS, [
    claims.map((c) => c.scheduleId),
    claims.map((c) => iso(c.periodStart)),
    claims.map((c) => iso(c.periodEnd)),
    claims.map((c) => c.late),
    claims.map((c) => c.parts),
    claims.map((c) => c.subscriptionId),
    claims.map((c) => c.platform),
    claims.map((c) => c.workspaceId),
    claims.map((c) => c.channelId),
    advances.map((a) => a.scheduleId),
    advances.map((a) => iso(a.nextRunAt)),
    kind,
  ]);
  return row!.digests;
}
