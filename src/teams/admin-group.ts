import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';
import { ADMIN_GROUP_PERMISSIONS } from '../services/admin-group';
import { ENTRA_OBJECT_ID } from '../services/admins';

/** The SDK's Graph HTTP client (`app.graph.http`): base URL `{graph}/v1.0`, the app's own Graph token. */
export interface GraphPoster {
  post(url: string, data: unknown, config?: { timeout?: number }): Promise<{ data: unknown }>;
}

/** `unverified`: Graph could not say, so the user is no admin for this command (fail closed). */
export type GroupMembership = { member: true } | { member: false; unverified?: true };

export interface AdminGroupCheckOptions {
  /** how long an answer is reused (TEAMS_ADMIN_GROUP_CACHE_MS): a change in Entra counts within it */
  ttlMs: number;
  logger: Logger;
  metrics?: Metrics;
  maxUsers?: number;
  timeoutMs?: number;
}

type Outcome = 'member' | 'not_member' | 'refused' | 'unavailable';

/** a failing Graph is logged once per tenant in this long; the metric counts every failure */
const WARN_EVERY_MS = 5 * 60_000;

/**
 * Whether a Teams user is in the organization's Entra admin group, asked of Microsoft Graph
 * (`checkMemberGroups`, transitive) with the app's token, which needs User.Read.All and
 * GroupMember.Read.All (ADMIN_GROUP_PERMISSIONS). Answers are reused for the TTL (bounded LRU), so a busy user costs one
 * Graph call per TTL, and concurrent commands of one user share the call. A failure is not
 * remembered: the user is no admin for that command only, and the next one asks again.
 */
export class AdminGroupCheck {
  private readonly answers: LRUCache<string, boolean>;
  private readonly asking = new Map<string, Promise<GroupMembership>>();
  private readonly warned = new LRUCache<string, true>({ max: 1_000, ttl: WARN_EVERY_MS });
  private readonly timeoutMs: number;

  constructor(
    private readonly graph: GraphPoster,
    private readonly options: AdminGroupCheckOptions,
  ) {
    this.answers = new LRUCache({ max: options.maxUsers ?? 10_000, ttl: options.ttlMs });
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  /** How many users' answers are held now (for the test of the bound). */
  get size(): number {
    return this.answers.size;
  }

  async isMember(tenantId: string, groupId: string, userId: string): Promise<GroupMembership> {
    // A Bot Framework id (no AAD object id on the activity) is nobody Entra knows.
    if (!ENTRA_OBJECT_ID.test(userId)) return { member: false };
    const key = `${groupId}:${userId.toLowerCase()}`;
    const known = this.answers.get(key);
    if (known !== undefined) return known ? { member: true } : { member: false };
    const pending = this.asking.get(key);
    if (pending) return pending;
    const asked = this.ask(tenantId, groupId, userId, key).finally(() => this.asking.delete(key));
    this.asking.set(key, asked);
    return asked;
  }

  private async ask(tenantId: string, groupId: string, userId: string, key: string): Promise<GroupMembership> {
    let outcome: Outcome;
    let reason: string | undefined;
    try {
      const { data } = await this.graph.post(
        `/users/${encodeURIComponent(userId)}/checkMemberGroups`,
        { groupIds: [groupId] },
        { timeout: this.timeoutMs },
      );
      const value = (data as { value?: unknown } | undefined)?.value;
      outcome =
        Array.isArray(value) && value.some((id) => typeof id === 'string' && id.toLowerCase() === groupId.toLowerCase())
          ? 'member'
          : 'not_member';
    } catch (error) {
      const status = statusOf(error);
      // A user the directory does not hold (another tenant's, in a shared channel) is in none of its groups.
      if (status === 404) outcome = 'not_member';
      else [outcome, reason] = failure(status, error, this.timeoutMs);
    }
    this.options.metrics?.teamsAdminGroupChecks.inc({ result: outcome });
    if (outcome === 'member' || outcome === 'not_member') {
      this.answers.set(key, outcome === 'member');
      return outcome === 'member' ? { member: true } : { member: false };
    }
    if (!this.warned.has(tenantId)) {
      this.warned.set(tenantId, true);
      this.options.logger.warn(
        { tenantId, groupId, result: outcome, reason },
        `Teams admin group check failed: ${reason}; users outside the named admins are not admins until Graph answers (logged once per tenant every 5 minutes; panelist_teams_admin_group_checks_total counts each)`,
      );
    }
    return { member: false, unverified: true };
  }
}

/** What went wrong, in words for the log. Never the error itself: its request config holds the token. */
function failure(status: number | undefined, error: unknown, timeoutMs: number): [Outcome, string] {
  if (status === 401 || status === 403) {
    return [
      'refused',
      `Microsoft Graph refused it (HTTP ${status}): give the app registration the ${ADMIN_GROUP_PERMISSIONS} and grant admin consent`,
    ];
  }
  if (status === 429) return ['unavailable', 'Microsoft Graph is throttling Panelist (HTTP 429)'];
  if (status !== undefined && status < 500) return ['refused', `Microsoft Graph refused it (HTTP ${status}); is the group id right?`];
  if (status !== undefined) return ['unavailable', `Microsoft Graph answered HTTP ${status}`];
  const e = error as { code?: string; message?: string };
  if (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' || /timeout/i.test(e.message ?? '')) {
    return ['unavailable', `Microsoft Graph did not answer within ${timeoutMs / 1000} s`];
  }
  return ['unavailable', `could not reach Microsoft Graph (${e.code ?? String(e.message ?? error).slice(0, 120)})`];
}

function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: number; response?: { status?: number } };
  return e.response?.status ?? e.statusCode;
}
