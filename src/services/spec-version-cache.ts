import { LRUCache } from 'lru-cache';
import type { Db } from '../store/db';
import { currentVersionOf } from './spec-lookup';

type VersionRow = Awaited<ReturnType<typeof currentVersionOf>>;

/**
 * Spec versions by (spec, number). A version is never updated (the database refuses it), so a
 * cached one is never stale: showing a spec costs the lookup of its current number, not its
 * content. Holds the `maxVersions` most recently used; a failed read is not kept.
 */
export class SpecVersionCache {
  private readonly versions: LRUCache<string, Promise<VersionRow>>;

  constructor(
    private readonly db: Db,
    maxVersions = 500,
  ) {
    this.versions = new LRUCache({ max: maxVersions });
  }

  get size(): number {
    return this.versions.size;
  }

  get(spec: { id: string; currentVersion: number }): Promise<VersionRow> {
    const key = `${spec.id}:${spec.currentVersion}`;
    const cached = this.versions.get(key);
    if (cached) return cached;
    const version = currentVersionOf(this.db, spec);
    this.versions.set(key, version);
    version.catch(() => {
      if (this.versions.get(key) === version) this.versions.delete(key);
    });
    return version;
  }
}
