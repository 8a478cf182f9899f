import type { Db } from './db';

/**
 * Where Panelist may post in Teams: one row per conversation the bot is in (a team channel, a
 * group chat, a personal chat), recorded when the bot is installed or first spoken to, retired when
 * it is removed. Proactive sends (interview results, digests, pause notices) need the serviceUrl
 * that Teams gave for the conversation.
 */
export interface ConversationRef {
  conversationId: string;
  tenantId: string;
  serviceUrl: string;
  /** personal | groupChat | channel */
  conversationType: string;
  teamId: string | null;
  /** the team's Microsoft 365 group id (Graph's team id); null until Teams has told us */
  teamAadGroupId: string | null;
  name: string | null;
  botId: string;
  /** personal chats: the user's AAD object id (for telling them things directly) */
  userAadId: string | null;
  removedAt: Date | null;
}

const REF_COLUMNS = {
  conversationId: true,
  tenantId: true,
  serviceUrl: true,
  conversationType: true,
  teamId: true,
  teamAadGroupId: true,
  name: true,
  botId: true,
  userAadId: true,
  removedAt: true,
} as const;

export class ConversationStore {
  constructor(private readonly db: Db) {}

  /**
   * Installed, or spoken to: (re)activates the reference and refreshes its serviceUrl. What an
   * activity leaves out (a team id, a name) keeps its stored value: Teams sends them only sometimes.
   */
  async record(ref: Omit<ConversationRef, 'removedAt'>): Promise<{ wasActive: boolean }> {
    const before = await this.get(ref.conversationId);
    const always = { tenantId: ref.tenantId, serviceUrl: ref.serviceUrl, conversationType: ref.conversationType, botId: ref.botId };
    const whenKnown = { teamId: ref.teamId, teamAadGroupId: ref.teamAadGroupId, name: ref.name, userAadId: ref.userAadId };
    await this.db.teamsConversation.upsert({
      where: { conversationId: ref.conversationId },
      create: { conversationId: ref.conversationId, ...always, ...whenKnown },
      update: { ...always, ...withoutNulls(whenKnown), removedAt: null, updatedAt: new Date() },
    });
    return { wasActive: Boolean(before && !before.removedAt) };
  }

  /** The bot left a team (every channel of it) or a chat. Returns the retired conversation ids. */
  async retire(conversationId: string, teamId: string | null): Promise<string[]> {
    const where = { removedAt: null, ...(teamId ? { OR: [{ teamId }, { conversationId }] } : { conversationId }) };
    const now = new Date();
    const rows = await this.db.teamsConversation.updateManyAndReturn({
      where,
      data: { removedAt: now, updatedAt: now },
      select: { conversationId: true },
    });
    return rows.map((row) => row.conversationId);
  }

  async get(conversationId: string): Promise<ConversationRef | undefined> {
    return (await this.db.teamsConversation.findUnique({ where: { conversationId }, select: REF_COLUMNS })) ?? undefined;
  }

  /** The personal chat with a user, if the bot has one (the app is installed for them). */
  async personalChatOf(userAadId: string): Promise<ConversationRef | undefined> {
    const row = await this.db.teamsConversation.findFirst({
      where: { userAadId, conversationType: 'personal', removedAt: null },
      orderBy: { updatedAt: 'desc' },
      select: REF_COLUMNS,
    });
    return row ?? undefined;
  }

  /** The team's group id, learnt from the Bot Connector when no activity carried it. */
  async recordTeamGroup(teamId: string, aadGroupId: string): Promise<void> {
    await this.db.teamsConversation.updateMany({ where: { teamId }, data: { teamAadGroupId: aadGroupId, updatedAt: new Date() } });
  }

  /** What a post for a delivery came back with, written the moment Teams answers (see TeamsSender.findPosted). */
  async recordSent(deliveryId: string, conversationId: string, activityId: string): Promise<void> {
    await this.db.teamsSentActivity.createMany({ data: [{ deliveryId, conversationId, activityId }], skipDuplicates: true });
  }

  async sentActivity(deliveryId: string): Promise<string | undefined> {
    const row = await this.db.teamsSentActivity.findUnique({ where: { deliveryId }, select: { activityId: true } });
    return row?.activityId;
  }
}

function withoutNulls<T extends Record<string, string | null>>(values: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null)) as Partial<Record<keyof T, string>>;
}
