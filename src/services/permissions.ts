import { PanelistError } from '../domain/errors';
import type { Db, Tx } from '../store/db';
import { ALL_SPECS_SCOPE } from '../store/scopes';
import type { Actor, ActorContext } from './actor';
import { phrase } from '../domain/phrase';

/** The grant or subscription scope that covers every spec of an organization. */
export const ALL_SPECS = ALL_SPECS_SCOPE;

/** Admins (Slack: workspace admins/owners; Teams: named admins) edit everything; others edit the specs they were granted (or all, if granted all). */
export async function canEditSpec(db: Db | Tx, context: ActorContext, specId: string): Promise<boolean> {
  if (context.actor.isAdmin) return true;
  const grant = await db.specGrant.findFirst({
    where: {
      organizationId: context.organizationId,
      platform: context.actor.platform,
      userId: context.actor.userId,
      scope: { in: [specId, ALL_SPECS] },
    },
    select: { id: true },
  });
  return grant !== null;
}

export async function assertCanEditSpec(db: Db | Tx, context: ActorContext, spec: { id: string; slug: string }) {
  if (!(await canEditSpec(db, context, spec.id))) {
    throw new PanelistError(
      'forbidden',
      phrase`You can read \`${spec.slug}\` but not change it. ${adminsName(context.actor)} can let you: \`grant @you ${spec.slug}\`.${unverified(context.actor)}`,
    );
  }
}

export function assertAdmin(actor: Actor, what: string): void {
  if (!actor.isAdmin) {
    const who = actor.platform === 'teams' ? 'Panelist admins (whoever runs Panelist names them)' : 'workspace admins and owners';
    throw new PanelistError('forbidden', `Only ${who} can ${what}.${unverified(actor)}`);
  }
}

/** Who the admins are, in the actor's platform's words (see "Who can edit" in the README). */
function adminsName(actor: Actor): string {
  return actor.platform === 'teams' ? 'A Panelist admin' : 'A workspace admin';
}

/** Said when the answer might have been yes: the admin group could not be asked (Teams). */
function unverified(actor: Actor): string {
  if (!actor.adminUnverified) return '';
  return ' Panelist could not check with Microsoft Entra just now whether you are in its admin group; if you are, try again in a few minutes, and tell whoever runs Panelist if it keeps happening.';
}
