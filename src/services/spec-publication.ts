import type { BehavioralRound, Competency, InterviewQuestionSettings, MustHave, SpecContent } from '../domain/spec';
import { publishedDocument, type PublishedSpecDocument } from '../domain/spec-file';
import type { Db, Tx } from '../store/db';
import type { SpecVersionJson } from '../store/delivery-sql';
import { queueVersionDelivery } from '../store/version-line';

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
  await queueVersionDelivery(tx, {
    versionId: version.id,
    specId: version.specId,
    organizationId: version.organizationId,
    platform: PLATFORM_ENDPOINT,
  });
}

/** A version as the platform is told about it: the published document and who made it, when, why. */
export interface PublishedVersion {
  spec: PublishedSpecDocument;
  version: { number: number; author: string; note: string | null; createdAt: Date };
}

/** The version as its delivery's lease read it (src/store/delivery-sql.ts), in the platform's words. */
export function publishedVersionFrom(row: SpecVersionJson): PublishedVersion {
  const content: SpecContent = {
    title: row.title,
    level: row.level,
    competencies: row.competencies as Competency[],
    mustHaves: row.mustHaves as MustHave[],
    interviewQuestions: row.interviewQuestions as InterviewQuestionSettings,
    behavioralRound: row.behavioralRound as BehavioralRound,
  };
  return {
    spec: publishedDocument({ id: row.specId, slug: row.slug }, row.number, content),
    version: {
      number: row.number,
      author: row.authorName ?? `${row.authorPlatform}:${row.authorId}`,
      note: row.note,
      createdAt: new Date(row.createdAt),
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
