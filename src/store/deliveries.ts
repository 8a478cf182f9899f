import type { Tx } from './db';
import { addDeliverJob } from './queue';

export interface DeliveryTarget {
  subscriptionId: string;
  platform: string;
  workspaceId: string;
  channelId: string;
}

/**
 * One delivery per (kind, subject, channel), created with its job in the caller's transaction.
 * Returns the ids it created: a channel that already has this message gets nothing new.
 */
export async function createDeliveries<T extends DeliveryTarget>(
  tx: Tx,
  kind: string,
  subjectId: string,
  targets: T[],
  status: (target: T) => 'pending' | 'paused' = () => 'pending',
): Promise<string[]> {
  const created: string[] = [];
  for (const target of targets) {
    const rows = await tx.$queryRaw<{ id: string; status: string }[]>`
      INSERT INTO delivery (id, kind, subject_id, subscription_id, platform, workspace_id, channel_id, status)
      VALUES (gen_random_uuid(), ${kind}, ${subjectId}, ${target.subscriptionId}::uuid, ${target.platform},
              ${target.workspaceId}, ${target.channelId}, ${status(target)})
      ON CONFLICT (kind, subject_id, channel_id) DO NOTHING
      RETURNING id, status`;
    for (const row of rows) {
      created.push(row.id);
      if (row.status === 'pending') await tx.$executeRaw(addDeliverJob(row.id));
    }
  }
  return created;
}

/** The message must change (a rescore): bump what it should show and wake its job. */
export async function refreshDeliveries(tx: Tx, kind: string, subjectId: string): Promise<number> {
  const rows = await tx.$queryRaw<{ id: string; status: string }[]>`
    UPDATE delivery SET content_version = content_version + 1, updated_at = now(), next_attempt_at = now()
    WHERE kind = ${kind} AND subject_id = ${subjectId}
    RETURNING id, status`;
  for (const row of rows) {
    if (row.status === 'pending' || row.status === 'sent') await tx.$executeRaw(addDeliverJob(row.id));
  }
  return rows.length;
}
