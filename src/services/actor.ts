/** Who is acting, as the chat adapter established it. `isAdmin`: Slack workspace admin/owner, or a named Teams admin. */
export interface Actor {
  platform: 'slack' | 'teams' | 'cli';
  userId: string;
  name?: string;
  isAdmin: boolean;
  /** IANA zone from the user's chat profile: the default for schedules they create */
  timeZone?: string;
}

export interface ActorContext {
  organizationId: string;
  actor: Actor;
}

/** A chat channel: where subscriptions, schedules and messages belong. */
export interface ChannelRef {
  platform: 'slack' | 'teams';
  workspaceId: string;
  channelId: string;
}

export const CLI_ACTOR: Actor = { platform: 'cli', userId: 'cli', name: 'panelist CLI', isAdmin: true };
