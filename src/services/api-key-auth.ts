import { LRUCache } from 'lru-cache';
import { apiKeyHash } from '../domain/api-key';
import type { Db } from '../store/db';

/**
 * How long a replica trusts a key it has looked up. A revoked key keeps working on each replica
 * for at most this long after `api-keys revoke` (docs/spec-api.md says so); in exchange, a poller
 * costs one indexed lookup per key per TTL instead of one per request.
 */
export const API_KEY_CACHE_TTL_MS = 5_000;
/** Distinct keys remembered at once; an organization has a handful, so this only bounds strangers' effect. */
export const API_KEY_CACHE_MAX = 1_000;

/**
 * Which organization a key belongs to, from its sha256. Only known keys are remembered: a new key
 * works at once, and a stranger's guesses cannot fill the cache (each costs one indexed lookup).
 * Lookups of one key at the same moment share one query.
 */
export class ApiKeyAuthenticator {
  private readonly organizations: LRUCache<string, Promise<string | null>>;

  constructor(
    private readonly db: Db,
    options: { ttlMs?: number; max?: number } = {},
  ) {
    this.organizations = new LRUCache({ max: options.max ?? API_KEY_CACHE_MAX, ttl: options.ttlMs ?? API_KEY_CACHE_TTL_MS });
  }

  get size(): number {
    return this.organizations.size;
  }

  /** The key's organization id, or undefined for a key that does not exist (never made, or revoked). */
  async organizationOf(key: string): Promise<string | undefined> {
    const hash = apiKeyHash(key);
    let lookup = this.organizations.get(hash);
    if (!lookup) {
      lookup = this.db.apiKey
        .findUnique({ where: { keyHash: hash }, select: { organizationId: true } })
        .then((row) => row?.organizationId ?? null);
      const pending = lookup;
      this.organizations.set(hash, pending);
      const forget = () => {
        if (this.organizations.get(hash) === pending) this.organizations.delete(hash);
      };
      pending.then((organizationId) => organizationId ?? forget(), forget);
    }
    return (await lookup) ?? undefined;
  }
}
