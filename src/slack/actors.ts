import type { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Actor, ActorContext } from '../services/actor';
import type { OrganizationService } from '../services/organizations';
import { isTimeZone } from '../domain/digest-schedule';

const TTL_MS = 60_000;

/** How many users and workspaces are remembered; the least recently used go first. */
export interface SlackActorLimits {
  maxActors: number;
  maxWorkspaces: number;
}
const DEFAULT_LIMITS: SlackActorLimits = { maxActors: 10_000, maxWorkspaces: 10_000 };

/**
 * Who a Slack user is to Panelist: their organization (from the workspace) and whether they are a
 * workspace admin or owner (users.info). Cached for a minute so a modal submission, which must be
 * answered within three seconds, rarely waits on Slack.
 */
export class SlackActors {
  private readonly cache: LRUCache<string, Actor>;
  /**
   * A workspace's link to its organization is made once and never changes, so it never goes
   * stale; it is bounded only because any signed request can name a new team id.
   */
  private readonly organizations: LRUCache<string, Promise<string>>;

  constructor(
    private readonly organizationService: OrganizationService,
    limits: SlackActorLimits = DEFAULT_LIMITS,
  ) {
    this.cache = new LRUCache({ max: limits.maxActors, ttl: TTL_MS });
    this.organizations = new LRUCache({ max: limits.maxWorkspaces });
  }

  /** How many users and workspaces are held now (for tests of the bound). */
  get sizes(): { actors: number; workspaces: number } {
    return { actors: this.cache.size, workspaces: this.organizations.size };
  }

  async resolve(client: webApi.WebClient, teamId: string, userId: string, userName?: string): Promise<ActorContext> {
    const organizationId = await this.organizationFor(teamId);
    const key = `${teamId}:${userId}`;
    const cached = this.cache.get(key);
    if (cached) return { organizationId, actor: cached };
    const { user } = await client.users.info({ user: userId });
    const actor: Actor = {
      platform: 'slack',
      userId,
      name: user?.profile?.display_name || user?.real_name || user?.name || userName,
      isAdmin: Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner),
      timeZone: user?.tz && isTimeZone(user.tz) ? user.tz : undefined,
    };
    this.cache.set(key, actor);
    return { organizationId, actor };
  }

  /** Reading needs no admin check: only the organization. */
  organizationFor(teamId: string): Promise<string> {
    const known = this.organizations.get(teamId);
    if (known) return known;
    const linking = this.organizationService.forSlackTeam(teamId);
    this.organizations.set(teamId, linking);
    // A failed link is not kept, so the next command tries again.
    linking.catch(() => {
      if (this.organizations.get(teamId) === linking) this.organizations.delete(teamId);
    });
    return linking;
  }
}
