import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { commandTooLong, parseCommand, type Command } from '../domain/command';
import { describeDigestTime } from '../domain/digest-schedule';
import { isPanelistError } from '../domain/errors';
import { phrase, type Phrase } from '../domain/phrase';
import type { DigestScheduleService } from '../services/digest-schedules';
import type { GrantService } from '../services/grants';
import type { SpecService } from '../services/specs';
import type { ChannelRef, SubscriptionService } from '../services/subscriptions';
import type { ActorContext } from '../services/actor';
import type { RosterLookup, TeamsActors, TeamsUser } from './actors';
import { channelOf, type ConversationStore } from './conversations';
import {
  addRow,
  BadEditState,
  buildEditCard,
  draftFromSpec,
  EDIT_VERBS,
  FORM_ERROR,
  readSubmission,
  removeRow,
  validateDraft,
  VERB_ADD,
  VERB_CANCEL,
  VERB_REMOVE,
} from './cards/edit-form';
import { code, fromPhrase, joinMarkdown, md, type TeamsMarkdown } from './cards/markdown';
import { ADAPTIVE_CARD, cardMessage, plain, textMessage, type TeamsMessage } from './cards/message';
import { helpCard, historyCard, specCard, specListMessage } from './cards/spec';
import { textBlock, whenPlain } from './cards/text';
import { addressesBot, commandText, type MentionEntity } from './mentions';
import { AdaptiveCard } from '@microsoft/teams.cards';

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
  channelData?: { tenant?: { id?: string }; team?: { id?: string; name?: string; aadGroupId?: string }; channel?: { id?: string; name?: string }; eventType?: string };
}

/** What one turn may do: answer in the conversation, update a message, ask the roster. */
export interface Turn {
  activity: InboundActivity;
  send(message: TeamsMessage): Promise<unknown>;
  update(activityId: string, message: TeamsMessage): Promise<unknown>;
  roster: RosterLookup;
}

export type InvokeAnswer = { statusCode: number; type: string; value: unknown };

const warning = (words: Phrase) => md`⚠️ ${fromPhrase(words)}`;

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
      const card = 'card' in answer ? { type: 'message' as const, attachments: [{ contentType: ADAPTIVE_CARD, content: answer.card }] } : textMessage(answer.message);
      await (activity.replyToId ? turn.update(activity.replyToId, card) : turn.send(card));
      return;
    }
    // Refused before mentions are resolved (a roster lookup each) or the HTML is read.
    const tooLong = commandTooLong(activity.text ?? '', '@Panelist');
    if (tooLong) {
      await turn.send(textMessage(warning(tooLong)));
      return;
    }
    const log = this.logger.child({ conversation: activity.conversation.id, user: activity.from.aadObjectId });
    const { text, names } = await commandText(activity.text ?? '', activity.entities, activity.recipient.id, async (id) => {
      const member = await turn.roster(activity.conversation.id, id).catch(() => undefined);
      return member?.aadObjectId;
    });
    const parsed = parseCommand(text, '@Panelist');
    let reply: TeamsMessage;
    if (!parsed.ok) reply = textMessage(warning(parsed.error));
    else {
      try {
        reply = await this.run(parsed.command, turn, names);
      } catch (error) {
        reply = errorMessage(error, log);
      }
    }
    await turn.send(reply);
  }

  private async run(command: Command, turn: Turn, names: Map<string, string>): Promise<TeamsMessage> {
    const { activity } = turn;
    const tenantId = tenantOf(activity);
    const organizationId = () => this.services.actors.organizationFor(tenantId);
    const context = () => this.actor(turn);
    const specs = this.services.specs;
    switch (command.name) {
      case 'help':
        return helpCard();
      case 'list':
        return specListMessage(await specs.list(await organizationId()));
      case 'show':
        return specCard(await specs.show(await organizationId(), command.spec));
      case 'history':
        return historyCard(await specs.history(await organizationId(), command.spec));
      case 'edit': {
        const view = await specs.openForEdit(await context(), command.spec);
        const { state, draft } = draftFromSpec(view);
        return cardMessage(buildEditCard(state, draft), `Edit ${view.slug}`);
      }
      case 'weights':
        return saved(await specs.setWeights(await context(), command.spec, command.weights));
      case 'revert':
        return saved(await specs.revert(await context(), command.spec, command.version), `Reverted to v${command.version} as`);
      case 'grant':
      case 'revoke': {
        const ctx = await context();
        const change = command.name === 'grant' ? await this.services.grants.grant(ctx, command.userId, command.spec) : await this.services.grants.revoke(ctx, command.userId, command.spec);
        // A display name from the roster: the user's own words, escaped like any.
        const who = names.get(command.userId) ?? command.userId;
        const scope = change.scope.kind === 'all' ? md`every spec` : code(change.scope.slug);
        if (command.name === 'grant') return textMessage(change.changed ? md`✅ ${who} can now edit ${scope}.` : md`${who} could already edit ${scope}.`);
        return textMessage(change.changed ? md`✅ ${who} can no longer edit ${scope}.` : md`${who} had no grant for ${scope}; nothing changed.`);
      }
      case 'subscribe':
      case 'unsubscribe':
      case 'subscriptions':
      case 'digest':
        return this.subscriptionCommand(command, turn);
    }
  }

  private async subscriptionCommand(command: Extract<Command, { name: 'subscribe' | 'unsubscribe' | 'subscriptions' | 'digest' }>, turn: Turn): Promise<TeamsMessage> {
    const { activity } = turn;
    const channel: ChannelRef = { platform: 'teams', workspaceId: tenantOf(activity) ?? '', channelId: channelOf(activity.conversation.id) };
    if (command.name === 'subscriptions') {
      const organizationId = await this.services.actors.organizationFor(tenantOf(activity));
      const [subscriptions, schedule] = await Promise.all([this.services.subscriptions.list(organizationId, channel), this.services.digestSchedules.describe(channel)]);
      if (subscriptions.length === 0) return textMessage(md`This conversation follows no specs. ${code('subscribe <spec|all> [private]')} starts that.`);
      const digest: TeamsMarkdown = !schedule
        ? md`No weekly digest.`
        : schedule.enabled
          ? md`Weekly digest ${describeDigestTime(schedule.time)}; next ${whenPlain(schedule.nextRunAt!)}.`
          : md`Weekly digest: off (${code('digest <day> <HH:MM>')} turns it on).`;
      const lines = subscriptions.map((s) => {
        const what = s.scope.kind === 'all' ? md`all specs` : code(s.scope.slug);
        const flags = [s.private ? 'names hidden' : undefined, s.pausedReason ? `paused: ${s.pausedReason}` : undefined].filter(Boolean);
        return md`- ${what}${flags.length > 0 ? ` (${flags.join(', ')})` : ''}`;
      });
      return textMessage(md`**This conversation follows**\n\n${joinMarkdown(lines, '\n')}\n\n${digest}`);
    }
    const context = await this.actor(turn);
    if (command.name === 'digest') {
      if (command.schedule === 'off') {
        const changed = await this.services.digestSchedules.disable(context, channel);
        return textMessage(changed ? md`✅ No more weekly digests here. ${code('digest <day> <HH:MM>')} turns them back on.` : md`This conversation gets no weekly digest; nothing changed.`);
      }
      const info = await this.services.digestSchedules.set(context, channel, command.schedule);
      return textMessage(md`✅ The weekly digest here now comes ${describeDigestTime(info.time)}; the next one ${whenPlain(info.nextRunAt!)}.`);
    }
    if (command.name === 'unsubscribe') {
      const result = await this.services.subscriptions.unsubscribe(context, channel, command.spec);
      const what = command.spec === 'all' ? md`any spec` : code(result.slug ?? command.spec);
      return textMessage(result.removed > 0 ? md`✅ This conversation no longer follows ${what}.` : md`This conversation was not following ${what}; nothing changed.`);
    }
    const result = await this.services.subscriptions.subscribe(context, channel, command.spec, command.private);
    const what = result.info.scope.kind === 'all' ? md`every spec` : code(result.info.scope.slug);
    const verb = result.created ? 'now follows' : result.resumed ? 'follows again' : 'already follows';
    return textMessage(md`✅ This conversation ${verb} ${what}: each completed interview is posted here.${command.private ? ' Candidate names are hidden here ("a candidate").' : ''}`);
  }

  /** `adaptiveCard/action`: the edit form's Save / Add / Remove / Cancel. Answered with the card to show. */
  async onCardAction(turn: Turn, data: Record<string, unknown>): Promise<InvokeAnswer> {
    const answer = await this.cardAction(turn, data);
    if ('card' in answer) return { statusCode: 200, type: ADAPTIVE_CARD, value: answer.card };
    return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: answer.message.toString() };
  }

  private async cardAction(turn: Turn, data: Record<string, unknown>): Promise<CardAnswer> {
    const log = this.logger.child({ conversation: turn.activity.conversation.id, user: turn.activity.from.aadObjectId, verb: data.verb });
    let submission;
    try {
      submission = readSubmission(data);
    } catch (error) {
      if (error instanceof BadEditState) return messageAnswer(warning(error.phrase));
      throw error;
    }
    let { state, draft } = submission;
    if (data.verb === VERB_CANCEL) return cardAnswer(plain(new AdaptiveCard(textBlock(md`Edit of ${code(state.slug)} cancelled; nothing was saved.`)).withVersion('1.5')));
    if (data.verb === VERB_ADD) ({ state, draft } = addRow(state, draft));
    if (data.verb === VERB_REMOVE && submission.remove) ({ state, draft } = removeRow(state, draft, submission.remove));
    if (data.verb === VERB_ADD || data.verb === VERB_REMOVE) return cardAnswer(buildEditCard(state, draft));
    const valid = validateDraft(state, draft);
    if (!valid.ok) return cardAnswer(buildEditCard(state, draft, valid.errors));
    try {
      const context = await this.actor(turn);
      const result = await this.services.specs.edit(context, state.specId, {
        baseVersion: state.baseVersion,
        changes: { title: valid.title, competencies: valid.competencies },
        note: valid.note || undefined,
      });
      const card = new AdaptiveCard(
        textBlock(savedText(result)),
        textBlock(md`by ${context.actor.name ?? 'you'}${valid.note ? md` · “${valid.note}”` : ''}`, { isSubtle: true, size: 'Small' }),
      ).withVersion('1.5');
      return cardAnswer(plain(card));
    } catch (error) {
      // Stale version, lost permission, nothing changed: said at the top of the form, the input kept.
      return cardAnswer(buildEditCard(state, draft, { [FORM_ERROR]: errorWords(error, log) }));
    }
  }

  /** The bot was added to a team / chat / personal scope, or removed from it. */
  async onMembership(activity: InboundActivity): Promise<void> {
    const bot = activity.recipient.id;
    const added = activity.membersAdded?.some((m) => m.id === bot) || (activity.type === 'installationUpdate' && activity.action?.startsWith('add'));
    const removed =
      activity.membersRemoved?.some((m) => m.id === bot) ||
      (activity.type === 'installationUpdate' && activity.action?.startsWith('remove')) ||
      activity.channelData?.eventType === 'teamDeleted';
    if (added) {
      await this.remember(activity);
      this.logger.info({ conversation: activity.conversation.id, team: activity.channelData?.team?.id }, 'Teams: installed in a conversation');
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

  private actor(turn: Turn): Promise<ActorContext> {
    const { activity } = turn;
    const user: TeamsUser = { aadObjectId: activity.from.aadObjectId ?? activity.from.id, id: activity.from.id, name: activity.from.name };
    return this.services.actors.resolve(tenantOf(activity), user, activity.channelData?.team?.id, turn.roster);
  }
}

function tenantOf(activity: InboundActivity): string | undefined {
  return activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
}

function saved(result: { number: number; slug: string; changes: string[] }, verb = 'Saved'): TeamsMessage {
  return textMessage(savedText(result, verb));
}

function savedText(result: { number: number; slug: string; changes: string[] }, verb = 'Saved'): TeamsMarkdown {
  return md`✅ ${verb} **v${result.number}** of ${code(result.slug)}: ${result.changes.join('; ')}.`;
}

/** A card action's answer: the card to show in the form's place, or a message. */
type CardAnswer = { card: Record<string, unknown> } | { message: TeamsMarkdown };

function cardAnswer(card: Record<string, unknown>): CardAnswer {
  return { card };
}

function messageAnswer(message: TeamsMarkdown): CardAnswer {
  return { message };
}

/** Our own errors in their words; anything else logged with a reference the user can quote. */
export function errorMessage(error: unknown, logger: Logger): TeamsMessage {
  const words = errorWords(error, logger);
  return textMessage(isPanelistError(error) ? warning(words) : md`❌ ${fromPhrase(words)}`);
}

function errorWords(error: unknown, logger: Logger): Phrase {
  if (isPanelistError(error)) return error.phrase;
  const reference = randomUUID().slice(0, 8);
  logger.error({ err: error, reference }, 'Teams command failed');
  return phrase`Something went wrong on Panelist's side (reference \`${reference}\`). Nothing was changed; try again, and tell whoever runs Panelist if it keeps happening.`;
}

export { cardMessage };
