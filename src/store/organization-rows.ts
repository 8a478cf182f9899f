import type { Db, Tx } from './db';

/**
 * Creates the organization unless its slug exists. Safe to call concurrently (replicas starting, a
 * first command racing the start): Prisma's upsert is a read then an insert, so two at once could
 * both insert; ON CONFLICT cannot.
 */
export async function insertOrganizationIfAbsent(db: Db, slug: string, name: string): Promise<void> {
  await db.$executeRaw`INSERT INTO organization (id, slug, name) VALUES (gen_random_uuid(), ${slug}, ${name}) ON CONFLICT (slug) DO NOTHING`;
}

/** Serialises first-time workspace links, so two workspaces never both claim the default organization. */
export async function lockWorkspaceLinks(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('panelist.slack_workspace_link'))`;
}
