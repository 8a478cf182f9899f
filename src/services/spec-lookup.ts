import { PanelistError } from '../domain/errors';
import { quoted } from '../domain/text';
import { MAX_NEAR_CANDIDATES, nearMatches } from '../domain/near';
import type { Db, Tx } from '../store/db';
import { specIdsStartingWith } from '../store/spec-rows';
import { code, joinPhrases, phrase } from '../domain/phrase';

/**
 * `<spec>` in a command is a slug, or an unambiguous prefix of the id (DESIGN.md). Unknown specs get
 * near matches, so a typo is answered with what the user probably meant.
 */
export async function findSpec(db: Db | Tx, organizationId: string, reference: string) {
  const ref = reference.trim().toLowerCase();
  const bySlug = await db.spec.findUnique({ where: { organizationId_slug: { organizationId, slug: ref } } });
  if (bySlug) return bySlug;
  if (/^[0-9a-f-]{4,36}$/.test(ref)) {
    const byId = await specIdsStartingWith(db, organizationId, ref, 2);
    if (byId.length === 1) return db.spec.findUniqueOrThrow({ where: { id: byId[0]! } });
    if (byId.length > 1) {
      throw new PanelistError('spec_ambiguous', `"${quoted(reference)}" matches more than one spec id; give more characters or the slug.`);
    }
  }
  // Near matches look at a bounded number of slugs (src/domain/near.ts); reading more is wasted.
  const rows = await db.spec.findMany({
    where: { organizationId },
    select: { slug: true },
    orderBy: { slug: 'asc' },
    take: MAX_NEAR_CANDIDATES,
  });
  const slugs = rows.map((s) => s.slug);
  const near = nearMatches(ref, slugs);
  const hint =
    near.length > 0
      ? phrase` Did you mean ${joinPhrases(near.map(code), ' or ')}?`
      : slugs.length > 0
        ? phrase` \`list\` shows the specs you can use.`
        : phrase` There are no specs yet; import one with \`npx panelist specs import <file.json>\`.`;
  throw new PanelistError('spec_not_found', phrase`No spec "${quoted(reference)}".${hint}`, { near });
}

export async function currentVersionOf(db: Db | Tx, spec: { id: string; currentVersion: number }) {
  return db.specVersion.findUniqueOrThrow({ where: { specId_number: { specId: spec.id, number: spec.currentVersion } } });
}
