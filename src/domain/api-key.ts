import { createHash } from 'node:crypto';

/**
 * API keys for the pull API (docs/spec-api.md): `pnl_` and 43 base64url characters (32 random
 * bytes). The prefix makes a leaked key recognisable to secret scanners and to a person; only the
 * sha256 of the whole key is stored, so a copy of the database authenticates nobody.
 */
export const API_KEY_PREFIX = 'pnl_';
export const API_KEY_RANDOM_BYTES = 32;
export const API_KEY_PATTERN = /^pnl_[A-Za-z0-9_-]{43}$/;
/** "pnl_" and the first 8 random characters: enough to tell keys apart, far too little to guess the rest */
export const API_KEY_DISPLAY_LENGTH = API_KEY_PREFIX.length + 8;

/** An operator's name for a key: what `api-keys revoke <name>` and `list` use. */
export const API_KEY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function apiKeyFromRandom(random: Buffer): string {
  return `${API_KEY_PREFIX}${random.toString('base64url')}`;
}

export function apiKeyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function apiKeyDisplayPrefix(key: string): string {
  return key.slice(0, API_KEY_DISPLAY_LENGTH);
}

/** Words for a name that breaks the rule, or undefined when it is fine. */
export function apiKeyNameProblem(name: string): string | undefined {
  if (API_KEY_NAME_PATTERN.test(name)) return undefined;
  return `"${name.slice(0, 80)}" is not a key name: use 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit (e.g. interview-platform-prod).`;
}
