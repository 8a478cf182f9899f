import { LRUCache } from 'lru-cache';
import type { Actor, ActorContext } from '../services/actor';
import type { OrganizationService } from '../services/organizations';
import { PanelistError } from '../domain/errors';
import type { AdminGroupCheck } from './admin-group';

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
 * What a command needs to know: `admin` for one that edits or grants; `identity` for one that
 * never asks (subscriptions, digests), so it costs no Graph call.
 */
export type ActorNeeds = 'admin' | 'identity';

/**
 * Who a Teams user is to Panelist. The organization: this bot is single-tenant (TEAMS_TENANT_ID), and
 * its tenant joins the default organization (where the demo spec and CLI imports go); activities from
 * any other tenant are refused. Admin: a user an operator named (`npx panelist admins add teams
 * <object id>`), or a member of the organization's Entra admin group (`admins group set`), asked of
 * Graph only for users who are not named. Owning a team is not enough: anyone may create a team and
 * own it, and that says nothing about who runs hiring. Others edit what they are granted. The
 * roster's name is cached for a minute; the named admins and the group id are read on every
 * command, so `admins add|remove|group` takes effect on the next one.
 */
export class TeamsActors {
  /** Roster names by team and user: any signed activity can name a new one, so the bound matters. */
  private readonly names: LRUCache<string, { name: string | undefined }>;

  constructor(
    private readonly organizations: OrganizationService,
    private readonly tenantId: string,
    private readonly adminGroup?: AdminGroupCheck,
    maxNames = 10_000,
  ) {
    this.names = new LRUCache({ max: maxNames, ttl: TTL_MS });
  }

  /** How many roster names are held now (for the test of the bound). */
  get nameCount(): number {
    return this.names.size;
  }

  async organizationFor(tenantId: string | undefined): Promise<string> {
    if (tenantId && tenantId !== this.tenantId) {
      throw new PanelistError('forbidden', 'This Panelist serves another Microsoft 365 organization; ask your admin to install your own.');
    }
    return this.organizations.ensureDefault();
  }

  async resolve(
    tenantId: string | undefined,
    user: TeamsUser,
    teamId: string | undefined,
    roster: RosterLookup,
    needs: ActorNeeds = 'admin',
  ): Promise<ActorContext> {
    const organizationId = await this.organizationFor(tenantId);
    const [name, standing] = await Promise.all([
      this.nameOf(user, teamId, roster),
      this.organizations.teamsAdminStanding(organizationId, user.aadObjectId),
    ]);
    const actor: Actor = { platform: 'teams', userId: user.aadObjectId, name, isAdmin: standing.named };
    if (!standing.named && standing.groupId && needs === 'admin' && this.adminGroup) {
      const membership = await this.adminGroup.isMember(this.tenantId, standing.groupId, user.aadObjectId);
      actor.isAdmin = membership.member;
      if (!membership.member && membership.unverified) actor.adminUnverified = true;
    }
    return { organizationId, actor };
  }

  /** The name the team's roster gives (its id is the General channel's conversation id), else the activity's. */
  private async nameOf(user: TeamsUser, teamId: string | undefined, roster: RosterLookup): Promise<string | undefined> {
    if (!teamId) return user.name;
    const key = `${teamId}:${user.aadObjectId}`;
    const cached = this.names.get(key);
    if (cached) return cached.name;
    const member = await roster(teamId, user.id);
    const name = member?.name ?? user.name;
    this.names.set(key, { name });
    return name;
  }
}
