import { digestMessageJson, type DigestMessageJson } from './digest-view-sql';
import { DELIVER_JOB_KEY_PREFIX, deliverJobSpecSql, QUEUE_SCHEMA } from './queue';

/**
 * The delivery run's statements, as text for a SqlRunner (plain `pg` in the app): a fresh post is
 * three round trips (turn, lease, record), because every interview's every channel runs them.
 * Rarer steps (failures, pauses, digests) stay on Prisma in src/delivery/deliver.ts.
 */

/** What a run needs of a delivery; `hideName` is the subscription's privacy (a gone subscription hides names). */
export interface DeliveryRow {
  id: string;
  kind: string;
  subjectId: string;
  platform: string;
  workspaceId: string;
  channelId: string;
  status: string;
  messageId: string | null;
  contentVersion: number;
  renderedVersion: number;
  attemptedAt: Date | null;
  createdAt: Date;
  hideName: boolean;
}

/** A leased delivery, as it was before this attempt was counted, with what it shows: its interview's result, spec version or digest. */
export interface LeasedDelivery extends DeliveryRow {
  /** json of interviewResultJson below; null for other kinds, or when the interview is gone */
  result: InterviewResultJson | null;
  /** json of specVersionJson below; null for other kinds */
  version: SpecVersionJson | null;
  /** json of digestMessageJson (digest-view-sql.ts); null for other kinds, or when the digest is gone */
  digest: DigestMessageJson | null;
}

/** A spec version as the interview platform is sent it: its spec's id and slug, its columns, who made it. */
export interface SpecVersionJson {
  specId: string;
  slug: string;
  number: number;
  title: string;
  level: string | null;
  competencies: unknown;
  mustHaves: unknown;
  interviewQuestions: unknown;
  behavioralRound: unknown;
  note: string | null;
  authorPlatform: string;
  authorId: string;
  authorName: string | null;
  /** json has no dates: an ISO timestamp */
  createdAt: string;
}

/** The interview as a channel's message shows it (pinned version, its competencies, the scores). */
export interface InterviewResultJson {
  specId: string;
  specVersion: number;
  slug: string;
  title: string;
  competencies: unknown;
  candidateName: string | null;
  status: string;
  overallMilli: number | null;
  reportUrl: string | null;
  /** json has no dates: an ISO timestamp */
  completedAt: string | null;
  rescored: boolean;
  scores: [string, number][];
}

const COLUMNS = `d.id, d.kind, d.subject_id AS "subjectId", d.platform, d.workspace_id AS "workspaceId",
  d.channel_id AS "channelId", d.status, d.message_id AS "messageId", d.content_version AS "contentVersion",
  d.rendered_version AS "renderedVersion", d.attempted_at AS "attemptedAt", d.created_at AS "createdAt",
  coalesce((SELECT s.private FROM subscription s WHERE s.id = d.subscription_id), true) AS "hideName"`;

/** One interview's result as json, for the interview whose id `idExpression` gives. */
function interviewResultJson(idExpression: string): string {
  return `(SELECT json_build_object(
      'specId', i.spec_id, 'specVersion', i.spec_version, 'slug', s.slug, 'title', v.title, 'competencies', v.competencies,
      'candidateName', i.candidate_name, 'status', i.status, 'overallMilli', i.overall_milli, 'reportUrl', i.report_url,
      'completedAt', i.completed_at, 'rescored', i.rescored,
      'scores', coalesce((SELECT json_agg(json_build_array(sc.competency_id, sc.score_tenths)) FROM interview_score sc WHERE sc.interview_id = i.id), '[]'::json))
    FROM interview i
    JOIN spec s ON s.id = i.spec_id
    JOIN spec_version v ON v.spec_id = i.spec_id AND v.number = i.spec_version
    WHERE i.id = ${idExpression})`;
}

/** One spec version as json, for the version whose id (text) `idExpression` gives. */
function specVersionJson(idExpression: string): string {
  return `(SELECT json_build_object(
      'specId', s.id, 'slug', s.slug, 'number', v.number, 'title', v.title, 'level', v.level, 'competencies', v.competencies,
      'mustHaves', v.must_haves, 'interviewQuestions', v.interview_questions, 'behavioralRound', v.behavioral_round, 'note', v.note,
      'authorPlatform', v.author_platform, 'authorId', v.author_id, 'authorName', v.author_name, 'createdAt', v.created_at)
    FROM spec_version v JOIN spec s ON s.id = v.spec_id
    WHERE v.id = (${idExpression})::uuid)`;
}

/**
 * What a lease returns: the row as it was (alias `d`), and the content to send for the kinds whose
 * content lives in other tables, read in the same statement (a digest part's message too: one round
 * trip fewer for each of a Monday morning's thousands).
 */
export const LEASED_COLUMNS = `${COLUMNS},
  CASE WHEN d.kind = 'interview.result' THEN ${interviewResultJson('d.subject_id')} END AS result,
  CASE WHEN d.kind = 'spec.version' THEN ${specVersionJson('d.subject_id')} END AS version,
  CASE WHEN d.kind = 'digest' THEN ${digestMessageJson("split_part(d.subject_id, ':', 1)")} END AS digest`;

/** Taking the lease (on `delivery d`): two minutes, and the attempt counted as LEASE_DELIVERY says. */
export const LEASE_SET = `lease_until = now() + interval '2 minutes', updated_at = now(),
           attempts = CASE WHEN d.message_id IS NOT NULL OR d.attempted_at IS NULL THEN d.attempts + 1 ELSE d.attempts END,
           attempted_at = CASE WHEN d.message_id IS NULL AND d.attempted_at IS NULL THEN now() ELSE d.attempted_at END`;

/**
 * A delivery with something left to do: not settled (a dead letter waits for an operator, a paused
 * one for its channel, a cancelled one for nothing), and not yet posted or showing older content.
 * panelist_take_turn (migration 20261202180000_channel_turns) applies the same rule in PL/pgSQL.
 */
export const HAS_WORK = `d.status NOT IN ('failed', 'paused', 'cancelled')
      AND (d.message_id IS NULL OR d.rendered_version < d.content_version)`;

/** A delivery's turn in its channel: now (`due`), or later (`runAt`), when its job will run again. */
export interface Turn {
  runAt: Date;
  due: boolean;
  kind: string;
}

/**
 * Moves the jobs of the deliveries a turn function returned (delivery_id, platform, run_at; those
 * matching `later`) to their times in one add_jobs call, and returns the `$1` delivery's `columns`.
 */
function requeuedTo(turns: string, options: { columns: string; later: string }): string {
  return `
  WITH turns AS (${turns}),
  requeued AS (
    SELECT ${QUEUE_SCHEMA}.add_jobs(array_agg(${deliverJobSpecSql('t.delivery_id', 't.platform', 't.kind', 't.run_at')}))
    FROM turns t WHERE ${options.later} HAVING count(*) > 0)
  SELECT ${options.columns}, (SELECT count(*) FROM requeued)::int AS requeued FROM turns t WHERE t.delivery_id = $1::uuid`;
}

/**
 * $1 delivery id, $2 the channel's interval between turns (ms), $3 its burst. Gives the delivery
 * its turn in its channel (and every other waiting delivery of that channel theirs, in order), and
 * moves the jobs of those whose turn is later. No row when the delivery has nothing left to do.
 * The database's clock decides, so every replica paces a channel as one.
 */
export const TAKE_TURN = requeuedTo('SELECT * FROM panelist_take_turn($1::uuid, $2::int, $3::int)', {
  columns: 't.run_at AS "runAt", t.due, t.kind',
  later: 'NOT t.due',
});

/**
 * $1 delivery id, $2 how long the platform asked us to wait (ms), $3 interval (ms), $4 burst. The
 * channel is held until then; the refused delivery goes first after it, every turn already given
 * moves back by as much, and their jobs with them.
 */
export const HOLD_CHANNEL = requeuedTo('SELECT * FROM panelist_hold_channel($1::uuid, $2::int, $3::int, $4::int)', {
  columns: 't.run_at AS "runAt"',
  later: 'true',
});

/**
 * $1 delivery id. Takes the two-minute lease when it is free and the delivery still has work. A
 * first post or an update is counted as an attempt here (a post's attempt time is what a later run
 * searches from); a later post is counted by MARK_ATTEMPT once the search found nothing, so that a
 * failed search never moves the time the next search starts from. Returns the row as
 * it was before (the previous attempt time) with the content to render, read in the same snapshot
 * as the content version it will be recorded under; no row when another run holds the lease or the
 * work is gone. The locking read makes a run that waited for another see what that run wrote.
 */
export const LEASE_DELIVERY = `
  WITH target AS (SELECT * FROM delivery WHERE id = $1::uuid FOR UPDATE),
  leased AS (
    UPDATE delivery d SET ${LEASE_SET}
    WHERE d.id = $1::uuid AND (d.lease_until IS NULL OR d.lease_until < now())
      AND ${HAS_WORK}
    RETURNING d.id)
  SELECT ${LEASED_COLUMNS}
  FROM target d JOIN leased USING (id)`;

/** $1 id. About to post again: the search found nothing. */
export const MARK_ATTEMPT = `UPDATE delivery SET attempted_at = now(), attempts = attempts + 1, updated_at = now() WHERE id = $1::uuid`;

/**
 * A turn ends: `update` (of delivery $1) recorded a post or an update (`clock`: the channel's own
 * clock of what reached it moves, see panelist_take_turn), or gave the lease back. The channel's
 * next due turn, which waits for this one to end, is woken now instead of looking again later.
 */
function endingTheTurn(update: string, options: { clock: boolean }): string {
  const clock = options.clock
    ? `UPDATE channel_pace p SET sent_tat = greatest(p.sent_tat, now()) + make_interval(secs => p.interval_ms / 1000.0)
       FROM ended e WHERE p.platform = e.platform AND p.channel_id = e.channel_id RETURNING 1`
    : 'SELECT 1 WHERE false';
  return `WITH ended AS (${update} RETURNING id, platform, channel_id),
  clock AS (${clock}),
  next AS (
    SELECT n.id, n.platform, n.kind FROM delivery n JOIN ended e ON n.channel_id = e.channel_id AND n.platform = e.platform
    WHERE n.send_at <= now() AND n.status IN ('pending', 'sent') AND n.id <> e.id
    ORDER BY n.send_at, n.created_at, n.id LIMIT 1),
  woken AS (
    SELECT ${QUEUE_SCHEMA}.add_jobs(array_agg(${deliverJobSpecSql('next.id', 'next.platform', 'next.kind')})) FROM next HAVING count(*) > 0)
  SELECT (SELECT count(*) FROM clock)::int AS clocked, (SELECT count(*) FROM woken)::int AS woken`;
}

/** $1 id, $2 message id, $3 content version shown: the post recorded (MARK_POSTED adds the end of the turn; a line needs no turn). */
export const RECORD_POST = `
  UPDATE delivery SET message_id = $2, status = 'sent', posted_at = now(), rendered_version = $3,
         attempts = 0, last_error = NULL, updated_at = now(), lease_until = NULL, send_at = NULL
  WHERE id = $1::uuid`;

/** $1 id, $2 message id, $3 content version shown. Posted: the failure streak, the turn and the lease end with it. */
export const MARK_POSTED = endingTheTurn(RECORD_POST, { clock: true });

/** $1 id, $2 message id. An earlier attempt's post was found; rendered 0, so the run goes on to update it. */
export const MARK_FOUND = `
  UPDATE delivery SET message_id = $2, status = 'sent', posted_at = now(), rendered_version = 0, updated_at = now()
  WHERE id = $1::uuid`;

/**
 * $1 id, $2 content version shown. Updated in place; only ever forward, so a slower update of older
 * content never marks newer content as shown. Ends the turn and the lease either way.
 */
export const MARK_UPDATED = endingTheTurn(
  `
  UPDATE delivery SET rendered_version = greatest(rendered_version, $2), send_at = NULL,
         status = CASE WHEN rendered_version < $2 THEN 'sent' ELSE status END,
         attempts = CASE WHEN rendered_version < $2 THEN 0 ELSE attempts END,
         last_error = CASE WHEN rendered_version < $2 THEN NULL ELSE last_error END,
         updated_at = now(), lease_until = NULL
  WHERE id = $1::uuid`,
  { clock: true },
);

/** $1 id. The attempt ended without a post (a failure, nothing to send): the lease goes back. */
export const RELEASE_LEASE = endingTheTurn(`UPDATE delivery SET lease_until = NULL WHERE id = $1::uuid`, { clock: false });

/**
 * The sweeper's nudge for a broken chain of turns (panelist_take_turn): in each channel whose
 * earliest turn passed more than 5 s ago and is not being posted, that delivery's job runs now. A
 * turn whose process died then no longer holds the ones behind it, which wait for a wake-up. A turn
 * parked for its chart (chart-waits.ts) has its own wake-up and fallback job: on a Monday morning
 * with charts, waking thousands of them at once made one 3-second statement that held the job rows
 * graphile-worker was completing.
 */
export const WAKE_STALLED_CHANNELS = `
  WITH stalled AS (
    SELECT DISTINCT ON (d.platform, d.channel_id) d.id, d.platform, d.kind, d.lease_until, d.updated_at, d.waiting_for_chart
    FROM delivery d
    WHERE d.send_at < now() - interval '5 seconds' AND d.status IN ('pending', 'sent')
    ORDER BY d.platform, d.channel_id, d.send_at, d.created_at, d.id),
  woken AS (
    SELECT ${QUEUE_SCHEMA}.add_jobs(array_agg(${deliverJobSpecSql('s.id', 's.platform', 's.kind')}))
    FROM stalled s
    WHERE s.waiting_for_chart IS NULL
      AND NOT coalesce(s.lease_until > now() AND s.updated_at > now() - interval '5 seconds', false)
      AND NOT EXISTS (SELECT 1 FROM ${QUEUE_SCHEMA}.jobs j WHERE j.key = '${DELIVER_JOB_KEY_PREFIX}' || s.id::text AND j.locked_at > now() - interval '5 seconds')
    HAVING count(*) > 0)
  SELECT (SELECT count(*) FROM woken)::int AS woken`;
