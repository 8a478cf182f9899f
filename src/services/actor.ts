/** Who is acting, as the chat adapter established it. `isAdmin`: Slack workspace admin/owner, or a Teams admin (named, or in the organization's Entra admin group). */
export interface Actor {
  platform: 'slack' | 'teams' | 'cli';
  userId: string;
  name?: string;
  isAdmin: boolean;
  /** Teams: whether they are in the Entra admin group could not be checked just now, so they are no admin for this command */
  adminUnverified?: boolean;
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
