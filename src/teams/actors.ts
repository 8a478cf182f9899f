import type { Actor, ActorContext } from '../services/actor';
import type { OrganizationService } from '../services/organizations';
import { PanelistError } from '../domain/errors';

const TTL_MS = 60_000;

/** What the Bot Connector's roster says about one member (GET /v3/conversations/{id}/members/{user}). */
export interface RosterMember {
  id: string;
  name?: string;
  aadObjectId?: string;
  /** Teams fills this for team rosters: "owner", "user" or "guest" */
  userRole?: string;
}

export type RosterLookup = (conversationId: string, userId: string) => Promise<RosterMember | undefined>;

export interface TeamsUser {
  /** the AAD object id: how Panelist knows a Teams user (grants, authors) */
  aadObjectId: string;
  /** the Bot Framework id (29:…), for roster lookups */
  id: string;
  name?: string;
}

/**
 * Who a Teams user is to Panelist. The organization: this bot is single-tenant (TEAMS_TENANT_ID), and
 * its tenant joins the default organization (where the demo spec and CLI imports go); activities from
 * any other tenant are refused. Admin: a team owner, as the team's roster says (`userRole: "owner"`);
 * in group and personal chats nobody is an owner, so only grants let people edit there. Cached for a
 * minute, as in Slack.
 */
export class TeamsActors {
  private readonly cache = new Map<string, { actor: Actor; expires: number }>();

  constructor(
    private readonly organizations: OrganizationService,
    private readonly tenantId: string,
  ) {}

  async organizationFor(tenantId: string | undefined): Promise<string> {
    if (tenantId && tenantId !== this.tenantId) {
      throw new PanelistError('forbidden', 'This Panelist serves another Microsoft 365 organization; ask your admin to install your own.');
    }
    return this.organizations.ensureDefault();
  }

  async resolve(tenantId: string | undefined, user: TeamsUser, teamId: string | undefined, roster: RosterLookup): Promise<ActorContext> {
    const organizationId = await this.organizationFor(tenantId);
    const key = `${teamId ?? '-'}:${user.aadObjectId}`;
    const cached = this.cache.get(key);
    if (cached && cached.expires > Date.now()) return { organizationId, actor: cached.actor };
    let isAdmin = false;
    let name = user.name;
    if (teamId) {
      // The team's roster (its id is the General channel's conversation id) knows owners.
      const member = await roster(teamId, user.id);
      isAdmin = member?.userRole?.toLowerCase() === 'owner';
      name = member?.name ?? name;
    }
    const actor: Actor = { platform: 'teams', userId: user.aadObjectId, name, isAdmin };
    this.cache.set(key, { actor, expires: Date.now() + TTL_MS });
    return { organizationId, actor };
  }
}
