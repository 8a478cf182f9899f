import { describeChanges } from '../domain/changes';
import { PanelistError } from '../domain/errors';
import { contentHash, validateSpecContent, type SpecContent } from '../domain/spec';
import type { Tx } from '../store/db';
import { contentColumns, versionContent } from '../store/spec-rows';
import type { ActorContext } from './actor';
import { recordAudit } from './audit';
import { phrase } from '../domain/phrase';
import { queueVersionPublication, type VersionPublishing } from './spec-publication';

export type VersionSource = 'create' | 'edit' | 'weights' | 'revert' | 'import';

export interface NewVersion {
  spec: { id: string; slug: string };
  /** the version the change was made against: the commit fails if it is no longer current */
  baseVersion: number;
  content: SpecContent;
  source: VersionSource;
  note?: string | null;
  revertedFrom?: number;
  externalVersion?: string | null;
}

export interface CommittedVersion {
  number: number;
  slug: string;
  changes: string[];
}

/**
 * Copy-on-write: appends version base+1 and moves the spec's pointer, only if `base` is still
 * current (optimistic concurrency; the unique (spec_id, number) backs it up against races). With
 * `publishing` on, the version is queued for the interview platform in the same transaction; it
 * is a required argument so that no new way of saving a version can forget to decide.
 */
export async function commitVersion(
  tx: Tx,
  context: ActorContext,
  change: NewVersion,
  publishing: VersionPublishing,
): Promise<CommittedVersion> {
  const issues = validateSpecContent(change.content);
  if (issues.length > 0) {
    throw new PanelistError('invalid_spec', issues.map((issue) => issue.message).join(' '), { issues });
  }
  const before = await tx.specVersion.findUniqueOrThrow({
    where: { specId_number: { specId: change.spec.id, number: change.baseVersion } },
  });
  const moved = await tx.spec.updateMany({
    where: { id: change.spec.id, currentVersion: change.baseVersion },
    data: { currentVersion: { increment: 1 }, updatedAt: new Date() },
  });
  if (moved.count !== 1) throw await staleVersionError(tx, change.spec, change.baseVersion, change.source);

  const hash = contentHash(change.content);
  const number = change.baseVersion + 1;
  const version = await tx.specVersion.create({
    data: {
      specId: change.spec.id,
      number,
      ...contentColumns(change.content),
      externalVersion: change.externalVersion ?? before.externalVersion,
      contentHash: hash,
      source: change.source,
      note: change.note?.trim() || null,
      revertedFrom: change.revertedFrom ?? null,
      authorPlatform: context.actor.platform,
      authorId: context.actor.userId,
      authorName: context.actor.name ?? null,
    },
  });
  await queueVersionPublication(tx, publishing, { id: version.id, specId: change.spec.id, organizationId: context.organizationId });
  const changes = describeChanges(versionContent(before), change.content);
  await recordAudit(tx, context, {
    action: `spec.${change.source}`,
    specId: change.spec.id,
    beforeVersion: change.baseVersion,
    afterVersion: number,
    detail: { changes, note: version.note },
  });
  return { number, slug: change.spec.slug, changes };
}

async function staleVersionError(tx: Tx, spec: { id: string; slug: string }, base: number, source: VersionSource) {
  const next = await tx.specVersion.findUnique({ where: { specId_number: { specId: spec.id, number: base + 1 } } });
  const current = await tx.spec.findUniqueOrThrow({ where: { id: spec.id }, select: { currentVersion: true } });
  const who = next ? (next.authorName ?? next.authorId) : 'someone else';
  return new PanelistError(
    'stale_version',
    phrase`\`${spec.slug}\` changed ${source === 'edit' ? 'while you were editing' : 'just now'}: ${who} made v${base + 1}${
      next ? ` at ${next.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''
    } (now v${current.currentVersion}). ${
      source === 'edit'
        ? `Your changes to v${base} were not saved; open it again and redo them.`
        : 'Nothing was saved; look at the new version and run your command again.'
    }`,
    {
      baseVersion: base,
      currentVersion: current.currentVersion,
      changedBy: next ? { platform: next.authorPlatform, id: next.authorId, name: next.authorName } : null,
    },
  );
}
