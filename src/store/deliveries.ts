import type { Db } from './db';
import { deliverJobSpecSql, QUEUE_SCHEMA } from './queue';
import type { SqlParams } from './sql-runner';

/**
 * CTEs that, inside one statement, queue an interview result for every channel following one of
 * `scopes` (the spec, all specs): one delivery per (kind, subject, channel), each with its job, and,
 * for a rescore, first bump what the existing messages must show (content_version) and wake their
 * jobs. Jobs go in with one add_jobs call. Placeholders come from `p`; the statement's main query
 * must select from `queued`, because a CTE that only reads runs only when read.
 *
 * A channel following both the spec and all specs gets one delivery, under its private subscription
 * if either is private, else its oldest (DISTINCT ON picks that one before the insert). A channel
 * that already has the message gets nothing new (ON CONFLICT DO NOTHING); a paused subscription's delivery waits as
 * 'paused', without a job. The refresh sees only deliveries that existed before this statement,
 * exactly as when it ran first on its own.
 */
export function resultFanOutCtes(
  p: SqlParams,
  args: { kind: string; subjectId: string; organizationId: string; scopes: string[]; refresh: boolean },
): string {
  const kind = p.add(args.kind);
  const subject = p.add(args.subjectId);
  const refreshed = args.refresh
    ? `UPDATE delivery SET content_version = content_version + 1, updated_at = now(), next_attempt_at = now()
       WHERE kind = ${kind}::text AND subject_id = ${subject}::text
       RETURNING id, status, platform`
    : `SELECT NULL::uuid AS id, NULL::text AS status, NULL::text AS platform WHERE false`;
  return `
refreshed AS (${refreshed}),
created AS (
  INSERT INTO delivery (id, kind, subject_id, subscription_id, platform, workspace_id, channel_id, status)
  SELECT gen_random_uuid(), ${kind}::text, ${subject}::text, s.id, s.platform, s.workspace_id, s.channel_id,
         CASE WHEN s.paused_at IS NULL THEN 'pending' ELSE 'paused' END
  FROM (
    SELECT DISTINCT ON (channel_id) id, platform, workspace_id, channel_id, paused_at
    FROM subscription
    WHERE organization_id = ${p.add(args.organizationId)}::uuid AND scope = ANY (${p.add(args.scopes)}::text[])
    ORDER BY channel_id, private DESC, created_at, id
  ) s
  ON CONFLICT (kind, subject_id, channel_id) DO NOTHING
  RETURNING id, status, platform),
queued AS (
  SELECT ${QUEUE_SCHEMA}.add_jobs(jobs.specs)
  FROM (
    SELECT array_agg(${deliverJobSpecSql('due.id', 'due.platform', `${kind}::text`)}) AS specs
    FROM (SELECT id, platform FROM refreshed WHERE status IN ('pending', 'sent')
          UNION ALL SELECT id, platform FROM created WHERE status = 'pending') due
  ) jobs
  WHERE jobs.specs IS NOT NULL)`;
}

/** Deliveries not yet sent, by status (pending, failed, paused, cancelled): the operator's gauge. */
export async function unsentDeliveryCounts(db: Db): Promise<Map<string, number>> {
  const rows = await db.delivery.groupBy({ by: ['status'], where: { status: { not: 'sent' } }, _count: { _all: true } });
  return new Map(rows.map((row) => [row.status, row._count._all]));
}

/**
 * Seconds since the oldest pending delivery was queued (0 when none is): delivery lag as it builds
 * up. By the database's clock, so every replica reports the same age.
 */
export async function oldestPendingDeliveryAge(db: Db): Promise<number> {
  const [row] = await db.$queryRaw<{ age: number | null }[]>`
    SELECT extract(epoch FROM now() - min(created_at))::float8 AS age FROM delivery WHERE status = 'pending'`;
  return row?.age ?? 0;
}
