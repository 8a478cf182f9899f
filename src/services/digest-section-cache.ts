import { LRUCache } from 'lru-cache';
import type { Competency } from '../domain/spec';
import type { Db } from '../store/db';
import { specSection, type DigestSectionWithActivity } from './digest-data';

export interface SectionSpec {
  id: string;
  slug: string;
  title: string;
  competencies: Competency[];
  /** the version title and competencies come from: an edit makes a new entry */
  version: number;
}

/**
 * One spec's figures for one period are the same in every channel that follows it: on a Monday
 * morning 10,000 channels' digests over 500 specs need 500 readings of the rollups, not 10,000.
 * Each reading is kept for `ttlMs` (one reading in flight per key), names included; a private
 * channel's copy hides them. Bounded: the `max` most recently used.
 */
export class DigestSectionCache {
  private readonly entries: LRUCache<string, Promise<DigestSectionWithActivity>>;

  constructor(
    private readonly db: Db,
    options: { ttlMs?: number; max?: number } = {},
  ) {
    this.entries = new LRUCache({ max: options.max ?? 2_000, ttl: options.ttlMs ?? 60_000 });
  }

  async section(
    spec: SectionSpec,
    period: { start: Date; end: Date },
    options: { hideNames: boolean; specUrl: string | null; timeZone?: string },
  ): Promise<DigestSectionWithActivity> {
    // the zone names the chart's weeks (and sets their edges across daylight-saving changes)
    const timeZone = options.timeZone ?? 'UTC';
    const key = `${spec.id}:${spec.version}:${period.start.getTime()}:${period.end.getTime()}:${timeZone}`;
    let reading = this.entries.get(key);
    if (!reading) {
      reading = specSection(this.db, spec, period, { hideNames: false, specUrl: null, timeZone });
      this.entries.set(key, reading);
      // a failed reading is not kept: the next digest asks again
      reading.catch(() => this.entries.delete(key));
    }
    const section = await reading;
    return {
      ...section,
      specUrl: options.specUrl,
      top: options.hideNames ? section.top.map((candidate) => ({ ...candidate, candidateName: null })) : section.top,
    };
  }
}
