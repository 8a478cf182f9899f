import type { SqlRunner } from './sql-runner';

/**
 * Digest pictures nobody can fetch any more are deleted. A chart link expires a fixed time after its
 * digest's period ends (services/chart-links.ts), and links are the only way to a picture, so once
 * every link to a digest has expired its pins are dead weight, and a picture with no pin left is
 * too (a Monday of 500 specs stores ~500 of them, tens of kilobytes each, every week).
 *
 * A picture is content-addressed and may be found again by a later digest's drawing ("looks for a
 * stored copy") instead of drawn; only pictures older than the links' lifetime are deleted, so that
 * can only meet a deletion for a picture unchanged for months, and then the pin fails, and the
 * digest goes without that picture once (the warning a failed chart always gives).
 */

/** $1 days: the links' lifetime plus a day of margin. $2 at most this many pins. */
export const PRUNE_EXPIRED_PINS = `
  WITH expired AS (
    SELECT dc.digest_id, dc.spec_id FROM digest_chart dc JOIN digest d ON d.id = dc.digest_id
    WHERE d.period_end < now() - make_interval(days => $1::int)
    LIMIT $2::int),
  deleted AS (
    DELETE FROM digest_chart dc USING expired e WHERE dc.digest_id = e.digest_id AND dc.spec_id = e.spec_id RETURNING 1)
  SELECT count(*)::int AS n FROM deleted`;

/** $1 days, $2 at most this many pictures: stored that long ago and pinned by no digest. */
export const PRUNE_UNPINNED_IMAGES = `
  WITH unpinned AS (
    SELECT i.id FROM chart_image i
    WHERE i.created_at < now() - make_interval(days => $1::int)
      AND NOT EXISTS (SELECT 1 FROM digest_chart dc WHERE dc.image_id = i.id)
    LIMIT $2::int
    FOR UPDATE SKIP LOCKED),
  deleted AS (DELETE FROM chart_image i USING unpinned u WHERE i.id = u.id RETURNING 1)
  SELECT count(*)::int AS n FROM deleted`;

/** Each call deletes at most this many pins and as many pictures; the next tick goes on. */
const PRUNE_BATCH = 1_000;

export async function pruneExpiredCharts(sql: SqlRunner, linkLifetimeDays: number): Promise<{ pins: number; images: number }> {
  const days = linkLifetimeDays + 1;
  const [pins] = await sql.query<{ n: number }>(PRUNE_EXPIRED_PINS, [days, PRUNE_BATCH]);
  const [images] = await sql.query<{ n: number }>(PRUNE_UNPINNED_IMAGES, [days, PRUNE_BATCH]);
  return { pins: pins?.n ?? 0, images: images?.n ?? 0 };
}
