import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';
import { interviewCard } from './cards/interview';
import { digestCard, digestPartHasContent } from './cards/digest';
import { deliveryTag, tagDelivery, type TeamsMessage } from './cards/message';
import type { ConversationRef, ConversationStore } from '../store/teams-conversations';
import type { MessageSearch } from './message-search';
import { notForChat, SendError, type ChannelTarget, type ChatSender, type DeliveryContent } from '../delivery/sender';
import type { Reply } from '../conversation';
import { documentMessage } from './cards/document';

/** Posts to and updates activities in a conversation through the Bot Connector (the SDK's client). */
export interface ConnectorClient {
  create(serviceUrl: string, conversationId: string, message: TeamsMessage): Promise<{ id?: string }>;
  update(serviceUrl: string, conversationId: string, activityId: string, message: TeamsMessage): Promise<unknown>;
  /** The team's Microsoft 365 group id (`GET /v3/teams/{id}`), which Graph names teams by. */
  teamGroupId(serviceUrl: string, teamId: string): Promise<string | undefined>;
}

export interface TeamsSenderOptions {
  fallbackServiceUrl?: string;
  /** finds a post whose answer was lost; without it such a post may be repeated */
  search?: MessageSearch;
  /** how long after a lost answer to look for the post: Graph lists a new message within seconds, not at once */
  searchDelayMs?: number;
  logger?: Logger;
  metrics?: Metrics;
}

/**
 * Sends through the Bot Connector (`POST {serviceUrl}/v3/conversations/{id}/activities`, `PUT …/{activityId}`)
 * to the conversations recorded when the bot was installed. The pipeline paces each conversation
 * under Teams' limit of 7 messages per second (TEAMS_CONVERSATION_RATE); 429 (Retry-After), 412,
 * 502 and 504 are retried by it.
 *
 * Exactly once: the activity id is written to `teams_sent_activity` the moment the Connector
 * answers, so a crash between that answer and the pipeline's own record never posts twice. A post
 * whose answer never arrived (timeout, connection lost, 502/504 after Teams took it) is looked for
 * before posting again, as in Slack: every delivered card carries its delivery's tag, and the
 * conversation's recent messages are read through Microsoft Graph (MessageSearch), once Graph has
 * had time to list it. Where Graph cannot be asked (a personal chat; no consent) the post is
 * repeated and the conversation may show it twice: a rare duplicate rather than a lost result.
 */
export class TeamsSender implements ChatSender {
  readonly platform = 'teams';

  constructor(
    private readonly conversations: ConversationStore,
    private readonly client: ConnectorClient,
    private readonly options: TeamsSenderOptions = {},
  ) {}

  async post(target: ChannelTarget, deliveryId: string, content: DeliveryContent): Promise<string> {
    const serviceUrl = await this.serviceUrlOf(target.channelId);
    const message = tagDelivery(render(content), deliveryId);
    let answer: { id?: string };
    try {
      answer = await this.client.create(serviceUrl, target.channelId, message);
    } catch (error) {
      throw this.searchLater(this.classify(error, 'unknown_outcome'));
    }
    if (!answer.id) throw this.searchLater(new SendError('unknown_outcome', 'the Bot Connector answered without an activity id'));
    await this.conversations.recordSent(deliveryId, target.channelId, answer.id);
    return answer.id;
  }

  async update(target: ChannelTarget, messageId: string, deliveryId: string, content: DeliveryContent): Promise<void> {
    const serviceUrl = await this.serviceUrlOf(target.channelId);
    const message = tagDelivery(render(content), deliveryId);
    try {
      await this.client.update(serviceUrl, target.channelId, messageId, message);
    } catch (error) {
      throw this.classify(error, 'transient');
    }
  }

  hasContent(content: DeliveryContent): boolean {
    return content.kind !== 'digest' || digestPartHasContent(content.view, content.part, content.parts);
  }

  /** What this app recorded itself, else the conversation's messages since the attempt, through Graph. */
  async findPosted(target: ChannelTarget, deliveryId: string, since: Date): Promise<string | undefined> {
    const recorded = await this.conversations.sentActivity(deliveryId);
    if (recorded || !this.options.search) return recorded;
    const ref = await this.conversations.get(target.channelId);
    if (!ref) return undefined;
    const result = await this.options.search.find(await this.withTeamGroup(ref), deliveryTag(deliveryId), since);
    this.options.metrics?.teamsSearches.inc({ result: result.kind });
    if (result.kind === 'unsearchable') {
      this.options.logger?.warn(
        { deliveryId, conversation: ref.conversationId, reason: result.reason },
        'cannot look for the earlier post; posting again, and it may show twice',
      );
    }
    return result.kind === 'found' ? result.messageId : undefined;
  }

  /** A direct message, when the user has the app in a personal chat (best effort). */
  async notifyUser(_workspaceId: string, userId: string, notice: Reply): Promise<void> {
    const chat = await this.conversations.personalChatOf(userId);
    if (!chat) return;
    await this.client.create(chat.serviceUrl, chat.conversationId, documentMessage(notice));
  }

  async notifyChannel(_workspaceId: string, channelId: string, notice: Reply): Promise<void> {
    await this.client.create(await this.serviceUrlOf(channelId), channelId, documentMessage(notice));
  }

  /** A lost answer is looked for once Graph can list the post; without a search, retry at the usual pace. */
  private searchLater(error: SendError): SendError {
    if (error.kind !== 'unknown_outcome' || !this.options.search) return error;
    return new SendError('unknown_outcome', error.message, this.options.searchDelayMs ?? 15_000);
  }

  /** Channels need their team's group id for Graph: asked of the Connector once when no activity carried it. */
  private async withTeamGroup(ref: ConversationRef): Promise<ConversationRef> {
    if (ref.conversationType !== 'channel' || ref.teamAadGroupId || !ref.teamId) return ref;
    let groupId: string | undefined;
    try {
      groupId = await this.client.teamGroupId(ref.serviceUrl, ref.teamId);
    } catch (error) {
      const failure = this.classify(error, 'transient');
      if (failure.kind === 'transient' || failure.kind === 'rate_limited') throw failure;
      this.options.logger?.warn({ team: ref.teamId, err: failure.message }, 'the Bot Connector would not name the team’s group');
      return ref;
    }
    if (groupId) await this.conversations.recordTeamGroup(ref.teamId, groupId);
    return { ...ref, teamAadGroupId: groupId ?? null };
  }

  private async serviceUrlOf(conversationId: string): Promise<string> {
    const ref = await this.conversations.get(conversationId);
    if (ref?.removedAt) throw new SendError('gone', 'BotNotInConversationRoster: Panelist was removed from this conversation');
    if (ref) return ref.serviceUrl;
    if (this.options.fallbackServiceUrl) return this.options.fallbackServiceUrl;
    throw new SendError('gone', 'Panelist has no record of this Teams conversation; add the app to it again');
  }

  private classify(error: unknown, otherwise: 'unknown_outcome' | 'transient'): SendError {
    const e = error as {
      response?: { status?: number; headers?: Record<string, unknown>; data?: unknown };
      message?: string;
      code?: string;
    };
    const status = e.response?.status;
    const code = errorCode(e.response?.data);
    if (status === undefined) return new SendError(otherwise, `could not reach the Bot Connector: ${e.message ?? String(error)}`);
    if (status === 429) {
      const retryAfter = Number(e.response?.headers?.['retry-after']);
      const ms = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 1_000;
      return new SendError('rate_limited', 'Teams rate limit (429)', ms);
    }
    if (status === 403 && code === 'BotNotInConversationRoster') return new SendError('gone', 'BotNotInConversationRoster');
    if (status === 404 && code === 'ConversationNotFound') return new SendError('gone', 'ConversationNotFound');
    if (status === 412) return new SendError('transient', `Teams answered 412 (${code ?? 'precondition failed'})`);
    if (status === 502 || status === 504 || status >= 500) return new SendError(otherwise, `Teams answered HTTP ${status}`);
    if (status === 401 || status === 403) return new SendError('permanent', `Teams refused the bot: HTTP ${status} ${code ?? ''}`.trim());
    return new SendError('permanent', `Teams refused the message: HTTP ${status} ${code ?? ''}`.trim());
  }
}

function errorCode(data: unknown): string | undefined {
  const body = typeof data === 'string' ? safeParse(data) : data;
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? code : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function render(content: DeliveryContent): TeamsMessage {
  if (content.kind === 'interview.result') return interviewCard(content.view);
  if (content.kind === 'spec.version') throw notForChat(content);
  return digestCard(content.view, content.part, content.parts);
}
