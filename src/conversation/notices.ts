import { SPEC_VERSION_KIND } from '../services/spec-publication';
import { paragraph, type Inline, type Reply } from './document';

/**
 * What the pipeline and the platform events tell people outside a conversation (a DM about a
 * paused channel, the ops channel's dead letters): documents like any reply, so each platform
 * renders them with its own escaping and says them in its own words.
 */

/** Panelist cannot post in a channel any more: its subscriptions are paused until it is let back in. */
export function channelPausedNotice(platform: string, channelId: string, reason: string): Reply {
  const opening: Inline[] = [
    "I can't post to ",
    { channel: channelId },
    ' (',
    { user: reason },
    '), so its Panelist subscriptions are paused. ',
  ];
  // Slack tells Panelist when it is invited back (member_joined_channel); Teams does not resume by itself.
  return platform === 'slack'
    ? paragraph([
        ...opening,
        'Invite me back with ',
        { code: '/invite @Panelist' },
        ' in that channel and they resume; held messages will follow.',
      ])
    : paragraph([
        ...opening,
        'Add Panelist back to the team, then run ',
        { command: 'subscribe …' },
        ' in that channel again; held messages will follow.',
      ]);
}

/** Slack's channel events: why a channel's subscriptions just paused, and what brings them back. */
export function channelGoneNotice(what: 'removed' | 'archived' | 'deleted', channelId: string): Reply {
  const channel: Inline = { channel: channelId };
  const invite: Inline = { code: '/invite @Panelist' };
  if (what === 'removed') {
    return paragraph([
      'I was removed from ',
      channel,
      ', so its Panelist subscriptions are paused. Invite me back with ',
      invite,
      ' in that channel and they resume; the messages held meanwhile follow.',
    ]);
  }
  if (what === 'archived') {
    return paragraph([
      channel,
      ' was archived, so its Panelist subscriptions are paused. If it is unarchived, invite me back with ',
      invite,
      ' there and they resume; the messages held meanwhile follow.',
    ]);
  }
  return paragraph([channel, ' was deleted, so its Panelist subscriptions are paused and nothing more is posted for it.']);
}

export interface DeadLetter {
  id: string;
  kind: string;
  platform: string;
  channelId: string;
  lastError: string | null;
  attempts: number;
}

/** For the ops channel: deliveries that failed for good, and the command that retries them. */
export function deadLettersNotice(dead: DeadLetter[]): Reply {
  const count = `${dead.length} Panelist deliver${dead.length === 1 ? 'y' : 'ies'} failed for good:`;
  return {
    blocks: [
      {
        kind: 'list',
        heading: [':rotating_light: ', count],
        items: dead.map((d) => [
          { code: d.id },
          // A spec version goes to the interview platform, not a channel: its "channel" is the spec.
          ...(d.kind === SPEC_VERSION_KIND
            ? [' a spec version for the interview platform, spec ', { user: d.channelId }]
            : [` ${d.kind} → ${d.platform} `, { user: d.channelId }]),
          ': ',
          { user: d.lastError ?? 'unknown error' },
          ` (attempts ${d.attempts})`,
        ]),
        footer: ['Fix the cause, then ', { code: 'npx panelist deliveries retry --all-failed' }, ' (see docs/runbook.md).'],
      },
    ],
  };
}
