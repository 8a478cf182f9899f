import type { Db } from '../store/db';
import { insertOrganizationIfAbsent, lockWorkspaceLinks } from '../store/organization-rows';
import { readTeamsAdminStanding, type TeamsAdminStanding } from '../store/admin-rows';

export const DEFAULT_ORGANIZATION_SLUG = 'default';

/**
 * Tenancy: an organization owns specs and a Slack workspace belongs to exactly one organization.
 * The first workspace to use Panelist joins the default organization (where the demo spec and CLI
 * imports go); each later workspace, in OAuth mode, gets an organization of its own.
 */
export class OrganizationService {
  constructor(private readonly db: Db) {}

  /** Safe to call concurrently: see insertOrganizationIfAbsent. */
  async ensureDefault(): Promise<string> {
    await insertOrganizationIfAbsent(this.db, DEFAULT_ORGANIZATION_SLUG, 'Default organization');
    return (await this.db.organization.findUniqueOrThrow({ where: { slug: DEFAULT_ORGANIZATION_SLUG }, select: { id: true } })).id;
  }

  /** Whether an operator named this Teams user an admin (`npx panelist admins add`), and the organization's admin group, if set. */
  teamsAdminStanding(organizationId: string, userId: string): Promise<TeamsAdminStanding> {
    return readTeamsAdminStanding(this.db, organizationId, userId);
  }

  async bySlug(slug: string): Promise<string | undefined> {
    return (await this.db.organization.findUnique({ where: { slug } }))?.id;
  }

  async forSlackTeam(teamId: string, teamName?: string): Promise<string> {
    const linked = await this.db.slackWorkspace.findUnique({ where: { teamId } });
    if (linked) return linked.organizationId;
    const defaultId = await this.ensureDefault();
    return this.db.$transaction(async (tx) => {
      await lockWorkspaceLinks(tx);
      const again = await tx.slackWorkspace.findUnique({ where: { teamId } });
      if (again) return again.organizationId;
      const defaultTaken = await tx.slackWorkspace.findFirst({ where: { organizationId: defaultId } });
      const organizationId = defaultTaken
        ? (await tx.organization.create({ data: { slug: `slack-${teamId.toLowerCase()}`, name: teamName ?? teamId } })).id
        : defaultId;
      await tx.slackWorkspace.create({ data: { teamId, organizationId, name: teamName ?? null } });
      return organizationId;
    });
  }
}
