import type { Logger } from 'pino';
import { errorReply, runCommand, sentence, type ConversationRequest, type Reply, type Vocabulary } from '../conversation';
import { commandTooLong, parseCommand } from '../domain/command';
import type { ActorContext } from '../services/actor';
import type { DigestScheduleService } from '../services/digest-schedules';
import type { GrantService } from '../services/grants';
import type { SpecService } from '../services/specs';
import type { SubscriptionService } from '../services/subscriptions';
import type { ConversationStore } from '../store/teams-conversations';
import type { ActorNeeds, RosterLookup, TeamsActors, TeamsUser } from './actors';
import { documentMessage, TEAMS_PREFIX } from './cards/document';
import { EDIT_VERBS } from './cards/edit-form';
import { ADAPTIVE_CARD, cardMessage, textMessage, type TeamsMessage } from './cards/message';
import { channelOf } from './conversations';
import { answerEditAction, type CardAnswer } from './edit-actions';
import { addressesBot, commandText, type MentionEntity } from './mentions';

export const TEAMS_WORDS: Vocabulary = { prefix: TEAMS_PREFIX, place: 'conversation', inviteHint: [] };

export interface TeamsServices {
  specs: SpecService;
  grants: GrantService;
  subscriptions: SubscriptionService;
  digestSchedules: DigestScheduleService;
  actors: TeamsActors;
  conversations: ConversationStore;
}

/** The parts of an inbound Bot Framework activity Panelist reads. */
export interface InboundActivity {
  type: string;
  id?: string;
  name?: string;
  text?: string;
  value?: unknown;
  action?: string;
  replyToId?: string;
  serviceUrl?: string;
  from: { id: string; name?: string; aadObjectId?: string };
  recipient: { id: string; name?: string };
  conversation: { id: string; conversationType?: string; tenantId?: string; name?: string };
  entities?: MentionEntity[];
  membersAdded?: { id: string }[];
  membersRemoved?: { id: string }[];
  channelData?: {
    tenant?: { id?: string };
    team?: { id?: string; name?: string; aadGroupId?: string };
    channel?: { id?: string; name?: string };
    eventType?: string;
  };
}

/** What one turn may do: answer in the conversation, update a message, ask the roster. */
export interface Turn {
  activity: InboundActivity;
  send(message: TeamsMessage): Promise<unknown>;
  update(activityId: string, message: TeamsMessage): Promise<unknown>;
  roster: RosterLookup;
}

export type InvokeAnswer = { statusCode: number; type: string; value: unknown };

/**
 * Teams' side of Panelist: messages are commands (the same grammar as `/spec`), card actions are
 * the edit form, install/remove events record or retire the conversation. Thin: parse, call one
 * service, render.
 */
export class TeamsBot {
  constructor(
    private readonly services: TeamsServices,
    private readonly logger: Logger,
  ) {}

  /** A message: answered in the conversation, after the HTTP request has been acknowledged. */
  async onMessage(turn: Turn): Promise<void> {
    const { activity } = turn;
    const value = activity.value as Record<string, unknown> | undefined;
    const cardSubmit = Boolean(value && typeof value.verb === 'string' && EDIT_VERBS.includes(value.verb));
    // Channels and group chats deliver every message (the manifest's consent): only those to Panelist are commands.
    const personal = (activity.conversation.conversationType ?? 'personal') === 'personal';
    if (!cardSubmit && !personal && !addressesBot(activity.text, activity.entities, activity.recipient.id)) return;
    await this.remember(activity);
    if (value && cardSubmit) {
      // Action.Submit fallback (clients without Universal Actions): same handling; the answer replaces the card.
      const answer = await this.cardAction(turn, value);
      const card =
        'card' in answer
          ? { type: 'message' as const, attachments: [{ contentType: ADAPTIVE_CARD, content: answer.card }] }
          : textMessage(answer.message);
      await (activity.replyToId ? turn.update(activity.replyToId, card) : turn.send(card));
      return;
    }
    // Refused before mentions are resolved (a roster lookup each) or the HTML is read.
    const tooLong = commandTooLong(activity.text ?? '', TEAMS_PREFIX);
    if (tooLong) {
      await turn.send(documentMessage(sentence(tooLong, 'warning')));
      return;
    }
    const log = this.logger.child({ conversation: activity.conversation.id, user: activity.from.aadObjectId });
    const { text, names } = await commandText(activity.text ?? '', activity.entities, activity.recipient.id, async (id) => {
      const member = await turn.roster(activity.conversation.id, id).catch(() => undefined);
      return member?.aadObjectId;
    });
    const parsed = parseCommand(text, TEAMS_PREFIX);
    let reply: Reply;
    if (!parsed.ok) reply = sentence(parsed.error, 'warning');
    else {
      try {
        reply = await runCommand(parsed.command, this.request(turn, names), this.services, TEAMS_WORDS);
      } catch (error) {
        reply = errorReply(error, log);
      }
    }
    await turn.send(documentMessage(reply));
  }

  /** The conversation core's questions, answered for a Teams message. */
  private request(turn: Turn, names: Map<string, string>): ConversationRequest {
    const { activity } = turn;
    return {
      channel: { platform: 'teams', workspaceId: tenantOf(activity) ?? '', channelId: channelOf(activity.conversation.id) },
      organizationId: () => this.services.actors.organizationFor(tenantOf(activity)),
      actor: (needs) => this.actor(turn, needs),
      // Mentions were resolved to AAD object ids, with the names Teams showed for them.
      userLabel: async (userId) => ({ mention: userId, name: names.get(userId) ?? userId }),
    };
  }

  /** `adaptiveCard/action`: the edit card's actions (src/teams/edit-actions.ts). Answered with the card to show. */
  async onCardAction(turn: Turn, data: Record<string, unknown>): Promise<InvokeAnswer> {
    const answer = await this.cardAction(turn, data);
    if ('card' in answer) return { statusCode: 200, type: ADAPTIVE_CARD, value: answer.card };
    return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: answer.message.toString() };
  }

  private cardAction(turn: Turn, data: Record<string, unknown>): Promise<CardAnswer> {
    const { activity } = turn;
    const log = this.logger.child({ conversation: activity.conversation.id, user: activity.from.aadObjectId, verb: data.verb });
    return answerEditAction(data, { specs: this.services.specs, actor: () => this.actor(turn), log });
  }

  /** The bot was added to a team / chat / personal scope, or removed from it. */
  async onMembership(activity: InboundActivity): Promise<void> {
    const bot = activity.recipient.id;
    const added =
      activity.membersAdded?.some((m) => m.id === bot) || (activity.type === 'installationUpdate' && activity.action?.startsWith('add'));
    const removed =
      activity.membersRemoved?.some((m) => m.id === bot) ||
      (activity.type === 'installationUpdate' && activity.action?.startsWith('remove')) ||
      activity.channelData?.eventType === 'teamDeleted';
    if (added) {
      await this.remember(activity);
      this.logger.info(
        { conversation: activity.conversation.id, team: activity.channelData?.team?.id },
        'Teams: installed in a conversation',
      );
    } else if (removed) {
      const retired = await this.services.conversations.retire(channelOf(activity.conversation.id), activity.channelData?.team?.id ?? null);
      this.logger.info({ retired }, 'Teams: removed from a conversation; its reference is retired');
    }
  }

  private async remember(activity: InboundActivity): Promise<void> {
    const tenantId = tenantOf(activity);
    if (!tenantId || !activity.serviceUrl) return;
    const type = activity.conversation.conversationType ?? 'personal';
    await this.services.conversations.record({
      conversationId: channelOf(activity.conversation.id),
      tenantId,
      serviceUrl: activity.serviceUrl.replace(/\/+$/, ''),
      conversationType: type,
      teamId: activity.channelData?.team?.id ?? null,
      teamAadGroupId: activity.channelData?.team?.aadGroupId ?? null,
      name: activity.channelData?.channel?.name ?? activity.channelData?.team?.name ?? activity.conversation.name ?? null,
      botId: activity.recipient.id,
      userAadId: type === 'personal' ? (activity.from.aadObjectId ?? null) : null,
    });
  }

  private actor(turn: Turn, needs: ActorNeeds = 'admin'): Promise<ActorContext> {
    const { activity } = turn;
    const user: TeamsUser = { aadObjectId: activity.from.aadObjectId ?? activity.from.id, id: activity.from.id, name: activity.from.name };
    return this.services.actors.resolve(tenantOf(activity), user, activity.channelData?.team?.id, turn.roster, needs);
  }
}

function tenantOf(activity: InboundActivity): string | undefined {
  return activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
}

export { cardMessage };
