import type { Db } from './db';
import type { Period } from './rollup-reads';
import type { SqlRunner } from './sql-runner';

/** Statements for the digest's charts: the weekly score series, the stored pictures, their pins and the link key. */

export interface ScoreSums {
  scoreSumMilli: bigint;
  scored: number;
}

/**
 * The spec's overall-score sums in each period, in the order given: one statement, one index range
 * per period over the rollups (a week is at most 672 buckets per shard), however many interviews.
 */
export async function scoreSumsByPeriod(db: Db, specId: string, periods: Period[]): Promise<ScoreSums[]> {
  const starts = periods.map((p) => p.start.toISOString());
  const ends = periods.map((p) => p.end.toISOString());
  const rows = await db.$queryRaw<{ i: number; sum: bigint; n: number }[]>`
    SELECT w.i::int AS i, coalesce(sum(r.score_sum_milli), 0)::bigint AS sum, coalesce(sum(r.score_n), 0)::int AS n
    FROM unnest(${starts}::timestamptz[], ${ends}::timestamptz[]) WITH ORDINALITY AS w(start_at, end_at, i)
    LEFT JOIN interview_rollup r ON r.spec_id = ${specId}::uuid AND r.bucket >= w.start_at AND r.bucket < w.end_at
    GROUP BY w.i ORDER BY w.i`;
  return periods.map((_, index) => {
    const row = rows.find((r) => r.i === index + 1);
    return { scoreSumMilli: BigInt(row?.sum ?? 0), scored: row?.n ?? 0 };
  });
}

export interface PinnedChart {
  specId: string;
  imageId: string;
  altText: string;
}

/** The pictures already pinned to a digest, by spec (each digest part asks: plain SQL, no Prisma). */
export async function pinnedCharts(sql: SqlRunner, digestId: string): Promise<PinnedChart[]> {
  return sql.query<PinnedChart>(
    `SELECT spec_id::text AS "specId", image_id AS "imageId", alt_text AS "altText" FROM digest_chart WHERE digest_id = $1::uuid`,
    [digestId],
  );
}

/** Pins pictures to a digest; a spec already pinned (a retry, another replica) keeps its first picture. Returns how many were written. */
export async function pinCharts(sql: SqlRunner, digestId: string, charts: PinnedChart[]): Promise<number> {
  const rows = await sql.query<{ written: number }>(
    `WITH written AS (
       INSERT INTO digest_chart (digest_id, spec_id, image_id, alt_text)
       SELECT $1::uuid, c.spec_id, c.image_id, c.alt_text
       FROM unnest($2::uuid[], $3::text[], $4::text[]) AS c(spec_id, image_id, alt_text)
       ON CONFLICT (digest_id, spec_id) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS written FROM written`,
    [digestId, charts.map((c) => c.specId), charts.map((c) => c.imageId), charts.map((c) => c.altText)],
  );
  return rows[0]?.written ?? 0;
}

export async function isChartImageStored(db: Db, id: string): Promise<boolean> {
  return (await db.chartImage.findUnique({ where: { id }, select: { id: true } })) !== null;
}

/** Stores a picture under its content id; one already there (the same content) is kept. */
export async function storeChartImage(db: Db, image: { id: string; png: Uint8Array; width: number; height: number }): Promise<void> {
  await db.chartImage.createMany({ data: [{ ...image, png: new Uint8Array(image.png) }], skipDuplicates: true });
}

/** The PNG a digest shows for a spec, if one was pinned. */
export async function pinnedChartImage(db: Db, digestId: string, specId: string): Promise<Buffer | undefined> {
  const pinned = await db.digestChart.findUnique({
    where: { digestId_specId: { digestId, specId } },
    select: { image: { select: { png: true } } },
  });
  return pinned ? Buffer.from(pinned.image.png) : undefined;
}

/** The key chart links are signed with: the first process to ask makes it, every replica then reads the same one. */
export async function chartLinkSecret(db: Db, fresh: () => Buffer): Promise<Buffer> {
  const existing = await db.chartLinkKey.findUnique({ where: { id: 1 } });
  if (existing) return Buffer.from(existing.secret);
  await db.chartLinkKey.createMany({ data: [{ id: 1, secret: new Uint8Array(fresh()) }], skipDuplicates: true });
  return Buffer.from((await db.chartLinkKey.findUniqueOrThrow({ where: { id: 1 } })).secret);
}
