import { interviewCard } from '../teams/cards/interview';
import { digestCard, digestPartHasContent } from '../teams/cards/digest';
import { textMessage, type TeamsMessage } from '../teams/cards/message';
import type { ConversationStore } from '../teams/conversations';
import { ChannelPacer } from './pacer';
import { SendError, type ChannelTarget, type ChatSender, type DeliveryContent } from './sender';

/** Posts to and updates activities in a conversation through the Bot Connector (the SDK's client). */
export interface ConnectorClient {
  create(serviceUrl: string, conversationId: string, message: TeamsMessage): Promise<{ id?: string }>;
  update(serviceUrl: string, conversationId: string, activityId: string, message: TeamsMessage): Promise<unknown>;
}

/**
 * Sends through the Bot Connector (`POST {serviceUrl}/v3/conversations/{id}/activities`, `PUT …/{activityId}`)
 * to the conversations recorded when the bot was installed. Paced under Teams' limit of 7 messages
 * per second per conversation; 429 (Retry-After), 412, 502 and 504 are retried by the pipeline.
 *
 * Exactly once: Teams has no history a bot can search, so `findPosted` cannot look in the channel.
 * Instead the activity id is written to `teams_sent_activity` the moment the Connector answers, before
 * the pipeline records it, so a crash between the two is recovered without a second post. What
 * cannot be recovered is a post whose answer never arrived (timeout, connection lost, 502/504 after
 * Teams accepted it): the pipeline then posts again and the channel may see the message twice.
 * We prefer a rare duplicate over a lost result; a long timeout keeps "no answer" rare.
 */
export class TeamsSender implements ChatSender {
  readonly platform = 'teams';
  private readonly pacer: ChannelPacer;

  constructor(
    private readonly conversations: ConversationStore,
    private readonly client: ConnectorClient,
    options: { conversationRate?: number; fallbackServiceUrl?: string } = {},
  ) {
    const rate = options.conversationRate ?? 6;
    this.pacer = new ChannelPacer(rate, Math.max(1, Math.floor(rate)));
    this.fallbackServiceUrl = options.fallbackServiceUrl;
  }

  private readonly fallbackServiceUrl?: string;

  async post(target: ChannelTarget, deliveryId: string, content: DeliveryContent): Promise<string> {
    const serviceUrl = await this.serviceUrlOf(target.channelId);
    await this.pacer.wait(target.channelId);
    let answer: { id?: string };
    try {
      answer = await this.client.create(serviceUrl, target.channelId, render(content));
    } catch (error) {
      throw this.classify(error, target.channelId, 'unknown_outcome');
    }
    if (!answer.id) throw new SendError('unknown_outcome', 'the Bot Connector answered without an activity id');
    await this.conversations.recordSent(deliveryId, target.channelId, answer.id);
    return answer.id;
  }

  async update(target: ChannelTarget, messageId: string, _deliveryId: string, content: DeliveryContent): Promise<void> {
    const serviceUrl = await this.serviceUrlOf(target.channelId);
    await this.pacer.wait(target.channelId);
    try {
      await this.client.update(serviceUrl, target.channelId, messageId, render(content));
    } catch (error) {
      throw this.classify(error, target.channelId, 'transient');
    }
  }

  hasContent(content: DeliveryContent): boolean {
    return content.kind !== 'digest' || digestPartHasContent(content.view, content.part, content.parts);
  }

  /** Only what this app recorded itself (see the class comment): Teams offers bots no search. */
  async findPosted(_target: ChannelTarget, deliveryId: string): Promise<string | undefined> {
    return this.conversations.sentActivity(deliveryId);
  }

  /** A direct message, when the user has the app in a personal chat (best effort). */
  async notifyUser(_workspaceId: string, userId: string, text: string): Promise<void> {
    const chat = await this.conversations.personalChatOf(userId);
    if (!chat) return;
    await this.client.create(chat.serviceUrl, chat.conversationId, textMessage(text.replace(/<#([^>]+)>/g, 'a Teams channel').replace(/`\/invite @Panelist`/g, 'adding Panelist back to the team').replace(/`\/spec /g, '`')));
  }

  async notifyChannel(_workspaceId: string, channelId: string, text: string): Promise<void> {
    await this.client.create(await this.serviceUrlOf(channelId), channelId, textMessage(text));
  }

  private async serviceUrlOf(conversationId: string): Promise<string> {
    const ref = await this.conversations.get(conversationId);
    if (ref?.removedAt) throw new SendError('gone', 'BotNotInConversationRoster: Panelist was removed from this conversation');
    if (ref) return ref.serviceUrl;
    if (this.fallbackServiceUrl) return this.fallbackServiceUrl;
    throw new SendError('gone', 'Panelist has no record of this Teams conversation; add the app to it again');
  }

  private classify(error: unknown, channel: string, otherwise: 'unknown_outcome' | 'transient'): SendError {
    const e = error as { response?: { status?: number; headers?: Record<string, unknown>; data?: unknown }; message?: string; code?: string };
    const status = e.response?.status;
    const code = errorCode(e.response?.data);
    if (status === undefined) return new SendError(otherwise, `could not reach the Bot Connector: ${e.message ?? String(error)}`);
    if (status === 429) {
      const retryAfter = Number(e.response?.headers?.['retry-after']);
      const ms = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 1_000;
      this.pacer.block(channel, ms);
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
  return digestCard(content.view, content.part, content.parts);
}
