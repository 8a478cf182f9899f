import type { Tx } from './db';

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
