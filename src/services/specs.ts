import { describeChanges } from '../domain/changes';
import { PanelistError } from '../domain/errors';
import { nearMatches } from '../domain/near';
import { quoted } from '../domain/text';
import { contentHash, type SpecContent } from '../domain/spec';
import { describeImbalance, formatWeight, sumWeights } from '../domain/weights';
import type { Db } from '../store/db';
import { versionContent } from '../store/spec-rows';
import type { ActorContext } from './actor';
import { assertCanEditSpec } from './permissions';
import { currentVersionOf, findSpec } from './spec-lookup';
import { commitVersion } from './spec-versions';
import { livePerformanceFromRollups, type LivePerformanceReader } from './live-performance';
import { SpecVersionCache } from './spec-version-cache';
import type { VersionPublishing } from './spec-publication';
import { versionInfo, type HistoryEntry, type SpecSummary, type SpecView } from './spec-views';
import { phrase } from '../domain/phrase';

/** What one edit form changes: whole lists, or some of the interview settings. */
export type SpecEdit = Partial<Pick<SpecContent, 'title' | 'competencies' | 'mustHaves'>> & {
  interviewQuestions?: Partial<SpecContent['interviewQuestions']>;
  behavioralRound?: Partial<SpecContent['behavioralRound']>;
};

function applyEdit(base: SpecContent, edit: SpecEdit): SpecContent {
  return {
    ...base,
    ...(edit.title === undefined ? {} : { title: edit.title }),
    ...(edit.competencies === undefined ? {} : { competencies: edit.competencies }),
    ...(edit.mustHaves === undefined ? {} : { mustHaves: edit.mustHaves }),
    interviewQuestions: { ...base.interviewQuestions, ...edit.interviewQuestions },
    behavioralRound: { ...base.behavioralRound, ...edit.behavioralRound },
  };
}

/** An answer names this many unknown competencies, then counts the rest. */
const MAX_UNKNOWN_NAMED = 5;

/** Reading and changing specs: the use cases behind list/show/edit/weights/history/revert. */
export class SpecService {
  private readonly versions: SpecVersionCache;

  constructor(
    private readonly db: Db,
    /** whether the versions saved here (edit, weights, revert) go to the interview platform */
    private readonly publishing: VersionPublishing,
    private readonly livePerformance: LivePerformanceReader = livePerformanceFromRollups(db),
  ) {
    this.versions = new SpecVersionCache(db);
  }

  async list(organizationId: string): Promise<SpecSummary[]> {
    const specs = await this.db.spec.findMany({ where: { organizationId }, orderBy: { slug: 'asc' } });
    const versions = await this.db.specVersion.findMany({
      where: { OR: specs.map((spec) => ({ specId: spec.id, number: spec.currentVersion })) },
      select: { specId: true, title: true, competencies: true },
    });
    const bySpec = new Map(versions.map((version) => [version.specId, version]));
    return specs.map((spec) => ({
      id: spec.id,
      slug: spec.slug,
      title: bySpec.get(spec.id)?.title ?? spec.slug,
      version: spec.currentVersion,
      competencies: ((bySpec.get(spec.id)?.competencies as unknown[]) ?? []).length,
      updatedAt: spec.updatedAt,
    }));
  }

  async show(organizationId: string, reference: string): Promise<SpecView> {
    const spec = await findSpec(this.db, organizationId, reference);
    const version = await this.versions.get(spec);
    const content = versionContent(version);
    const live = await this.livePerformance(
      spec.id,
      content.competencies.map((c) => c.id),
    );
    return { id: spec.id, slug: spec.slug, content, version: versionInfo(version), live };
  }

  /** Every version's number, time and competency ids, oldest first: what the platform would score an interview with. */
  async versionTimeline(organizationId: string, reference: string) {
    const spec = await findSpec(this.db, organizationId, reference);
    const versions = await this.db.specVersion.findMany({
      where: { specId: spec.id },
      orderBy: { number: 'asc' },
      select: { number: true, createdAt: true, competencies: true },
    });
    const timeline = versions.map((v) => ({
      number: v.number,
      createdAt: v.createdAt,
      competencyIds: (v.competencies as { id: string }[]).map((c) => c.id),
    }));
    return { id: spec.id, slug: spec.slug, versions: timeline };
  }

  /** The current version for an edit form, refused up front to users who may not edit. */
  async openForEdit(context: ActorContext, reference: string): Promise<SpecView> {
    const spec = await findSpec(this.db, context.organizationId, reference);
    await assertCanEditSpec(this.db, context, spec);
    return this.show(context.organizationId, spec.id);
  }

  async history(organizationId: string, reference: string, limit = 15): Promise<{ slug: string; entries: HistoryEntry[]; total: number }> {
    const spec = await findSpec(this.db, organizationId, reference);
    const versions = await this.db.specVersion.findMany({
      where: { specId: spec.id, number: { gt: spec.currentVersion - limit - 1 } },
      orderBy: { number: 'desc' },
    });
    const entries = versions.slice(0, limit).map((version, index) => {
      const previous = versions[index + 1];
      const changes = describeChanges(previous ? versionContent(previous) : undefined, versionContent(version));
      return { ...versionInfo(version), changes: version.number === 1 ? ['created'] : changes };
    });
    return { slug: spec.slug, entries, total: spec.currentVersion };
  }

  /** An edit form's changes, applied to the version the form was opened on (not whatever is current). */
  async edit(context: ActorContext, specId: string, change: { baseVersion: number; changes: SpecEdit; note?: string }) {
    return this.db.$transaction(async (tx) => {
      const spec = await tx.spec.findFirst({ where: { id: specId, organizationId: context.organizationId } });
      if (!spec) throw new PanelistError('spec_not_found', 'That spec no longer exists.');
      await assertCanEditSpec(tx, context, spec);
      const base = await tx.specVersion.findUnique({ where: { specId_number: { specId, number: change.baseVersion } } });
      if (!base) throw new PanelistError('version_not_found', phrase`\`${spec.slug}\` has no v${change.baseVersion}.`);
      const content = applyEdit(versionContent(base), change.changes);
      if (base.contentHash === contentHash(content) && spec.currentVersion === change.baseVersion) {
        throw new PanelistError('no_change', phrase`Nothing changed; \`${spec.slug}\` stays at v${spec.currentVersion}.`);
      }
      return commitVersion(
        tx,
        context,
        { spec, baseVersion: change.baseVersion, content, source: 'edit', note: change.note },
        this.publishing,
      );
    });
  }

  /**
   * A one-line change to the current version (a must-have, the interview settings): `apply` gives
   * the new content, or throws a PanelistError saying why it cannot. The spec's rules still judge it.
   */
  async change(context: ActorContext, reference: string, apply: (content: SpecContent, spec: { slug: string }) => SpecContent) {
    return this.db.$transaction(async (tx) => {
      const spec = await findSpec(tx, context.organizationId, reference);
      await assertCanEditSpec(tx, context, spec);
      const content = versionContent(await currentVersionOf(tx, spec));
      const next = apply(content, spec);
      if (contentHash(next) === contentHash(content)) {
        throw new PanelistError('no_change', phrase`That is how \`${spec.slug}\` already is (v${spec.currentVersion}); nothing changed.`);
      }
      return commitVersion(tx, context, { spec, baseVersion: spec.currentVersion, content: next, source: 'edit' }, this.publishing);
    });
  }

  async setWeights(context: ActorContext, reference: string, weights: { competencyId: string; hundredths: number }[]) {
    return this.db.$transaction(async (tx) => {
      const spec = await findSpec(tx, context.organizationId, reference);
      await assertCanEditSpec(tx, context, spec);
      const content = versionContent(await currentVersionOf(tx, spec));
      const known = content.competencies.map((c) => c.id);
      const unknown = weights.filter((w) => !known.includes(w.competencyId));
      if (unknown.length > 0) {
        // One work budget for all the suggestions: a command can name hundreds of unknown ids.
        const meter = { cells: 0 };
        const hints = unknown.slice(0, MAX_UNKNOWN_NAMED).map((w) => {
          const near = nearMatches(w.competencyId, known, 1, meter)[0];
          return `"${quoted(w.competencyId)}"${near ? ` (did you mean ${near}?)` : ''}`;
        });
        if (unknown.length > MAX_UNKNOWN_NAMED) hints.push(`and ${unknown.length - MAX_UNKNOWN_NAMED} more`);
        throw new PanelistError(
          'invalid_input',
          phrase`\`${spec.slug}\` has no competency ${hints.join(', ')}. Its competencies: ${known.join(', ')}.`,
        );
      }
      const next: SpecContent = {
        ...content,
        competencies: content.competencies.map((c) => {
          const given = weights.find((w) => w.competencyId === c.id);
          return given ? { ...c, weight: given.hundredths } : c;
        }),
      };
      const imbalance = describeImbalance(sumWeights(next.competencies.map((c) => c.weight)));
      if (imbalance) {
        const listing = next.competencies.map((c) => `${c.id}=${formatWeight(c.weight)}`).join(' ');
        throw new PanelistError('invalid_spec', `${imbalance} With your change: ${listing}. Nothing was saved.`);
      }
      if (contentHash(next) === contentHash(content)) {
        throw new PanelistError('no_change', phrase`Those are already the weights of \`${spec.slug}\` (v${spec.currentVersion}).`);
      }
      return commitVersion(tx, context, { spec, baseVersion: spec.currentVersion, content: next, source: 'weights' }, this.publishing);
    });
  }

  async revert(context: ActorContext, reference: string, number: number) {
    return this.db.$transaction(async (tx) => {
      const spec = await findSpec(tx, context.organizationId, reference);
      await assertCanEditSpec(tx, context, spec);
      const target = await tx.specVersion.findUnique({ where: { specId_number: { specId: spec.id, number } } });
      if (!target) {
        throw new PanelistError(
          'version_not_found',
          phrase`\`${spec.slug}\` has versions 1 to ${spec.currentVersion}; there is no v${number}.`,
        );
      }
      if (number === spec.currentVersion) {
        throw new PanelistError('no_change', phrase`v${number} is already the current version of \`${spec.slug}\`.`);
      }
      return commitVersion(
        tx,
        context,
        {
          spec,
          baseVersion: spec.currentVersion,
          content: versionContent(target),
          source: 'revert',
          note: `Reverted to v${number}`,
          revertedFrom: number,
        },
        this.publishing,
      );
    });
  }
}
