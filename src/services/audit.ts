import type { Tx } from '../store/db';
import type { ActorContext } from './actor';

export interface AuditEntry {
  action: string;
  specId?: string;
  beforeVersion?: number | null;
  afterVersion?: number | null;
  detail?: Record<string, unknown>;
}

/** Written in the same transaction as the change it describes, so neither exists without the other. */
export async function recordAudit(tx: Tx, context: ActorContext, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      organizationId: context.organizationId,
      actorPlatform: context.actor.platform,
      actorId: context.actor.userId,
      action: entry.action,
      specId: entry.specId,
      beforeVersion: entry.beforeVersion ?? null,
      afterVersion: entry.afterVersion ?? null,
      detail: { actorName: context.actor.name ?? null, ...entry.detail },
    },
  });
}
