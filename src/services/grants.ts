import { PanelistError } from '../domain/errors';
import type { Db } from '../store/db';
import type { ActorContext } from './actor';
import { recordAudit } from './audit';
import { ALL_SPECS, assertAdmin } from './permissions';
import { findSpec } from './spec-lookup';
import { phrase } from '../domain/phrase';

export interface GrantChange {
  userId: string;
  scope: { kind: 'all' } | { kind: 'spec'; slug: string };
  changed: boolean;
}

/** Edit rights for users who are not admins. Only admins and owners grant and revoke. */
export class GrantService {
  constructor(private readonly db: Db) {}

  async grant(context: ActorContext, userId: string, reference: string | 'all'): Promise<GrantChange> {
    assertAdmin(context.actor, 'grant edit rights');
    return this.db.$transaction(async (tx) => {
      const spec = reference === 'all' ? undefined : await findSpec(tx, context.organizationId, reference);
      const scope = spec?.id ?? ALL_SPECS;
      const created = await tx.specGrant.createMany({
        data: [
          { organizationId: context.organizationId, platform: context.actor.platform, userId, scope, grantedBy: context.actor.userId },
        ],
        skipDuplicates: true,
      });
      if (created.count > 0) {
        await recordAudit(tx, context, { action: 'grant.add', specId: spec?.id, detail: { userId, scope } });
      }
      return { userId, scope: spec ? { kind: 'spec', slug: spec.slug } : { kind: 'all' }, changed: created.count > 0 };
    });
  }

  async revoke(context: ActorContext, userId: string, reference: string | 'all'): Promise<GrantChange> {
    assertAdmin(context.actor, 'revoke edit rights');
    return this.db.$transaction(async (tx) => {
      const spec = reference === 'all' ? undefined : await findSpec(tx, context.organizationId, reference);
      const where = { organizationId: context.organizationId, platform: context.actor.platform, userId };
      // "all" revokes every grant the user has; a spec revokes that spec's grant only.
      const removed = await tx.specGrant.deleteMany({ where: spec ? { ...where, scope: spec.id } : where });
      if (removed.count > 0) {
        await recordAudit(tx, context, { action: 'grant.remove', specId: spec?.id, detail: { userId, scope: spec?.id ?? ALL_SPECS } });
      } else if (spec) {
        const broad = await tx.specGrant.findFirst({ where: { ...where, scope: ALL_SPECS } });
        if (broad) {
          throw new PanelistError(
            'invalid_input',
            phrase`That user may edit all specs; revoke \`all\` to take that away, then grant the specs they should keep.`,
          );
        }
      }
      return { userId, scope: spec ? { kind: 'spec', slug: spec.slug } : { kind: 'all' }, changed: removed.count > 0 };
    });
  }
}
