import type { Competency } from '../domain/spec';
import type { Db, Tx } from '../store/db';
import { BUCKET_MS } from '../store/rollups';
import { readDigestMessage, type DigestMessageRow } from '../store/digest-view-sql';
import { prismaRunner, type SqlRunner } from '../store/sql-runner';
import { prismaTransaction, type SqlTransaction } from '../store/sql-transaction';
import { claimDigests, DEFAULT_CLAIM_BATCH, DEFAULT_CLAIM_DELIVERIES, type ClaimedDigest } from './digest-claims';
import type { DigestCharts } from './digest-charts';
import { DigestSectionCache, type SectionSpec } from './digest-section-cache';
import type { DigestView } from './digest-views';
import { ALL_SPECS } from './permissions';
import { findSpec } from './spec-lookup';

export const DIGEST_KIND = 'digest';
export type { ClaimedDigest };

export interface DigestOptions {
  /** how many messages a digest of n specs needs (the renderer's split), so each part is one delivery */
  messagesFor(specCount: number): number;
  /** e.g. https://interviews.example.com/specs/{id} — SPEC_URL_TEMPLATE */
  specUrlTemplate?: string;
  /** schedules claimed per transaction (DEFAULT_CLAIM_BATCH) */
  claimBatchSize?: number;
  /** deliveries created per transaction (DEFAULT_CLAIM_DELIVERIES) */
  claimDeliveries?: number;
  /** pictures for the sections (with PUBLIC_URL); without, sections carry their chart in words only */
  charts?: DigestCharts;
  /** where a digest's message is read: the app's `pg` pool; Prisma's connection by default */
  reads?: SqlRunner;
}

/**
 * The weekly digest. Postgres decides what is due and who sends it: a digest row per
 * (schedule, period) under a unique key, claimed in a batch transaction that also queues its deliveries.
 * Replicas racing for the same period insert one row; a replica back from downtime claims only the
 * latest period (late), once.
 */
export class DigestService {
  private readonly sections: DigestSectionCache;
  private readonly reads: SqlRunner;

  constructor(
    private readonly db: Db,
    private readonly options: DigestOptions,
    /** where claims run: the app's `pg` pool (pgTransaction); Prisma's connection by default */
    private readonly claimsIn: SqlTransaction = prismaTransaction(db),
  ) {
    this.sections = new DigestSectionCache(db);
    this.reads = options.reads ?? prismaRunner(db);
  }

  /**
   * Claims every digest due at `now`, in batches of short transactions (see claimDigests). The
   * scheduler passes `onlyDue` (schedules whose next time has come, skipping locked ones);
   * `npx panelist digests run --at` considers every enabled schedule. `onBatch` hears each batch's
   * digests as soon as it commits.
   */
  async claimDue(
    now: Date,
    mode: { onlyDue: boolean } = { onlyDue: true },
    onBatch?: (claimed: ClaimedDigest[]) => void,
  ): Promise<ClaimedDigest[]> {
    const settings = {
      kind: DIGEST_KIND,
      messagesFor: this.options.messagesFor,
      batchSize: this.options.claimBatchSize ?? DEFAULT_CLAIM_BATCH,
      maxDeliveries: this.options.claimDeliveries ?? DEFAULT_CLAIM_DELIVERIES,
    };
    return claimDigests(this.claimsIn, settings, now, mode.onlyDue, onBatch);
  }

  /** The digest as its channel will see it (names hidden if any of the channel's subscriptions is private). */
  async view(digestId: string): Promise<DigestView | undefined> {
    return (await this.message(digestId))?.view;
  }

  /** The digest's view and how many messages it was split into: one read, then the sections (cached per spec and week). */
  async message(digestId: string): Promise<{ view: DigestView; parts: number } | undefined> {
    const row = await readDigestMessage(this.reads, digestId);
    return row ? this.messageFrom(digestId, row) : undefined;
  }

  /** The same from a row already read (the delivery run reads it with its lease). */
  async messageFrom(digestId: string, row: DigestMessageRow): Promise<{ view: DigestView; parts: number }> {
    const view = await this.build(
      row.specs,
      { start: row.periodStart, end: row.periodEnd },
      { timeZone: row.timeZone, late: row.late, hideNames: row.hideNames },
    );
    const charted = this.options.charts ? await this.options.charts.attach({ id: digestId, periodEnd: row.periodEnd }, view) : view;
    return { view: charted, parts: row.parts };
  }

  /** `digests preview <spec> --at`: the seven days before `at` (on the quarter hour), names shown. */
  async preview(organizationId: string, reference: string, at: Date, timeZone = 'UTC'): Promise<DigestView> {
    const spec = await findSpec(this.db, organizationId, reference);
    const specs = await specsFollowed(this.db, organizationId, [spec.id]);
    const end = new Date(Math.floor(at.getTime() / BUCKET_MS) * BUCKET_MS);
    const start = new Date(end.getTime() - 7 * 24 * 3600 * 1000);
    return this.build(specs, { start, end }, { timeZone, late: false, hideNames: false });
  }

  private async build(
    specs: SpecInfo[],
    period: { start: Date; end: Date },
    options: { timeZone: string; late: boolean; hideNames: boolean },
  ): Promise<DigestView> {
    const sections = await Promise.all(
      specs.map((spec) =>
        this.sections.section(spec, period, {
          hideNames: options.hideNames,
          timeZone: options.timeZone,
          specUrl: this.options.specUrlTemplate ? this.options.specUrlTemplate.replace('{id}', spec.id).replace('{slug}', spec.slug) : null,
        }),
      ),
    );
    return {
      periodStart: period.start,
      periodEnd: period.end,
      timeZone: options.timeZone,
      late: options.late,
      quiet: sections.every((section) => !section.active),
      specs: sections.map(({ active: _active, ...section }) => section),
    };
  }
}

type SpecInfo = SectionSpec;

async function specsFollowed(db: Db | Tx, organizationId: string, scopes: string[]): Promise<SpecInfo[]> {
  const all = scopes.includes(ALL_SPECS);
  const specs = await db.spec.findMany({
    where: all ? { organizationId } : { organizationId, id: { in: scopes } },
    orderBy: { slug: 'asc' },
  });
  const versions = await db.specVersion.findMany({
    where: { OR: specs.map((spec) => ({ specId: spec.id, number: spec.currentVersion })) },
    select: { specId: true, title: true, competencies: true },
  });
  return specs.map((spec) => {
    const version = versions.find((v) => v.specId === spec.id);
    return {
      id: spec.id,
      slug: spec.slug,
      title: version?.title ?? spec.slug,
      competencies: (version?.competencies as unknown as Competency[]) ?? [],
      version: spec.currentVersion,
    };
  });
}
