import { PanelistError } from '../domain/errors';
import type { Db } from '../store/db';
import { enqueueDelivery } from '../store/queue';
import { phrase } from '../domain/phrase';
import { SPEC_VERSION_KIND, versionLabels } from './spec-publication';

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
  /** for a spec version: which one, in words ("senior-backend-payments v3"); undefined for chat messages */
  specVersion?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The answer for an id that names no delivery, with where to find the right one. */
function noDelivery(id: string): PanelistError {
  const shown = id.length > 40 ? `${id.slice(0, 40)}…` : id;
  return new PanelistError(
    'invalid_input',
    phrase`No delivery ${shown}: a delivery id looks like 3f2b8c1e-…-…; \`npx panelist deliveries list\` shows them (\`--failed\` only the failed ones).`,
  );
}

/** The operator's view of the delivery pipeline: list, and retry dead letters. */
export class DeliveryService {
  constructor(private readonly db: Db) {}

  async list(options: { failedOnly?: boolean; limit?: number } = {}): Promise<DeliveryRow[]> {
    const rows = await this.db.delivery.findMany({
      where: options.failedOnly ? { status: 'failed' } : {},
      orderBy: { updatedAt: 'desc' },
      take: options.limit ?? 50,
      select: {
        id: true,
        kind: true,
        subjectId: true,
        platform: true,
        channelId: true,
        status: true,
        attempts: true,
        lastError: true,
        messageId: true,
        updatedAt: true,
      },
    });
    return this.withVersionLabels(rows);
  }

  /** A spec version's delivery says which version it is: its ids alone mean nothing to an operator. */
  private async withVersionLabels<T extends { kind: string; subjectId: string }>(rows: T[]): Promise<(T & { specVersion?: string })[]> {
    const labels = await versionLabels(
      this.db,
      rows.filter((row) => row.kind === SPEC_VERSION_KIND).map((row) => row.subjectId),
    );
    return rows.map((row) =>
      row.kind === SPEC_VERSION_KIND ? { ...row, specVersion: labels.get(row.subjectId) ?? `version ${row.subjectId}` } : row,
    );
  }

  /** Puts failed deliveries back in the queue with a fresh attempt budget; returns them (spec versions named). */
  async retry(target: { id: string } | { allFailed: true }): Promise<{ id: string; specVersion?: string }[]> {
    // Checked here, not by the database: it would answer "invalid input syntax for type uuid".
    if ('id' in target && !UUID.test(target.id)) throw noDelivery(target.id);
    const requeued = await this.db.$transaction(async (tx) => {
      const where = 'id' in target ? { id: target.id } : { status: 'failed' };
      const rows = await tx.delivery.findMany({ where, select: { id: true, status: true, platform: true, kind: true, subjectId: true } });
      if ('id' in target && rows.length === 0) throw noDelivery(target.id);
      const retried: typeof rows = [];
      for (const row of rows) {
        if (row.status !== 'failed' && row.status !== 'paused') {
          if ('id' in target)
            throw new PanelistError('invalid_input', `Delivery ${row.id} is ${row.status}, not failed; nothing to retry.`);
          continue;
        }
        await tx.delivery.update({
          where: { id: row.id },
          data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(), updatedAt: new Date() },
        });
        await enqueueDelivery(tx, row);
        retried.push(row);
      }
      return retried;
    });
    const labelled = await this.withVersionLabels(requeued);
    return labelled.map(({ id, specVersion }) => (specVersion ? { id, specVersion } : { id }));
  }
}
