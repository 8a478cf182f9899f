import type { SqlRunner } from './sql-runner';

/**
 * The pull API's one statement per request: a spec's head (slug and current version), scoped to
 * the key's organization. A named `pg` statement, not Prisma: at 500 requests/s Prisma's ~0.4 ms
 * of CPU per statement was a quarter of the app's time per request (bench/RESULTS.md, "Pull API").
 */
const SPEC_HEAD = 'SELECT id, slug, current_version FROM spec WHERE id = $1::uuid AND organization_id = $2::uuid';

export interface SpecHead {
  id: string;
  slug: string;
  currentVersion: number;
}

export async function readSpecHead(sql: SqlRunner, organizationId: string, specId: string): Promise<SpecHead | undefined> {
  const [row] = await sql.query<{ id: string; slug: string; current_version: number }>(SPEC_HEAD, [specId, organizationId]);
  return row ? { id: row.id, slug: row.slug, currentVersion: row.current_version } : undefined;
}
