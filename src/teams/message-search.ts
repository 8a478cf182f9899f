import { ADAPTIVE_CARD } from './cards/message';
import type { ConversationRef } from '../store/teams-conversations';
import { SendError } from '../delivery/sender';

/** The SDK's Graph HTTP client (`app.graph.http`): base URL `{graph}/v1.0`, the app's Graph token. */
export interface GraphHttp {
  get(url: string, config?: { timeout?: number }): Promise<{ data: unknown }>;
}

export type SearchResult = { kind: 'found'; messageId: string } | { kind: 'absent' } | { kind: 'unsearchable'; reason: string };

/** A chatMessage as Graph lists it: only what the search reads. */
interface GraphMessage {
  id?: string;
  deletedDateTime?: string | null;
  from?: { application?: { id?: string } | null } | null;
  attachments?: { contentType?: string; content?: string | null }[] | null;
}

interface GraphPage {
  value?: GraphMessage[];
  '@odata.nextLink'?: string;
}

const PAGE_SIZE = 50;
const MAX_PAGES = 5;

/**
 * Looks through a conversation's recent messages, through Microsoft Graph, for one that Panelist
 * posted carrying a tag (TeamsSender's lost-answer recovery). Channels are read with the team's
 * `ChannelMessage.Read.Group` and group chats with `ChatMessage.Read.Chat`: resource-specific
 * consent, granted when the app is added (manifests/teams/manifest.json). Graph names a team by
 * its Microsoft 365 group id, which the caller resolves. A personal chat's Graph id is not one the
 * bot is given, so personal chats cannot be searched.
 */
export class MessageSearch {
  constructor(
    private readonly graph: GraphHttp,
    private readonly timeoutMs = 10_000,
  ) {}

  async find(ref: ConversationRef, tag: string, since: Date): Promise<SearchResult> {
    const first = firstPage(ref, since);
    if ('reason' in first) return { kind: 'unsearchable', reason: first.reason };
    // OData wants %20 for the spaces in $filter; a params object would be form-encoded (`+`)
    const query = Object.entries(first.params).map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`);
    let url: string | undefined = `${first.url}?${query.join('&')}`;
    for (let page = 0; url && page < MAX_PAGES; page += 1) {
      let data: GraphPage;
      try {
        data = (await this.graph.get(url, { timeout: this.timeoutMs })).data as GraphPage;
      } catch (error) {
        const refused = refusal(error);
        if (refused) return { kind: 'unsearchable', reason: refused };
        throw transient(error);
      }
      const found = data.value?.find((message) => isTagged(message, tag));
      if (found?.id) return { kind: 'found', messageId: found.id };
      // the next link carries the query itself
      url = data['@odata.nextLink'];
    }
    return { kind: 'absent' };
  }
}

function firstPage(ref: ConversationRef, since: Date): { url: string; params: Record<string, string | number> } | { reason: string } {
  // a minute's margin, as in Slack: clocks differ, and Graph's timestamps are its own
  const after = new Date(since.getTime() - 60_000).toISOString();
  if (ref.conversationType === 'channel') {
    if (!ref.teamAadGroupId) return { reason: 'the team’s Microsoft 365 group id is not known' };
    // list-messages takes no date filter; its delta sibling does, and lists the same root posts
    return {
      url: `/teams/${encodeURIComponent(ref.teamAadGroupId)}/channels/${encodeURIComponent(ref.conversationId)}/messages/delta`,
      params: { $filter: `lastModifiedDateTime gt ${after}`, $top: PAGE_SIZE },
    };
  }
  if (ref.conversationType === 'groupChat') {
    return {
      url: `/chats/${encodeURIComponent(ref.conversationId)}/messages`,
      params: { $filter: `lastModifiedDateTime gt ${after}`, $orderby: 'lastModifiedDateTime desc', $top: PAGE_SIZE },
    };
  }
  return { reason: 'a personal chat cannot be searched through Graph by a bot' };
}

/** Posted by an app (not a user quoting it), not deleted, with a card whose JSON holds the tag. */
function isTagged(message: GraphMessage, tag: string): boolean {
  if (message.deletedDateTime || !message.from?.application) return false;
  return (message.attachments ?? []).some(
    (a) => a.contentType === ADAPTIVE_CARD && typeof a.content === 'string' && a.content.includes(`"${tag}"`),
  );
}

/** Graph said no for good (no consent, no such conversation): searching again will not help. */
function refusal(error: unknown): string | undefined {
  const status = statusOf(error);
  if (status === 401 || status === 403)
    return `Graph refused the search (HTTP ${status}): has the team or chat consented to Panelist reading its messages?`;
  if (status === 404) return 'Graph does not know this conversation (HTTP 404)';
  if (status !== undefined && status >= 400 && status < 500 && status !== 429 && status !== 408)
    return `Graph refused the search (HTTP ${status})`;
  return undefined;
}

function transient(error: unknown): SendError {
  const status = statusOf(error);
  if (status === 429) {
    const retryAfter = Number((error as { response?: { headers?: Record<string, unknown> } }).response?.headers?.['retry-after']);
    return new SendError(
      'rate_limited',
      'Graph rate limit (429) while looking for an earlier post',
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 5_000,
    );
  }
  const what =
    status === undefined ? `could not reach Graph: ${(error as Error).message ?? String(error)}` : `Graph answered HTTP ${status}`;
  return new SendError('transient', `${what} while looking for an earlier post`);
}

function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: number; response?: { status?: number } };
  return e.response?.status ?? e.statusCode;
}
