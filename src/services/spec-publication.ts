import { publishedDocument, type PublishedSpecDocument } from '../domain/spec-file';
import type { Db, Tx } from '../store/db';
import { enqueueDelivery } from '../store/queue';
import { versionContent } from '../store/spec-rows';

/**
 * Publishing spec versions to the interview platform (docs/spec-webhook.md). A new version is a
 * delivery like any chat message: an outbox row with its job, written in the transaction that saves
 * the version, so a version is published exactly when it is committed. In the pipeline the
 * platform's endpoint is one more platform, each spec one of its channels, which keeps a spec's
 * versions in one line (src/store/version-line.ts).
 */
export const SPEC_VERSION_KIND = 'spec.version';
/** The platform name of the interview platform's endpoint in the delivery pipeline. */
export const PLATFORM_ENDPOINT = 'platform';

/**
 * Whether the process saving a version publishes it: PLATFORM_WEBHOOK_URL and _SECRET are set there.
 * Handed to the services by the composition root (app.ts, cli/main.ts), never read from the environment.
 */
export interface VersionPublishing {
  readonly enabled: boolean;
}

export const NOT_PUBLISHED: VersionPublishing = { enabled: false };

/** Queues the version for the platform, inside the transaction that creates it. */
export async function queueVersionPublication(
  tx: Tx,
  publishing: VersionPublishing,
  version: { id: string; specId: string; organizationId: string },
): Promise<void> {
  if (!publishing.enabled) return;
  const delivery = await tx.delivery.create({
    data: {
      kind: SPEC_VERSION_KIND,
      subjectId: version.id,
      platform: PLATFORM_ENDPOINT,
      workspaceId: version.organizationId,
      channelId: version.specId,
    },
    select: { id: true, platform: true, kind: true },
  });
  await enqueueDelivery(tx, delivery);
}

/** A version as the platform is told about it: the published document and who made it, when, why. */
export interface PublishedVersion {
  spec: PublishedSpecDocument;
  version: { number: number; author: string; note: string | null; createdAt: Date };
}

/** undefined when there is no such version (versions are never deleted, so only for a wrong id). */
export async function publishedVersion(db: Db, versionId: string): Promise<PublishedVersion | undefined> {
  const version = await db.specVersion.findUnique({ where: { id: versionId }, include: { spec: { select: { id: true, slug: true } } } });
  if (!version) return undefined;
  return {
    spec: publishedDocument(version.spec, version.number, versionContent(version)),
    version: {
      number: version.number,
      author: version.authorName ?? `${version.authorPlatform}:${version.authorId}`,
      note: version.note,
      createdAt: version.createdAt,
    },
  };
}

/** "senior-backend-payments v3", for the operator's listings; keyed by version id. */
export async function versionLabels(db: Db, versionIds: string[]): Promise<Map<string, string>> {
  if (versionIds.length === 0) return new Map();
  const versions = await db.specVersion.findMany({
    where: { id: { in: versionIds } },
    select: { id: true, number: true, spec: { select: { slug: true } } },
  });
  return new Map(versions.map((v) => [v.id, `${v.spec.slug} v${v.number}`]));
}
