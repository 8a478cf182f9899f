import { averageOfMilli, averageOfTenths } from '../domain/digest-math';
import type { Db } from '../store/db';
import type { LivePerformance } from './spec-views';

export type LivePerformanceReader = (specId: string, competencyIds: string[]) => Promise<LivePerformance>;

/**
 * The spec page's all-time numbers, summed from the rollups the ingest keeps (one row per spec,
 * quarter hour and shard), so a show costs the spec's buckets, not its whole interview history.
 * The counts and averages mean what the weekly digest's do: interviews that started, completion
 * rate over the interviews that ended, averages rounded half up from exact sums.
 */
export function livePerformanceFromRollups(db: Db): LivePerformanceReader {
  return async (specId, competencyIds) => {
    const [[totals], perCompetency] = await Promise.all([
      db.$queryRaw<{ started: number; completed: number; abandoned: number; sum: bigint; n: number }[]>`
        SELECT coalesce(sum(started), 0)::int AS started, coalesce(sum(completed), 0)::int AS completed,
               coalesce(sum(abandoned), 0)::int AS abandoned, coalesce(sum(score_sum_milli), 0)::bigint AS sum,
               coalesce(sum(score_n), 0)::int AS n
        FROM interview_rollup WHERE spec_id = ${specId}::uuid`,
      db.$queryRaw<{ competency_id: string; sum: bigint; n: number }[]>`
        SELECT competency_id, sum(sum_tenths)::bigint AS sum, sum(n)::int AS n
        FROM competency_rollup WHERE spec_id = ${specId}::uuid GROUP BY competency_id`,
    ]);
    const completed = totals?.completed ?? 0;
    const abandoned = totals?.abandoned ?? 0;
    const byId = new Map(perCompetency.map((row) => [row.competency_id, row]));
    return {
      interviews: totals?.started ?? 0,
      completed,
      abandoned,
      completionRate: completed + abandoned === 0 ? null : completed / (completed + abandoned),
      averageScore: averageOfMilli(BigInt(totals?.sum ?? 0), totals?.n ?? 0),
      competencies: competencyIds.map((id) => {
        const row = byId.get(id);
        return { id, average: row ? averageOfTenths(BigInt(row.sum), row.n) : null, n: row?.n ?? 0 };
      }),
    };
  };
}

/**
 * Serves each spec's numbers for `ttlMs` after reading them, and lets concurrent shows of one spec
 * share a single read: a channel full of people opening the same spec costs one query, however
 * busy the spec. The price is numbers up to `ttlMs` old, which a page that says "live" can afford.
 * A failed read is not kept. At most `maxSpecs` specs are held, the least recently read dropped.
 */
export function cachedLivePerformance(
  read: LivePerformanceReader,
  options: { ttlMs: number; maxSpecs?: number; now?: () => number },
): LivePerformanceReader {
  if (options.ttlMs <= 0) return read;
  const now = options.now ?? (() => performance.now());
  const maxSpecs = options.maxSpecs ?? 1_000;
  const entries = new Map<string, { readAt: number; value: Promise<LivePerformance> }>();
  return (specId, competencyIds) => {
    const key = `${specId}\u0000${competencyIds.join('\u0000')}`;
    const entry = entries.get(key);
    if (entry && now() - entry.readAt < options.ttlMs) return entry.value;
    const value = read(specId, competencyIds);
    entries.delete(key);
    entries.set(key, { readAt: now(), value });
    if (entries.size > maxSpecs) entries.delete(entries.keys().next().value!);
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  };
}
