import { PanelistError } from '../domain/errors';
import type { Db } from '../store/db';
import type { ActorContext } from './actor';
import { recordAudit } from './audit';

/** Platforms whose admins are named by an operator. Slack's are the workspace's own admins and owners. */
export const NAMED_ADMIN_PLATFORMS = ['teams'] as const;
export type NamedAdminPlatform = (typeof NAMED_ADMIN_PLATFORMS)[number];

export interface NamedAdminRow {
  platform: string;
  userId: string;
  addedBy: string;
  createdAt: Date;
}

/** A Microsoft Entra object id (a user's, as Panelist keys Teams users, or a group's): a GUID. */
export const ENTRA_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who administers an organization on a platform whose own roles do not say (Teams: a team owner
 * is whoever created the team). Admins edit every spec and grant edit rights. Every change is audited.
 */
export class AdminService {
  constructor(private readonly db: Db) {}

  async add(context: ActorContext, platform: string, userId: string): Promise<{ changed: boolean }> {
    const checked = this.check(platform, userId);
    return this.db.$transaction(async (tx) => {
      const created = await tx.namedAdmin.createMany({
        data: [{ organizationId: context.organizationId, platform: checked, userId, addedBy: context.actor.userId }],
        skipDuplicates: true,
      });
      if (created.count > 0) await recordAudit(tx, context, { action: 'admin.add', detail: { platform: checked, userId } });
      return { changed: created.count > 0 };
    });
  }

  async remove(context: ActorContext, platform: string, userId: string): Promise<{ changed: boolean }> {
    const checked = this.check(platform, userId);
    return this.db.$transaction(async (tx) => {
      const removed = await tx.namedAdmin.deleteMany({ where: { organizationId: context.organizationId, platform: checked, userId } });
      if (removed.count > 0) await recordAudit(tx, context, { action: 'admin.remove', detail: { platform: checked, userId } });
      return { changed: removed.count > 0 };
    });
  }

  async list(organizationId: string): Promise<NamedAdminRow[]> {
    return this.db.namedAdmin.findMany({
      where: { organizationId },
      orderBy: [{ platform: 'asc' }, { createdAt: 'asc' }],
      select: { platform: true, userId: true, addedBy: true, createdAt: true },
    });
  }

  private check(platform: string, userId: string): NamedAdminPlatform {
    if (platform === 'slack') {
      throw new PanelistError(
        'invalid_input',
        'Slack\'s admins are the workspace\'s own admins and owners; Panelist names admins for Teams only (platform "teams").',
      );
    }
    if (!(NAMED_ADMIN_PLATFORMS as readonly string[]).includes(platform)) {
      throw new PanelistError('invalid_input', `"${platform}" is not a platform Panelist names admins for; write "teams".`);
    }
    if (!ENTRA_OBJECT_ID.test(userId)) {
      throw new PanelistError(
        'invalid_input',
        `"${userId}" is not a Teams user's Microsoft Entra object id (a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301; Entra admin center → Users → the user → Object ID).`,
      );
    }
    return platform as NamedAdminPlatform;
  }
}
