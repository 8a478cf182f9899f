import { apiKeyNameProblem } from '../domain/api-key';
import { API_KEY_CACHE_TTL_MS } from '../services/api-key-auth';
import { ApiKeyService } from '../services/api-keys';
import { CLI_ACTOR } from '../services/actor';
import type { Db } from '../store/db';

export const API_KEYS_USAGE = `  api-keys create <name> [--org <slug>]     a key for the interview platform to read the specs (GET /api/v1/specs); shown once
  api-keys revoke <name> [--org <slug>]     refuse that key from now on (within ${API_KEY_CACHE_TTL_MS / 1000} s on every replica)
  api-keys list [--org <slug>]              the keys' names, first characters and when they were made (never the keys)`;

/** Wrong arguments are refused by main.ts (apiKeysMisuse) before the database opens, so nothing changes. */
export function apiKeysMisuse(action: string, args: string[]): string | undefined {
  if (action === 'list') return args.length > 0 ? 'api-keys list takes no arguments (only --org).' : undefined;
  if (args.length !== 1) return `api-keys ${action} takes one name: panelist api-keys ${action} <name>`;
  return action === 'create' ? apiKeyNameProblem(args[0]!) : undefined;
}

/**
 * `panelist api-keys …`: the pull API's keys (docs/spec-api.md). The key is printed once, on a
 * line of its own (so `| head -1` captures it); Panelist keeps only its hash. Creating and
 * revoking are audited with the CLI as the actor.
 */
export async function runApiKeys(
  db: Db,
  organizationId: string,
  orgSlug: string,
  action: string,
  args: string[],
  out: (line: string) => void,
): Promise<number> {
  const keys = new ApiKeyService(db);
  const context = { organizationId, actor: CLI_ACTOR };
  if (action === 'create') {
    const created = await keys.create(context, args[0]!);
    out(created.key);
    out(`API key "${created.name}" (${created.prefix}…) can now read the specs of "${orgSlug}". Copy it now: it will not be shown again.`);
    return 0;
  }
  if (action === 'revoke') {
    const revoked = await keys.revoke(context, args[0]!);
    out(
      `API key "${revoked.name}" (${revoked.prefix}…) of "${orgSlug}" is revoked: every replica refuses it within ${API_KEY_CACHE_TTL_MS / 1000} seconds.`,
    );
    return 0;
  }
  const rows = await keys.list(organizationId);
  if (rows.length === 0) out(`"${orgSlug}" has no API keys. npx panelist api-keys create <name> makes one.`);
  for (const row of rows) out([row.name, `${row.prefix}…`, row.createdAt.toISOString(), `by ${row.createdBy}`].join('\t'));
  return 0;
}
