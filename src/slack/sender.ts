import { ErrorCode, WebClient, type Logger as SlackLogger, type WebAPICallError } from '@slack/web-api';
import { LRUCache } from 'lru-cache';
import { digestPartHasContent, renderDigestPart } from './render/digest';
import { hasChartImages, withoutChartImages } from './render/digest-chart';
import { renderInterviewResult } from './render/interview';
import { notForChat, SendError, type ChannelTarget, type ChatSender, type DeliveryContent } from '../delivery/sender';
import type { Reply } from '../conversation';
import { renderDocument } from './render/document';

/** Metadata event type on every message Panelist posts; its payload names the delivery. */
export const DELIVERY_METADATA_TYPE = 'panelist_delivery';

/** Slack errors that mean the channel cannot take our messages until someone acts. */
const GONE = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'team_access_not_granted']);
/** Errors no retry can fix. */
const PERMANENT = new Set([
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'not_authed',
  'invalid_blocks',
  'msg_too_long',
  'msg_blocks_too_long',
  'no_text',
  'missing_scope',
]);

export type TokenLookup = (workspaceId: string) => Promise<string>;

/**
 * Sends through Slack's Web API (SLACK_API_URL in tests). The WebClient's own retries are off:
 * the delivery pipeline decides when to retry, so a 429's Retry-After and a lost response are
 * handled in one place, with the delivery id.
 */
export class SlackSender implements ChatSender {
  readonly platform = 'slack';
  /** One client per token (a reinstall brings a new one), for the most recently used `maxClients`; a dropped one is made again. */
  private readonly clients: LRUCache<string, WebClient>;

  constructor(
    private readonly tokenFor: TokenLookup,
    private readonly options: {
      slackApiUrl?: string;
      timeoutMs?: number;
      logger?: SlackLogger;
      maxClients?: number;
      /** Slack refused a digest's picture (it fetches it when it takes the message); the digest went without it */
      onChartRefused?: (deliveryId: string, reason: string) => void;
    } = {},
  ) {
    this.clients = new LRUCache({ max: options.maxClients ?? 1_000 });
  }

  /** How many workspace clients are held now (for tests of the bound). */
  get clientCount(): number {
    return this.clients.size;
  }

  async post(target: ChannelTarget, deliveryId: string, content: DeliveryContent): Promise<string> {
    const client = await this.client(target.workspaceId);
    const send = async (what: DeliveryContent) => {
      const result = await client.chat.postMessage({
        channel: target.channelId,
        ...render(what),
        unfurl_links: false,
        metadata: { event_type: DELIVERY_METADATA_TYPE, event_payload: { delivery_id: deliveryId } },
      });
      return String(result.ts);
    };
    try {
      return await this.withoutRefusedCharts(deliveryId, content, send);
    } catch (error) {
      // Anything but Slack's own refusal leaves us not knowing whether the message landed.
      throw classify(error, 'unknown_outcome');
    }
  }

  async update(target: ChannelTarget, messageId: string, deliveryId: string, content: DeliveryContent): Promise<void> {
    const client = await this.client(target.workspaceId);
    const send = async (what: DeliveryContent) => {
      await client.chat.update({
        channel: target.channelId,
        ts: messageId,
        ...render(what),
        metadata: { event_type: DELIVERY_METADATA_TYPE, event_payload: { delivery_id: deliveryId } },
      });
    };
    try {
      await this.withoutRefusedCharts(deliveryId, content, send);
    } catch (error) {
      throw classify(error, 'transient');
    }
  }

  /**
   * Slack downloads an image block's picture when it takes the message and refuses the whole message
   * when it cannot (`invalid_blocks`, "downloading image failed"): nothing was posted, so the digest
   * is sent again at once with its charts in words. A picture never stops a digest.
   */
  private async withoutRefusedCharts<T>(
    deliveryId: string,
    content: DeliveryContent,
    send: (what: DeliveryContent) => Promise<T>,
  ): Promise<T> {
    try {
      return await send(content);
    } catch (error) {
      const refusal = imageRefusal(error);
      if (content.kind !== 'digest' || refusal === undefined || !hasChartImages(content.view)) throw error;
      this.options.onChartRefused?.(deliveryId, refusal);
      return send({ ...content, view: withoutChartImages(content.view) });
    }
  }

  async findPosted(target: ChannelTarget, deliveryId: string, since: Date): Promise<string | undefined> {
    const client = await this.client(target.workspaceId);
    let cursor: string | undefined;
    try {
      for (let page = 0; page < 5; page += 1) {
        const result = await client.conversations.history({
          channel: target.channelId,
          oldest: String(Math.floor(since.getTime() / 1000) - 60),
          include_all_metadata: true,
          limit: 200,
          cursor,
        });
        const found = result.messages?.find(
          (m) =>
            m.metadata?.event_type === DELIVERY_METADATA_TYPE &&
            (m.metadata.event_payload as Record<string, unknown> | undefined)?.delivery_id === deliveryId,
        );
        if (found?.ts) return found.ts;
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!cursor) return undefined;
      }
      return undefined;
    } catch (error) {
      throw classify(error, 'transient');
    }
  }

  hasContent(content: DeliveryContent): boolean {
    return content.kind !== 'digest' || digestPartHasContent(content.view, content.part, content.parts);
  }

  async notifyUser(workspaceId: string, userId: string, notice: Reply): Promise<void> {
    const client = await this.client(workspaceId);
    await client.chat.postMessage({ channel: userId, ...renderDocument(notice) });
  }

  async notifyChannel(workspaceId: string, channelId: string, notice: Reply): Promise<void> {
    const client = await this.client(workspaceId);
    await client.chat.postMessage({ channel: channelId, ...renderDocument(notice) });
  }

  private async client(workspaceId: string): Promise<WebClient> {
    let token: string;
    try {
      token = await this.tokenFor(workspaceId);
    } catch (error) {
      throw new SendError('permanent', error instanceof Error ? error.message : String(error));
    }
    // Keyed by token, not workspace: a workspace that installs again has a new token, and the old one was revoked.
    let client = this.clients.get(token);
    if (!client) {
      client = new WebClient(token, {
        slackApiUrl: this.options.slackApiUrl,
        logger: this.options.logger,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: this.options.timeoutMs ?? 10_000,
      });
      this.clients.set(token, client);
    }
    return client;
  }
}

function render(content: DeliveryContent) {
  if (content.kind === 'interview.result') return renderInterviewResult(content.view);
  if (content.kind === 'spec.version') throw notForChat(content);
  // deliver() cancels a part that renders nothing (hasContent) before it gets here.
  return renderDigestPart(content.view, content.part, content.parts) ?? { text: 'Nothing more in this week’s digest.', blocks: [] };
}

/** Slack's reason when it refused a message's images ("downloading image failed …"), else undefined. */
function imageRefusal(error: unknown): string | undefined {
  const e = error as WebAPICallError & { data?: { error?: string; errors?: unknown } };
  if (e.code !== ErrorCode.PlatformError || e.data?.error !== 'invalid_blocks') return undefined;
  const details = Array.isArray(e.data.errors) ? e.data.errors.map(String) : [];
  if (details.length > 0 && !details.some((detail) => /image/i.test(detail))) return undefined;
  return details.join('; ') || 'invalid_blocks';
}

function classify(error: unknown, otherwise: 'unknown_outcome' | 'transient'): SendError {
  // Ours already says what happened (e.g. a spec version queued for chat by mistake).
  if (error instanceof SendError) return error;
  const e = error as WebAPICallError & { retryAfter?: number; data?: { error?: string }; statusCode?: number };
  if (e.code === ErrorCode.RateLimitedError) {
    return new SendError('rate_limited', 'Slack rate limit (429)', Math.max(1, e.retryAfter ?? 1) * 1000);
  }
  if (e.code === ErrorCode.PlatformError) {
    const code = e.data?.error ?? 'unknown_error';
    if (GONE.has(code)) return new SendError('gone', code);
    if (PERMANENT.has(code)) return new SendError('permanent', `Slack refused the message: ${code}`);
    if (code === 'ratelimited') return new SendError('rate_limited', 'Slack rate limit', 1_000);
    return new SendError('transient', `Slack error: ${code}`);
  }
  if (e.code === ErrorCode.HTTPError) return new SendError(otherwise, `Slack answered HTTP ${e.statusCode ?? '?'}`);
  return new SendError(otherwise, `could not reach Slack: ${e.message ?? String(error)}`);
}
