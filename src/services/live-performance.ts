import { LRUCache } from 'lru-cache';
import type { Db } from '../store/db';
import { competencyAverages, interviewTotals } from './rollup-sums';
import type { LivePerformance } from './spec-views';

export type LivePerformanceReader = (specId: string, competencyIds: string[]) => Promise<LivePerformance>;

/**
 * The spec page's all-time numbers, summed from the rollups the ingest keeps (one row per spec,
 * quarter hour and shard), so a show costs the spec's buckets, not its whole interview history.
 * The counts and averages mean what the weekly digest's do: interviews that started, completed and
 * abandoned, averages rounded half up from exact sums; completion is completed ÷ started, as on the
 * interview platform's page (domain/completion.ts).
 */
export function livePerformanceFromRollups(db: Db): LivePerformanceReader {
  return async (specId, competencyIds) => {
    const [totals, competencies] = await Promise.all([interviewTotals(db, specId), competencyAverages(db, specId)]);
    return {
      interviews: totals.started,
      completed: totals.completed,
      abandoned: totals.abandoned,
      averageScore: totals.averageScore,
      competencies: competencyIds.map((id) => ({ id, average: competencies.get(id)?.average ?? null, n: competencies.get(id)?.n ?? 0 })),
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
  // The age is checked here rather than by the cache's own TTL, so tests can drive the clock.
  const entries = new LRUCache<string, { readAt: number; value: Promise<LivePerformance> }>({ max: maxSpecs });
  return (specId, competencyIds) => {
    const key = `${specId}\u0000${competencyIds.join('\u0000')}`;
    const entry = entries.get(key);
    if (entry && now() - entry.readAt < options.ttlMs) return entry.value;
    const value = read(specId, competencyIds);
    entries.set(key, { readAt: now(), value });
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  };
}
