import type { webApi } from '@slack/bolt';
import type { Actor, ActorContext } from '../services/actor';
import type { OrganizationService } from '../services/organizations';
import { isTimeZone } from '../domain/digest-schedule';

const TTL_MS = 60_000;

/**
 * Who a Slack user is to Panelist: their organization (from the workspace) and whether they are a
 * workspace admin or owner (users.info). Cached for a minute so a modal submission, which must be
 * answered within three seconds, rarely waits on Slack.
 */
export class SlackActors {
  private readonly cache = new Map<string, { actor: Actor; expires: number }>();
  /** A workspace's link to its organization is made once and never changes, so it is kept. */
  private readonly organizations = new Map<string, Promise<string>>();

  constructor(private readonly organizationService: OrganizationService) {}

  async resolve(client: webApi.WebClient, teamId: string, userId: string, userName?: string): Promise<ActorContext> {
    const organizationId = await this.organizationFor(teamId);
    const key = `${teamId}:${userId}`;
    const cached = this.cache.get(key);
    if (cached && cached.expires > Date.now()) return { organizationId, actor: cached.actor };
    const { user } = await client.users.info({ user: userId });
    const actor: Actor = {
      platform: 'slack',
      userId,
      name: user?.profile?.display_name || user?.real_name || user?.name || userName,
      isAdmin: Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner),
      timeZone: user?.tz && isTimeZone(user.tz) ? user.tz : undefined,
    };
    this.cache.set(key, { actor, expires: Date.now() + TTL_MS });
    return { organizationId, actor };
  }

  /** Reading needs no admin check: only the organization. */
  organizationFor(teamId: string): Promise<string> {
    let organizationId = this.organizations.get(teamId);
    if (!organizationId) {
      organizationId = this.organizationService.forSlackTeam(teamId);
      this.organizations.set(teamId, organizationId);
      organizationId.catch(() => this.organizations.delete(teamId));
    }
    return organizationId;
  }
}
