import { PanelistError } from '../domain/errors';
import { deleteAdminGroup, lockAdminGroup } from '../store/admin-rows';
import type { Db } from '../store/db';
import type { ActorContext } from './actor';
import { ENTRA_OBJECT_ID } from './admins';
import { recordAudit } from './audit';

/**
 * What Graph needs to answer `POST /users/{id}/checkMemberGroups` for another user with an app
 * token: Microsoft's least-privileged pair (its user-checkmembergroups reference), granted with
 * admin consent on the app registration. Named once, for the CLI, the log and the docs to agree.
 */
export const ADMIN_GROUP_PERMISSIONS = 'User.Read.All and GroupMember.Read.All application permissions';

export interface AdminGroupRow {
  groupId: string;
  setBy: string;
  setAt: Date;
}

/**
 * The Microsoft Entra group whose members are an organization's Teams admins, besides the named
 * ones (one at most). Only its id is stored: who is in it is Entra's to say, asked of Microsoft
 * Graph when a member acts. Every change is audited, as named admins are.
 */
export class AdminGroupService {
  constructor(private readonly db: Db) {}

  async get(organizationId: string): Promise<AdminGroupRow | undefined> {
    const row = await this.db.teamsAdminGroup.findUnique({
      where: { organizationId },
      select: { groupId: true, setBy: true, setAt: true },
    });
    return row ?? undefined;
  }

  /** `previous`: the group it replaced, if any; `changed` is false when it was already this group. */
  async set(context: ActorContext, groupId: string): Promise<{ changed: boolean; previous?: string }> {
    const id = checkGroupId(groupId);
    return this.db.$transaction(async (tx) => {
      const current = await lockAdminGroup(tx, context.organizationId);
      if (current === id) return { changed: false, previous: id };
      const data = { groupId: id, setBy: context.actor.userId, setAt: new Date() };
      await tx.teamsAdminGroup.upsert({
        where: { organizationId: context.organizationId },
        create: { organizationId: context.organizationId, ...data },
        update: data,
      });
      await recordAudit(tx, context, { action: 'admin.group.set', detail: { groupId: id, previous: current ?? null } });
      return { changed: true, previous: current };
    });
  }

  async clear(context: ActorContext): Promise<{ changed: boolean; previous?: string }> {
    return this.db.$transaction(async (tx) => {
      const removed = await deleteAdminGroup(tx, context.organizationId);
      if (!removed) return { changed: false };
      await recordAudit(tx, context, { action: 'admin.group.clear', detail: { groupId: removed } });
      return { changed: true, previous: removed };
    });
  }
}

function checkGroupId(groupId: string): string {
  if (!ENTRA_OBJECT_ID.test(groupId)) {
    throw new PanelistError(
      'invalid_input',
      `"${groupId.slice(0, 80)}" is not a Microsoft Entra group's object id (a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301; Entra admin center → Groups → the group → Object ID). A group's name or e-mail address will not do.`,
    );
  }
  return groupId.toLowerCase();
}
