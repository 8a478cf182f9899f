import type { Db } from '../store/db';

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

interface Row {
  conversation_id: string;
  tenant_id: string;
  service_url: string;
  conversation_type: string;
  team_id: string | null;
  team_aad_group_id: string | null;
  name: string | null;
  bot_id: string;
  user_aad_id: string | null;
  removed_at: Date | null;
}

/** A channel thread's id is `<channel id>;messageid=<root>`; subscriptions belong to the channel. */
export function channelOf(conversationId: string): string {
  return conversationId.split(';')[0]!;
}

export class ConversationStore {
  constructor(private readonly db: Db) {}

  /** Installed, or spoken to: (re)activates the reference and refreshes its serviceUrl. */
  async record(ref: Omit<ConversationRef, 'removedAt'>): Promise<{ wasActive: boolean }> {
    const before = await this.get(ref.conversationId);
    await this.db.$executeRaw`
      INSERT INTO teams_conversation (conversation_id, tenant_id, service_url, conversation_type, team_id, team_aad_group_id, name, bot_id, user_aad_id)
      VALUES (${ref.conversationId}, ${ref.tenantId}, ${ref.serviceUrl}, ${ref.conversationType}, ${ref.teamId}, ${ref.teamAadGroupId}, ${ref.name}, ${ref.botId}, ${ref.userAadId})
      ON CONFLICT (conversation_id) DO UPDATE SET
        tenant_id = EXCLUDED.tenant_id, service_url = EXCLUDED.service_url, conversation_type = EXCLUDED.conversation_type,
        team_id = COALESCE(EXCLUDED.team_id, teams_conversation.team_id),
        team_aad_group_id = COALESCE(EXCLUDED.team_aad_group_id, teams_conversation.team_aad_group_id),
        name = COALESCE(EXCLUDED.name, teams_conversation.name),
        bot_id = EXCLUDED.bot_id, user_aad_id = COALESCE(EXCLUDED.user_aad_id, teams_conversation.user_aad_id),
        removed_at = NULL, updated_at = now()`;
    return { wasActive: Boolean(before && !before.removedAt) };
  }

  /** The bot left a team (every channel of it) or a chat. Returns the retired conversation ids. */
  async retire(conversationId: string, teamId: string | null): Promise<string[]> {
    const rows = teamId
      ? await this.db.$queryRaw<{ conversation_id: string }[]>`
          UPDATE teams_conversation SET removed_at = now(), updated_at = now()
          WHERE (team_id = ${teamId} OR conversation_id = ${conversationId}) AND removed_at IS NULL RETURNING conversation_id`
      : await this.db.$queryRaw<{ conversation_id: string }[]>`
          UPDATE teams_conversation SET removed_at = now(), updated_at = now()
          WHERE conversation_id = ${conversationId} AND removed_at IS NULL RETURNING conversation_id`;
    return rows.map((row) => row.conversation_id);
  }

  async get(conversationId: string): Promise<ConversationRef | undefined> {
    const rows = await this.db.$queryRaw<Row[]>`SELECT * FROM teams_conversation WHERE conversation_id = ${conversationId}`;
    return rows[0] ? toRef(rows[0]) : undefined;
  }

  /** The personal chat with a user, if the bot has one (the app is installed for them). */
  async personalChatOf(userAadId: string): Promise<ConversationRef | undefined> {
    const rows = await this.db.$queryRaw<Row[]>`
      SELECT * FROM teams_conversation WHERE user_aad_id = ${userAadId} AND conversation_type = 'personal' AND removed_at IS NULL
      ORDER BY updated_at DESC LIMIT 1`;
    return rows[0] ? toRef(rows[0]) : undefined;
  }

  /** The team's group id, learnt from the Bot Connector when no activity carried it. */
  async recordTeamGroup(teamId: string, aadGroupId: string): Promise<void> {
    await this.db.$executeRaw`UPDATE teams_conversation SET team_aad_group_id = ${aadGroupId}, updated_at = now() WHERE team_id = ${teamId}`;
  }

  /** What a post for a delivery came back with, written the moment Teams answers (see TeamsSender.findPosted). */
  async recordSent(deliveryId: string, conversationId: string, activityId: string): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO teams_sent_activity (delivery_id, conversation_id, activity_id) VALUES (${deliveryId}, ${conversationId}, ${activityId})
      ON CONFLICT (delivery_id) DO NOTHING`;
  }

  async sentActivity(deliveryId: string): Promise<string | undefined> {
    const rows = await this.db.$queryRaw<{ activity_id: string }[]>`SELECT activity_id FROM teams_sent_activity WHERE delivery_id = ${deliveryId}`;
    return rows[0]?.activity_id;
  }
}

function toRef(row: Row): ConversationRef {
  return {
    conversationId: row.conversation_id,
    tenantId: row.tenant_id,
    serviceUrl: row.service_url,
    conversationType: row.conversation_type,
    teamId: row.team_id,
    teamAadGroupId: row.team_aad_group_id,
    name: row.name,
    botId: row.bot_id,
    userAadId: row.user_aad_id,
    removedAt: row.removed_at,
  };
}
