import type { ActorContext, ChannelRef } from '../services/actor';
import type { DigestScheduleService } from '../services/digest-schedules';
import type { GrantService } from '../services/grants';
import type { SpecService } from '../services/specs';
import type { SubscriptionService } from '../services/subscriptions';
import type { Inline } from './document';

/** The services a conversation calls: the same for every platform. */
export interface ConversationServices {
  specs: SpecService;
  grants: GrantService;
  subscriptions: SubscriptionService;
  digestSchedules: DigestScheduleService;
}

/**
 * One command as the chat adapter received it: where it was typed and who typed it. The adapter
 * answers the platform's questions (who is this, can Panelist post here) in its own way; the
 * core never sees a Slack client or a Teams turn.
 */
export interface ConversationRequest {
  channel: ChannelRef;
  organizationId(): Promise<string>;
  /**
   * The actor with their permissions, resolved only when a command needs them. `identity`: the
   * command needs no admin (following, digests), so a platform may skip asking who is one.
   */
  actor(needs?: 'identity' | 'admin'): Promise<ActorContext>;
  /** how a reply names another user of the platform; throws a PanelistError when there is no such user */
  userLabel(userId: string): Promise<Inline>;
  /** false when Panelist cannot post in this channel yet (Slack: not invited); undefined when it cannot tell */
  canPostHere?(): Promise<boolean>;
}

/** What differs in words between the platforms. */
export interface Vocabulary {
  /** how a command is typed: `/spec` or `@Panelist` */
  prefix: string;
  /** what users call the place a command was typed in */
  place: 'channel' | 'conversation';
  /** how to let Panelist into a place where it cannot post yet */
  inviteHint: Inline[];
}
