import type http from 'node:http';

/** What the fake Connector keeps of a posted activity, as Graph then lists it. */
export interface ListedActivity {
  id: string;
  conversationId: string;
  body: Record<string, unknown>;
  postedAt: Date;
  modifiedAt: Date;
  deleted?: boolean;
}

export interface GraphRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** as sent, still encoded */
  rawQuery: string;
  authorization?: string;
  /** a POST's JSON body */
  body?: unknown;
}

/**
 * Microsoft Graph's message listings on the fake's server (`{url}/v1.0/...`: the SDK keeps only the scheme and host of Graph's root), over the
 * activities the fake Connector accepted, with Graph's shapes: `teams/{group}/channels/{channel}/
 * messages/delta` (by the team's group id, a `lastModifiedDateTime gt` filter, `$top`, next links)
 * and `chats/{chat}/messages`. Cards come back as Graph returns them: attachment content as a JSON string.
 * And `POST users/{id}/checkMemberGroups` over `groupMembers` (the Entra admin group check).
 */
export class FakeGraph {
  readonly requests: GraphRequest[] = [];
  /** statuses the next Graph requests answer with, one each (403: no consent; 503: Graph trouble) */
  readonly faults: number[] = [];
  /** consulted for each request when no queued fault is left (the drills' random faults) */
  chaos?: () => number | undefined;
  /** Entra group id → the object ids of its members, transitive members included (as checkMemberGroups counts them) */
  readonly groupMembers = new Map<string, Set<string>>();
  /** users Entra knows besides the groups' members (anyone else is a 404, as another tenant's user is) */
  readonly users = new Set<string>();

  constructor(
    private readonly activities: () => ListedActivity[],
    /** Bot Framework team id → Microsoft 365 group id */
    private readonly teamGroups: Map<string, string>,
    private readonly botAppId: string,
    private readonly baseUrl: () => string,
  ) {}

  /** Answers a Graph request; false when the path is not Graph's. */
  handle(req: http.IncomingMessage, json: (status: number, body: unknown) => void, raw = ''): boolean {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (!url.pathname.startsWith('/v1.0/')) return false;
    const path = decodeURIComponent(url.pathname.slice('/v1.0'.length));
    const body = req.method === 'POST' && raw ? (JSON.parse(raw) as unknown) : undefined;
    this.requests.push({
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      rawQuery: url.search,
      authorization: req.headers.authorization,
      body,
    });
    if (!req.headers.authorization?.startsWith('Bearer ')) return reply(json, 401, 'InvalidAuthenticationToken');
    const fault = this.faults.shift() ?? this.chaos?.();
    if (fault) return reply(json, fault, fault === 403 ? 'Authorization_RequestDenied' : 'ServiceUnavailable');
    const memberOf = /^\/users\/([^/]+)\/checkMemberGroups$/.exec(path);
    if (memberOf && req.method === 'POST') return this.checkMemberGroups(memberOf[1]!, body, json);
    const channel = /^\/teams\/([^/]+)\/channels\/([^/]+)\/messages\/delta$/.exec(path);
    const chat = /^\/chats\/([^/]+)\/messages$/.exec(path);
    if (channel && ![...this.teamGroups.values()].includes(channel[1]!)) return reply(json, 404, 'NotFound');
    const conversationId = channel?.[2] ?? chat?.[1];
    if (!conversationId || req.method !== 'GET') return reply(json, 404, 'NotFound');

    const after = /lastModifiedDateTime gt (\S+)/.exec(url.searchParams.get('$filter') ?? '')?.[1];
    const top = Number(url.searchParams.get('$top') ?? 20);
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    const listed = this.activities()
      .filter((a) => a.conversationId === conversationId && (!after || a.modifiedAt > new Date(after)))
      .sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime());
    const page = listed.slice(skip, skip + top);
    const next = new URL(`${this.baseUrl()}${url.pathname}`);
    for (const [key, value] of url.searchParams) next.searchParams.set(key, value);
    next.searchParams.set('$skiptoken', String(skip + top));
    json(200, {
      value: page.map((a) => this.message(a)),
      ...(skip + top < listed.length
        ? { '@odata.nextLink': next.toString() }
        : { '@odata.deltaLink': `${this.baseUrl()}/v1.0/delta-done` }),
    });
    return true;
  }

  /** Graph's answer: those of the asked groups the user is in; 404 for a user the directory does not hold. */
  private checkMemberGroups(userId: string, body: unknown, json: (status: number, body: unknown) => void): true {
    const groupIds = (body as { groupIds?: unknown } | undefined)?.groupIds;
    if (!Array.isArray(groupIds) || groupIds.length === 0 || groupIds.length > 20) return reply(json, 400, 'Request_BadRequest');
    if (!this.directory.has(userId)) return reply(json, 404, 'Request_ResourceNotFound');
    json(200, { value: groupIds.filter((id) => this.groupMembers.get(String(id))?.has(userId)) });
    return true;
  }

  private get directory(): Set<string> {
    return new Set([...this.users, ...[...this.groupMembers.values()].flatMap((members) => [...members])]);
  }

  /** The checkMemberGroups requests so far. */
  get memberChecks(): GraphRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/checkMemberGroups'));
  }

  private message(activity: ListedActivity) {
    const attachments = (activity.body.attachments as { contentType: string; content: unknown }[] | undefined) ?? [];
    return {
      id: activity.id,
      messageType: 'message',
      createdDateTime: activity.postedAt.toISOString(),
      lastModifiedDateTime: activity.modifiedAt.toISOString(),
      deletedDateTime: activity.deleted ? activity.modifiedAt.toISOString() : null,
      from: { user: null, application: { id: this.botAppId, displayName: 'Panelist', applicationIdentityType: 'bot' } },
      body: { contentType: 'html', content: attachments.map((_, i) => `<attachment id="${activity.id}-${i}"></attachment>`).join('') },
      attachments: attachments.map((a, i) => ({
        id: `${activity.id}-${i}`,
        contentType: a.contentType,
        content: JSON.stringify(a.content),
        contentUrl: null,
        name: null,
      })),
    };
  }
}

function reply(json: (status: number, body: unknown) => void, status: number, code: string): true {
  json(status, { error: { code, message: `fake Graph: ${code}` } });
  return true;
}
