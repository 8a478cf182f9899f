import {
  encodeSpecCursor,
  ifNoneMatchHits,
  type PublishedVersion,
  publishedVersion,
  type SpecCursor,
  specEntityTag,
  specPageEntityTag,
} from '../domain/spec-api';
import { isConnectionLoss } from '../store/connection-loss';
import type { Db } from '../store/db';
import { readSpecHead } from '../store/spec-api-sql';
import { versionContent } from '../store/spec-rows';
import { prismaRunner, type SqlRunner } from '../store/sql-runner';
import { SpecVersionCache } from './spec-version-cache';

export type VersionAnswer =
  | { status: 'ok'; entityTag: string; body: PublishedVersion }
  | { status: 'not_modified'; entityTag: string }
  | { status: 'no_spec' }
  | { status: 'no_version'; latest: number };

export interface SpecPage {
  specs: PublishedVersion[];
  /** the cursor of the next page (opaque); null on the last page */
  next: string | null;
  /** changes when any listed document or the page's extent changes */
  entityTag: string;
}

export interface PageQuery {
  /** only specs whose document changed after this time */
  updatedSince?: Date;
  /** the cursor of the previous page */
  after?: SpecCursor;
  limit: number;
}

/**
 * The pull API's reads (docs/spec-api.md): an organization's specs as the platform's documents.
 * Every read is scoped to the key's organization, so another organization's spec is simply not
 * there. A conditional read whose tag still matches is answered from the spec row alone.
 */
export class PublishedSpecService {
  private readonly versions: SpecVersionCache;

  /** `sql`: where the per-request spec lookup runs; the app passes its `pg` pool (src/store/spec-api-sql.ts) */
  constructor(
    private readonly db: Db,
    private readonly sql: SqlRunner = prismaRunner(db),
  ) {
    // Versions never change, so a cached one is never stale (src/services/spec-version-cache.ts).
    this.versions = new SpecVersionCache(db);
  }

  /** The current version; `ifNoneMatch` is the request's If-None-Match header. */
  async current(organizationId: string, specId: string, ifNoneMatch?: string): Promise<VersionAnswer> {
    const spec = await this.specRow(organizationId, specId);
    if (!spec) return { status: 'no_spec' };
    return this.answer(spec, spec.currentVersion, ifNoneMatch);
  }

  /** Version `number`, which exists when it is between 1 and the current one (versions are never deleted). */
  async version(organizationId: string, specId: string, number: number, ifNoneMatch?: string): Promise<VersionAnswer> {
    const spec = await this.specRow(organizationId, specId);
    if (!spec) return { status: 'no_spec' };
    if (number > spec.currentVersion) return { status: 'no_version', latest: spec.currentVersion };
    return this.answer(spec, number, ifNoneMatch);
  }

  /** Specs in the order their documents last changed, oldest first: a poller's position only moves forward. */
  async page(organizationId: string, query: PageQuery): Promise<SpecPage> {
    const { updatedSince, after, limit } = query;
    const rows = await this.db.spec.findMany({
      where: {
        organizationId,
        ...(updatedSince ? { updatedAt: { gt: updatedSince } } : {}),
        ...(after ? { OR: [{ updatedAt: { gt: after.updatedAt } }, { updatedAt: after.updatedAt, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
      take: limit + 1,
      select: { id: true, slug: true, currentVersion: true, updatedAt: true },
    });
    const page = rows.slice(0, limit);
    const versions =
      page.length === 0
        ? []
        : await this.db.specVersion.findMany({ where: { OR: page.map((spec) => ({ specId: spec.id, number: spec.currentVersion })) } });
    const bySpec = new Map(versions.map((version) => [version.specId, version]));
    const last = page[page.length - 1];
    const next = rows.length > limit && last ? encodeSpecCursor({ updatedAt: last.updatedAt, id: last.id }) : null;
    return {
      specs: page.map((spec) => {
        const version = bySpec.get(spec.id)!;
        return publishedVersion(spec, version, versionContent(version));
      }),
      next,
      entityTag: specPageEntityTag(
        page.map((spec) => specEntityTag(spec, spec.currentVersion)),
        next,
      ),
    };
  }

  /** True when the database could not be reached: the client should try again shortly. */
  isUnavailable(error: unknown): boolean {
    return isConnectionLoss(error);
  }

  private specRow(organizationId: string, specId: string) {
    return readSpecHead(this.sql, organizationId, specId);
  }

  private async answer(spec: { id: string; slug: string }, number: number, ifNoneMatch: string | undefined): Promise<VersionAnswer> {
    const entityTag = specEntityTag(spec, number);
    if (ifNoneMatchHits(ifNoneMatch, entityTag)) return { status: 'not_modified', entityTag };
    const version = await this.versions.get({ id: spec.id, currentVersion: number });
    return { status: 'ok', entityTag, body: publishedVersion(spec, version, versionContent(version)) };
  }
}
