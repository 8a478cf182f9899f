import type { Db } from '../store/db';
import { currentVersionOf } from './spec-lookup';

type VersionRow = Awaited<ReturnType<typeof currentVersionOf>>;

/**
 * Spec versions by (spec, number). A version is never updated (the database refuses it), so a
 * cached one is never stale: showing a spec costs the lookup of its current number, not its
 * content. Holds the `maxVersions` most recently used.
 */
export class SpecVersionCache {
  private readonly versions = new Map<string, Promise<VersionRow>>();

  constructor(
    private readonly db: Db,
    private readonly maxVersions = 500,
  ) {}

  get(spec: { id: string; currentVersion: number }): Promise<VersionRow> {
    const key = `${spec.id}:${spec.currentVersion}`;
    let version = this.versions.get(key);
    if (version) {
      this.versions.delete(key);
    } else {
      version = currentVersionOf(this.db, spec);
      version.catch(() => {
        if (this.versions.get(key) === version) this.versions.delete(key);
      });
    }
    this.versions.set(key, version);
    if (this.versions.size > this.maxVersions) this.versions.delete(this.versions.keys().next().value!);
    return version;
  }
}
