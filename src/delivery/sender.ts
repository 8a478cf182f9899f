import type { DigestView } from '../services/digest-views';
import type { InterviewResultView } from '../services/interview-views';
import type { PublishedVersion } from '../services/spec-publication';
import type { Reply } from '../conversation';

/** Where a message goes: a channel in a workspace (Slack team, Teams tenant). */
export interface ChannelTarget {
  workspaceId: string;
  channelId: string;
}

/**
 * What the delivery pipeline can ask of any chat platform. One core, one sender per platform. The
 * interview platform's endpoint is one too (src/publishing/): it posts spec versions, never
 * updates, and cannot be searched.
 */
export interface ChatSender {
  readonly platform: string;
  /** Posts, tagging the message with the delivery id so a lost acknowledgement can be recovered. */
  post(target: ChannelTarget, deliveryId: string, content: DeliveryContent): Promise<string>;
  update(target: ChannelTarget, messageId: string, deliveryId: string, content: DeliveryContent): Promise<void>;
  /** The id of a message this delivery already posted at or after `since`, if there is one. */
  findPosted(target: ChannelTarget, deliveryId: string, since: Date): Promise<string | undefined>;
  /** Tells a person directly (best effort), e.g. that their channel's subscription was paused. */
  notifyUser?(workspaceId: string, userId: string, notice: Reply): Promise<void>;
  /** False when there is nothing to post (a digest part left empty because the week was quiet). */
  hasContent?(content: DeliveryContent): boolean;
  /** A plain message to a channel outside the delivery pipeline (the ops channel). */
  notifyChannel?(workspaceId: string, channelId: string, notice: Reply): Promise<void>;
}

export type DeliveryContent =
  | { kind: 'interview.result'; view: InterviewResultView }
  /** message `part` (1-based) of a digest that the platform's limits split into `parts` messages */
  | { kind: 'digest'; view: DigestView; part: number; parts: number }
  /** a new spec version, for the interview platform's endpoint only (src/publishing/) */
  | { kind: 'spec.version'; version: PublishedVersion };

/**
 * How an attempt failed, which decides what happens next:
 * - rate_limited: wait retryAfterMs, then try again;
 * - transient: back off and try again;
 * - unknown_outcome: the post may have landed; look for it before posting again;
 * - gone: the channel cannot take messages (bot removed, archived): pause, don't retry;
 * - permanent: retrying cannot help (bad token, invalid payload): dead letter.
 */
export type SendFailureKind = 'rate_limited' | 'transient' | 'unknown_outcome' | 'gone' | 'permanent';

export class SendError extends Error {
  constructor(
    readonly kind: SendFailureKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

/** A chat sender's answer to content that is not for chat (a spec version is for the platform's endpoint). */
export function notForChat(content: DeliveryContent): SendError {
  return new SendError('permanent', `${content.kind} is not a chat message; it was queued for the wrong platform`);
}
