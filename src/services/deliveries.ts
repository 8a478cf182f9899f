import { PanelistError } from '../domain/errors';
import type { Db } from '../store/db';
import { addDeliverJob } from '../store/queue';

export interface DeliveryRow {
  id: string;
  kind: string;
  subjectId: string;
  platform: string;
  channelId: string;
  status: string;
  attempts: number;
  lastError: string | null;
  messageId: string | null;
  updatedAt: Date;
}

/** The operator's view of the delivery pipeline: list, and retry dead letters. */
export class DeliveryService {
  constructor(private readonly db: Db) {}

  async list(options: { failedOnly?: boolean; limit?: number } = {}): Promise<DeliveryRow[]> {
    return this.db.delivery.findMany({
      where: options.failedOnly ? { status: 'failed' } : {},
      orderBy: { updatedAt: 'desc' },
      take: options.limit ?? 50,
      select: { id: true, kind: true, subjectId: true, platform: true, channelId: true, status: true, attempts: true, lastError: true, messageId: true, updatedAt: true },
    });
  }

  /** Puts failed deliveries back in the queue with a fresh attempt budget. */
  async retry(target: { id: string } | { allFailed: true }): Promise<string[]> {
    return this.db.$transaction(async (tx) => {
      const where = 'id' in target ? { id: target.id } : { status: 'failed' };
      const rows = await tx.delivery.findMany({ where, select: { id: true, status: true, platform: true, kind: true } });
      if ('id' in target && rows.length === 0) throw new PanelistError('invalid_input', `No delivery ${target.id}.`);
      const retried: string[] = [];
      for (const row of rows) {
        if (row.status !== 'failed' && row.status !== 'paused') {
          if ('id' in target) throw new PanelistError('invalid_input', `Delivery ${row.id} is ${row.status}, not failed; nothing to retry.`);
          continue;
        }
        await tx.delivery.update({ where: { id: row.id }, data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(), updatedAt: new Date() } });
        await tx.$executeRaw(addDeliverJob(row));
        retried.push(row.id);
      }
      return retried;
    });
  }
}
