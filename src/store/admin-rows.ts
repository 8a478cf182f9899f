import type { Db, Tx } from './db';

/** What the database says about a Teams user: named an admin, and the organization's Entra admin group (if one is set). */
export interface TeamsAdminStanding {
  named: boolean;
  groupId?: string;
}

/** Both primary-key reads in one round trip: they run on every Teams command that may change something. */
export async function readTeamsAdminStanding(db: Db | Tx, organizationId: string, userId: string): Promise<TeamsAdminStanding> {
  const [row] = await db.$queryRaw<{ named: boolean; group_id: string | null }[]>`
    SELECT EXISTS (SELECT 1 FROM named_admin WHERE organization_id = ${organizationId}::uuid AND platform = 'teams' AND user_id = ${userId}) AS named,
           (SELECT group_id::text FROM teams_admin_group WHERE organization_id = ${organizationId}::uuid) AS group_id`;
  return { named: row?.named === true, ...(row?.group_id ? { groupId: row.group_id } : {}) };
}

/** The organization's admin group, its row locked until the transaction ends (two operators setting at once are audited in the order they won). */
export async function lockAdminGroup(tx: Tx, organizationId: string): Promise<string | undefined> {
  const [row] = await tx.$queryRaw<{ group_id: string }[]>`
    SELECT group_id::text FROM teams_admin_group WHERE organization_id = ${organizationId}::uuid FOR UPDATE`;
  return row?.group_id;
}

/** Removes the organization's admin group; returns the group it was, if any. */
export async function deleteAdminGroup(tx: Tx, organizationId: string): Promise<string | undefined> {
  const [row] = await tx.$queryRaw<{ group_id: string }[]>`
    DELETE FROM teams_admin_group WHERE organization_id = ${organizationId}::uuid RETURNING group_id::text`;
  return row?.group_id;
}
