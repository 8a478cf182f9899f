import { randomBytes } from 'node:crypto';
import { API_KEY_RANDOM_BYTES, apiKeyDisplayPrefix, apiKeyFromRandom, apiKeyHash, apiKeyNameProblem } from '../domain/api-key';
import { PanelistError } from '../domain/errors';
import { quoted } from '../domain/text';
import { type Db, isUniqueViolation } from '../store/db';
import type { ActorContext } from './actor';
import { recordAudit } from './audit';

export interface ApiKeySummary {
  name: string;
  prefix: string;
  createdBy: string;
  createdAt: Date;
}

/**
 * The keys an organization's interview platform reads specs with (`npx panelist api-keys …`).
 * A key is shown once, when it is made; the database keeps its hash. Revoking deletes the row
 * (the key's name is free again at once); the audit trail keeps who made and revoked which key.
 */
export class ApiKeyService {
  constructor(private readonly db: Db) {}

  async create(context: ActorContext, name: string): Promise<ApiKeySummary & { key: string }> {
    const problem = apiKeyNameProblem(name);
    if (problem) throw new PanelistError('invalid_input', problem);
    const key = apiKeyFromRandom(randomBytes(API_KEY_RANDOM_BYTES));
    const prefix = apiKeyDisplayPrefix(key);
    try {
      return await this.db.$transaction(async (tx) => {
        const row = await tx.apiKey.create({
          data: { organizationId: context.organizationId, name, keyHash: apiKeyHash(key), prefix, createdBy: context.actor.userId },
        });
        await recordAudit(tx, context, { action: 'api_key.create', detail: { name, prefix } });
        return { key, name, prefix, createdBy: row.createdBy, createdAt: row.createdAt };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new PanelistError(
        'invalid_input',
        `There is already an API key named "${name}"; nothing was created. Pick another name, or revoke that key first (npx panelist api-keys revoke ${name}).`,
      );
    }
  }

  async revoke(context: ActorContext, name: string): Promise<ApiKeySummary> {
    return this.db.$transaction(async (tx) => {
      const where = { organizationId_name: { organizationId: context.organizationId, name } };
      const row = await tx.apiKey.findUnique({ where });
      if (!row) {
        throw new PanelistError(
          'invalid_input',
          `No API key is named "${quoted(name)}"; nothing was revoked. npx panelist api-keys list shows the keys there are.`,
        );
      }
      await tx.apiKey.delete({ where });
      await recordAudit(tx, context, { action: 'api_key.revoke', detail: { name, prefix: row.prefix } });
      return { name: row.name, prefix: row.prefix, createdBy: row.createdBy, createdAt: row.createdAt };
    });
  }

  list(organizationId: string): Promise<ApiKeySummary[]> {
    return this.db.apiKey.findMany({
      where: { organizationId },
      orderBy: [{ createdAt: 'asc' }, { name: 'asc' }],
      select: { name: true, prefix: true, createdBy: true, createdAt: true },
    });
  }
}
