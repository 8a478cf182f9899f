import { PanelistError } from '../domain/errors';
import { parseSpecDocument, type SpecDocument } from '../domain/spec-file';
import { contentHash, validateSpecContent, type SpecContent } from '../domain/spec';
import type { Db, Tx } from '../store/db';
import { isUniqueViolation } from '../store/db';
import { contentColumns } from '../store/spec-rows';
import type { ActorContext } from './actor';
import { recordAudit } from './audit';
import { applyParkedEvents } from './parked-events';
import { commitVersion } from './spec-versions';
import { queueVersionPublication, type VersionPublishing } from './spec-publication';

/** A spec takes ~10 ms to import on a quiet machine; this allows ten times that, and at least 10 s. */
const IMPORT_MS_PER_SPEC = 100;

export function importTimeoutMs(specs: number): number {
  return Math.max(10_000, specs * IMPORT_MS_PER_SPEC);
}

export type ImportOutcome =
  | { slug: string; id: string; result: 'created'; version: 1; parked: { applied: number; rejected: string[] } }
  | { slug: string; id: string; result: 'updated'; version: number }
  | { slug: string; id: string; result: 'unchanged'; version: number };

/**
 * Creates or updates specs from the interview platform's document shape. Idempotent: the same
 * document twice makes no second version (content hash), a changed one makes exactly one.
 */
export class SpecImportService {
  constructor(
    private readonly db: Db,
    /** whether the versions an import makes (v1 of a new spec included) go to the interview platform */
    private readonly publishing: VersionPublishing,
  ) {}

  /** Parses and imports one document (or an array of them); invalid input changes nothing. */
  async importJson(context: ActorContext, input: unknown, options: { onlyIfAbsent?: boolean } = {}): Promise<ImportOutcome[]> {
    const documents = Array.isArray(input) ? input : [input];
    const parsed = documents.map((document, index) => {
      const result = parseSpecDocument(document);
      const prefix = documents.length > 1 ? `[${index}] ` : '';
      if (!result.ok) {
        const lines = result.issues.map((issue) => `${prefix}${issue.path.join('.') || '(document)'}: ${issue.message}`);
        throw new PanelistError('invalid_spec', `The spec file is not valid:\n${lines.join('\n')}`, { issues: result.issues });
      }
      const problems = validateSpecContent(result.content);
      if (problems.length > 0) {
        const lines = problems.map((issue) => `${prefix}${issue.path.join('.')}: ${issue.message}`);
        throw new PanelistError('invalid_spec', `The spec file is not valid:\n${lines.join('\n')}`, { issues: problems });
      }
      return result;
    });
    // One transaction, so a conflict found while writing (a slug taken, an id of another
    // organization) leaves nothing half imported. Its time grows with the file: Prisma's default
    // of 5 s expired at about 600 specs.
    return this.db.$transaction(
      async (tx) => {
        const outcomes: ImportOutcome[] = [];
        for (const { document, content } of parsed) {
          outcomes.push(await importOne(tx, context, document, content, { ...options, publishing: this.publishing }));
        }
        return outcomes;
      },
      { timeout: importTimeoutMs(parsed.length), maxWait: 10_000 },
    );
  }
}

async function importOne(
  tx: Tx,
  context: ActorContext,
  document: SpecDocument,
  content: SpecContent,
  options: { onlyIfAbsent?: boolean; publishing: VersionPublishing },
): Promise<ImportOutcome> {
  const existing = await tx.spec.findUnique({ where: { id: document.id } });
  if (existing && existing.organizationId !== context.organizationId) {
    throw new PanelistError('invalid_input', `Spec id ${document.id} already belongs to another organization; give this spec its own id.`);
  }
  if (!existing) return createSpec(tx, context, document, content, options.publishing);
  if (options.onlyIfAbsent) return { slug: existing.slug, id: existing.id, result: 'unchanged', version: existing.currentVersion };

  const current = await tx.specVersion.findUniqueOrThrow({
    where: { specId_number: { specId: existing.id, number: existing.currentVersion } },
  });
  const sameContent = current.contentHash === contentHash(content);
  if (sameContent && existing.slug === document.slug) {
    return { slug: existing.slug, id: existing.id, result: 'unchanged', version: existing.currentVersion };
  }
  if (existing.slug !== document.slug) await renameSpec(tx, context, existing, document.slug);
  if (sameContent) return { slug: document.slug, id: existing.id, result: 'updated', version: existing.currentVersion };
  const version = await commitVersion(
    tx,
    context,
    {
      spec: { id: existing.id, slug: document.slug },
      baseVersion: existing.currentVersion,
      content,
      source: 'import',
      note: document.version ? `Imported ${document.version}` : 'Imported',
      externalVersion: document.version ?? null,
    },
    options.publishing,
  );
  return { slug: document.slug, id: existing.id, result: 'updated', version: version.number };
}

async function createSpec(
  tx: Tx,
  context: ActorContext,
  document: SpecDocument,
  content: SpecContent,
  publishing: VersionPublishing,
): Promise<ImportOutcome> {
  const taken = await tx.spec.findUnique({
    where: { organizationId_slug: { organizationId: context.organizationId, slug: document.slug } },
  });
  if (taken) {
    throw new PanelistError(
      'invalid_input',
      `The slug "${document.slug}" is already used by spec ${taken.id}; give the new spec another slug.`,
    );
  }
  await tx.spec.create({ data: { id: document.id, organizationId: context.organizationId, slug: document.slug, currentVersion: 1 } });
  const version = await tx.specVersion.create({
    data: {
      specId: document.id,
      number: 1,
      ...contentColumns(content),
      externalVersion: document.version ?? null,
      contentHash: contentHash(content),
      source: 'create',
      note: document.version ? `Imported ${document.version}` : 'Imported',
      authorPlatform: context.actor.platform,
      authorId: context.actor.userId,
      authorName: context.actor.name ?? null,
    },
  });
  await queueVersionPublication(tx, publishing, { id: version.id, specId: document.id, organizationId: context.organizationId });
  await recordAudit(tx, context, { action: 'spec.create', specId: document.id, afterVersion: 1, detail: { slug: document.slug } });
  const parked = await applyParkedEvents(tx, { id: document.id, organizationId: context.organizationId });
  return { slug: document.slug, id: document.id, result: 'created', version: 1, parked };
}

async function renameSpec(tx: Tx, context: ActorContext, spec: { id: string; slug: string; currentVersion: number }, slug: string) {
  try {
    // updated_at moves: the published document carries the slug (the pull API's updated_since, ETag)
    await tx.spec.update({ where: { id: spec.id }, data: { slug, updatedAt: new Date() } });
  } catch (error) {
    if (isUniqueViolation(error)) throw new PanelistError('invalid_input', `The slug "${slug}" is already used by another spec.`);
    throw error;
  }
  await recordAudit(tx, context, {
    action: 'spec.rename',
    specId: spec.id,
    beforeVersion: spec.currentVersion,
    afterVersion: spec.currentVersion,
    detail: { from: spec.slug, to: slug },
  });
}
