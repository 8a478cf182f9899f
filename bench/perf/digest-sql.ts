/**
 * SQL that writes what the ingest would have written for many interviews at once, so the digest can
 * be timed at 1M interviews without sending 1M webhooks. Two pieces must match src/ exactly:
 *  - bucket: 15 minutes from the epoch (src/store/rollups.ts bucketOf), i.e. date_bin;
 *  - shard: src/store/rollups.ts shardOf, Java's String.hashCode (h = 31·h + code unit, 32-bit wrap)
 *    then |h| mod 8: `bench_shard(id)` for any id (slow: a subquery per call), and a closed form for
 *    the generated ids 'ivd_' + 7 digits (fast: arithmetic on the number).
 * ROLLUP_MISMATCHES checks the buckets and sums against the rollups the real ingest wrote during the
 * run (summed over shards: the app folds them as it runs); GENERATED_SHARD_MISMATCHES checks the
 * closed form against bench_shard. Figure 5 folds what it generates too, so the shards only shape
 * the last hour's buckets there.
 */

const TWO_32 = 2n ** 32n;
const POW31_MOD_2_32 = Array.from({ length: 128 }, (_, j) => 31n ** BigInt(j) % TWO_32);
/** |h as a signed 32-bit integer| mod 8, for 0 ≤ h < 2³² (h written once: it can be a long expression). */
const signedAbsMod8 = (h: string) => `(abs((${h} + 2147483648) % 4294967296 - 2147483648) % 8)::smallint`;

/** The id of generated interview number g (1 ≤ g < 10⁷). */
export const generatedId = (g: string) => `'ivd_' || lpad((${g})::text, 7, '0')`;

/** shardOf('ivd_' + 7 digits of g), as arithmetic on g: Σ code unit × 31^(10−i) mod 2³², digits expanded. */
export function generatedShard(g: string): string {
  const id = 'ivd_0000000';
  let constant = 0n;
  for (let i = 0; i < id.length; i += 1) constant += BigInt(id.charCodeAt(i)) * POW31_MOD_2_32[id.length - 1 - i]!;
  constant %= TWO_32;
  const digits = Array.from({ length: 7 }, (_, j) => `((${g})::bigint / ${10 ** (6 - j)} % 10) * ${POW31_MOD_2_32[6 - j]}`);
  return signedAbsMod8(`((${constant} + ${digits.join(' + ')}) % 4294967296)`);
}

/** Generated ids whose closed-form shard differs from bench_shard (0 = the closed form is right). */
export const GENERATED_SHARD_MISMATCHES = `SELECT count(*)::int AS n FROM generate_series(1, 20000) AS g
  WHERE bench_shard(${generatedId('g')}) <> ${generatedShard('g')}`;

export const CREATE_SHARD_FUNCTION = `
CREATE OR REPLACE FUNCTION bench_shard(id text) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ${signedAbsMod8('h')}
  FROM (SELECT sum(ascii(substr(id, k, 1))::bigint * (ARRAY[${POW31_MOD_2_32.join(',')}]::bigint[])[length(id) - k + 1]) % 4294967296 AS h
        FROM generate_series(1, length(id)) AS k) AS hashed
$$`;

const bucket = (column: string) => `date_bin('15 minutes', ${column}, timestamptz '1970-01-01 00:00:00+00')`;

/**
 * interview_rollup rows as the ingest's (after − before) deltas add up, from the interview rows;
 * `shard` is an expression over interview's columns, worked out once per interview.
 */
export const interviewRollupSelect = (shard: string) => `
WITH i AS MATERIALIZED (SELECT spec_id, status, started_at, completed_at, abandoned_at, overall_milli, ${shard} AS shard FROM interview)
SELECT spec_id, bucket, shard, sum(started)::int AS started, sum(completed)::int AS completed, sum(abandoned)::int AS abandoned,
       sum(score_sum_milli)::bigint AS score_sum_milli, sum(score_n)::int AS score_n
FROM (
  SELECT spec_id, ${bucket('started_at')} AS bucket, shard, 1 AS started, 0 AS completed, 0 AS abandoned, 0::bigint AS score_sum_milli, 0 AS score_n
  FROM i WHERE started_at IS NOT NULL
  UNION ALL
  SELECT spec_id, ${bucket('completed_at')}, shard, 0, 1, 0, coalesce(overall_milli, 0), CASE WHEN overall_milli IS NULL THEN 0 ELSE 1 END
  FROM i WHERE status = 'completed' AND completed_at IS NOT NULL
  UNION ALL
  SELECT spec_id, ${bucket('abandoned_at')}, shard, 0, 0, 1, 0, 0
  FROM i WHERE status = 'abandoned' AND abandoned_at IS NOT NULL
) AS contributions
GROUP BY spec_id, bucket, shard
ORDER BY spec_id, bucket, shard`; // in time order, as the ingest creates bucket rows (and in the primary key's order)

export interface ScoreSource {
  /** extra columns of each completed interview (after its id, spec, bucket and shard) */
  columns: string;
  /** joins `i` (the completed interviews) to one row per score */
  join: string;
  /** what to group by for the competency (an integer is much cheaper to hash and sort than text) */
  key: string;
  /** the competency id, from `key` */
  competency: string;
  tenths: string;
}

/** competency_rollup rows: one contribution per score of a completed interview, in its completion bucket. */
export function competencyRollupSelect(scores: ScoreSource, shard: string): string {
  return `
WITH i AS MATERIALIZED (
  SELECT id, spec_id, ${bucket('completed_at')} AS bucket, ${shard} AS shard${scores.columns}
  FROM interview WHERE status = 'completed' AND completed_at IS NOT NULL)
SELECT i.spec_id, i.bucket, ${scores.competency} AS competency_id, i.shard, sum(${scores.tenths})::bigint AS sum_tenths, count(*)::int AS n
FROM i ${scores.join}
GROUP BY i.spec_id, i.bucket, ${scores.key}, i.shard
ORDER BY i.spec_id, i.bucket, ${scores.key}, i.shard`;
}

/** The real ingest's scores. */
export const STORED_SCORES: ScoreSource = {
  columns: '',
  join: 'JOIN interview_score s ON s.interview_id = i.id',
  key: 's.competency_id',
  competency: 's.competency_id',
  tenths: 's.score_tenths',
};

/**
 * Totals that differ between the rollups the ingest wrote and the generator's recount (0 = identical),
 * per (spec, bucket) and (spec, bucket, competency) summed over shards: the app folds closed
 * buckets' shards into shard 0 while the run goes on, so only the sums are the ingest's to keep.
 * The recount puts everything in shard 0 (any constant shard does), and all-zero totals count as absent.
 */
export const ROLLUP_MISMATCHES = `
WITH expected_i AS (${interviewRollupSelect('0::smallint')}),
     actual_i AS (SELECT spec_id, bucket, 0::smallint AS shard, sum(started)::int AS started, sum(completed)::int AS completed,
                         sum(abandoned)::int AS abandoned, sum(score_sum_milli)::bigint AS score_sum_milli, sum(score_n)::int AS score_n
                  FROM interview_rollup GROUP BY spec_id, bucket
                  HAVING (sum(started), sum(completed), sum(abandoned), sum(score_sum_milli), sum(score_n)) <> (0, 0, 0, 0, 0)),
     expected_c AS (${competencyRollupSelect(STORED_SCORES, '0::smallint')}),
     actual_c AS (SELECT spec_id, bucket, competency_id, 0::smallint AS shard, sum(sum_tenths)::bigint AS sum_tenths, sum(n)::int AS n
                  FROM competency_rollup GROUP BY spec_id, bucket, competency_id HAVING (sum(sum_tenths), sum(n)) <> (0, 0))
SELECT (SELECT count(*) FROM (SELECT * FROM expected_i EXCEPT SELECT * FROM actual_i) a)::int
     + (SELECT count(*) FROM (SELECT * FROM actual_i EXCEPT SELECT * FROM expected_i) b)::int
     + (SELECT count(*) FROM (SELECT * FROM expected_c EXCEPT SELECT * FROM actual_c) c)::int
     + (SELECT count(*) FROM (SELECT * FROM actual_c EXCEPT SELECT * FROM expected_c) d)::int AS mismatches,
     (SELECT count(*) FROM actual_i)::int AS interview_totals,
     (SELECT count(*) FROM actual_c)::int AS competency_totals,
     (SELECT count(*) FROM interview)::int AS interviews`;

/** One competency's generated score for interview number g (tenths, 30.0–100.0). */
export const generatedScore = (g: string, k: number | string) => `(300 + abs(hashint4((${g}) * 8 + ${k})) % 701)`;

/**
 * n interviews of one spec, started uniformly over the year before `end` (inserted in time order, as
 * the ingest appends them): 82% completed 20–60 min later, 10% abandoned, 8% still open. Overall =
 * Σ weight × score in thousandths, as src/domain/scoring.ts computes it (weights in hundredths ×
 * scores in tenths).
 */
export function insertInterviews(n: number, specId: string, end: Date, weights: number[]): { sql: string; params: unknown[] } {
  const overall = weights.map((w, k) => `${w} * ${generatedScore('g', k + 1)}`).join(' + ');
  const sql = `
INSERT INTO interview (id, spec_id, spec_version, status, last_sequence, candidate_id, candidate_name, started_at, completed_at,
                       abandoned_at, overall_milli, report_url, created_at, updated_at)
SELECT id, $1::uuid, 1, status, CASE status WHEN 'completed' THEN 3 WHEN 'abandoned' THEN 2 ELSE 1 END, 'cand_' || g, 'Candidate ' || g,
       started_at,
       CASE WHEN status = 'completed' THEN started_at + duration END,
       CASE WHEN status = 'abandoned' THEN started_at + interval '10 minutes' END,
       CASE WHEN status = 'completed' THEN overall END,
       'https://interviews.example.com/r/' || id, started_at, started_at
FROM (
  SELECT g, ${generatedId('g')} AS id,
         $2::timestamptz - interval '365 days' + ((g - 1) + (abs(hashint4(g)) % 1000) / 1000.0) * ($3::float8 / $4::int) * interval '1 second' AS started_at,
         CASE WHEN abs(hashint4(g + 1)) % 100 < 82 THEN 'completed' WHEN abs(hashint4(g + 1)) % 100 < 92 THEN 'abandoned' ELSE 'started' END AS status,
         (20 + abs(hashint4(g + 2)) % 40) * interval '1 minute' AS duration,
         (${overall}) AS overall
  FROM generate_series(1, $4::int) AS g
) AS generated`; // generate_series emits g in order, so rows land in time order without a sort
  return { sql, params: [specId, end.toISOString(), 365 * 24 * 3600, n] };
}

/** The generated scores as competency_rollup's source (no interview_score rows: the digest never reads them). */
export function generatedScores(competencyIds: string[]): ScoreSource {
  const ids = competencyIds.map((id) => `'${id.replace(/'/g, "''")}'`).join(', ');
  return {
    columns: ', substr(id, 5)::int AS g',
    join: `CROSS JOIN generate_series(1, ${competencyIds.length}) AS c(k)`,
    key: 'c.k',
    competency: `(ARRAY[${ids}]::text[])[c.k]`,
    tenths: generatedScore('i.g', 'c.k'),
  };
}

/** The shard of a generated interview, over interview's columns. */
export const GENERATED_SHARD = generatedShard('substr(id, 5)::bigint');

/** The digest's queries (src/services/digest-data.ts), for EXPLAIN (ANALYZE, BUFFERS). $1 spec, $2–$3 period. */
export const DIGEST_QUERIES: { name: string; sql: string }[] = [
  {
    name: 'totals (interview_rollup, one week)',
    sql: `SELECT coalesce(sum(started), 0)::int AS started, coalesce(sum(completed), 0)::int AS completed,
       coalesce(sum(abandoned), 0)::int AS abandoned, coalesce(sum(score_sum_milli), 0)::bigint AS sum, coalesce(sum(score_n), 0)::int AS n
       FROM interview_rollup WHERE spec_id = $1::uuid AND bucket >= $2 AND bucket < $3`,
  },
  {
    name: 'competencies (competency_rollup, one week)',
    sql: `SELECT competency_id, sum(sum_tenths)::bigint AS sum, sum(n)::int AS n FROM competency_rollup
       WHERE spec_id = $1::uuid AND bucket >= $2 AND bucket < $3 GROUP BY competency_id`,
  },
  {
    name: 'top 3 (interview)',
    sql: `SELECT id, candidate_name, overall_milli, report_url FROM interview
       WHERE spec_id = $1::uuid AND status = 'completed' AND overall_milli IS NOT NULL AND completed_at >= $2 AND completed_at < $3
       ORDER BY overall_milli DESC, completed_at ASC LIMIT 3`,
  },
];
