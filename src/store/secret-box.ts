import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption of strings at rest (AES-256-GCM), for secrets such as Slack tokens.
 *
 * Sealed format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url without padding; iv is 12
 * random bytes per message, tag is the full 16-byte GCM tag. The version prefix lets a later
 * format (another cipher, a key id) coexist with rows already written.
 *
 * Rotation: the first key seals; every key is tried when opening, so rows written under an older
 * key stay readable until they are re-sealed. There is no key id in the format because GCM's
 * authentication already tells a wrong key from the right one, and a short list costs nothing.
 *
 * Associated data (optional) is authenticated but not stored: it binds a sealed value to where it
 * belongs (e.g. one database row), so a value copied into another row fails to open.
 */

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Never carries the plaintext, the key or the sealed input: messages are safe to log. */
export class SecretBoxError extends Error {
  constructor(
    readonly reason: 'invalid_key' | 'malformed' | 'unsupported_version' | 'authentication_failed',
    message: string,
  ) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export class SecretBox {
  private readonly keys: readonly Buffer[];

  /** `keys`: one 32-byte key, or a list whose first entry seals and all of which open. */
  constructor(keys: Buffer | readonly Buffer[]) {
    const list = Buffer.isBuffer(keys) ? [keys] : [...keys];
    if (list.length === 0) throw new SecretBoxError('invalid_key', 'SecretBox needs at least one key');
    list.forEach((key, index) => {
      if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
        throw new SecretBoxError(
          'invalid_key',
          `SecretBox key #${index + 1} must be ${KEY_BYTES} bytes (got ${Buffer.isBuffer(key) ? key.length : typeof key})`,
        );
      }
    });
    // Copies, so a caller zeroing or reusing its buffer cannot change what this box decrypts with.
    this.keys = list.map((key) => Buffer.from(key));
  }

  seal(plaintext: string, associatedData?: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keys[0]!, iv, { authTagLength: TAG_BYTES });
    if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, encode(iv), encode(cipher.getAuthTag()), encode(ciphertext)].join('.');
  }

  open(sealed: string, associatedData?: string): string {
    return this.openWithKeyIndex(sealed, associatedData).plaintext;
  }

  /** True when `sealed` opens only with an older key, i.e. it should be re-sealed. */
  needsReseal(sealed: string, associatedData?: string): boolean {
    return this.openWithKeyIndex(sealed, associatedData).keyIndex > 0;
  }

  private openWithKeyIndex(sealed: string, associatedData?: string): { plaintext: string; keyIndex: number } {
    const { iv, tag, ciphertext } = parse(sealed);
    const aad = associatedData === undefined ? undefined : Buffer.from(associatedData, 'utf8');
    for (const [keyIndex, key] of this.keys.entries()) {
      // authTagLength pins the tag size: without it Node accepts truncated tags, which weakens
      // the forgery bound to however few bytes an attacker chooses to supply.
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      if (aad) decipher.setAAD(aad);
      try {
        const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
        return { plaintext, keyIndex };
      } catch {
        // Wrong key and altered data look the same to GCM; try the next key.
      }
    }
    throw new SecretBoxError(
      'authentication_failed',
      'Encrypted value could not be decrypted: it was encrypted with a different key (check ' +
        'TOKEN_ENCRYPTION_KEY) or it has been altered',
    );
  }
}

function parse(sealed: string): { iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  if (typeof sealed !== 'string') throw new SecretBoxError('malformed', 'Encrypted value is not a string');
  const parts = sealed.split('.');
  const version = parts[0] ?? '';
  // The input is never echoed: a malformed value might be a plaintext secret stored by mistake.
  if (version !== VERSION && /^v\d{1,4}$/.test(version)) {
    throw new SecretBoxError('unsupported_version', `Encrypted value has unsupported format ${version}`);
  }
  if (version !== VERSION || parts.length !== 4) {
    throw new SecretBoxError('malformed', `Encrypted value is not in the ${VERSION}.<iv>.<tag>.<ciphertext> format`);
  }
  const iv = decode(parts[1]!, 'iv');
  const tag = decode(parts[2]!, 'tag');
  const ciphertext = decode(parts[3]!, 'ciphertext');
  if (iv.length !== IV_BYTES) throw new SecretBoxError('malformed', `Encrypted value has a ${iv.length}-byte iv; expected ${IV_BYTES}`);
  if (tag.length !== TAG_BYTES)
    throw new SecretBoxError('malformed', `Encrypted value has a ${tag.length}-byte tag; expected ${TAG_BYTES}`);
  return { iv, tag, ciphertext };
}

function encode(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** Strict: Buffer.from(…, 'base64url') silently skips bad characters, which would hide corruption. */
function decode(text: string, part: string): Buffer {
  if (!BASE64URL.test(text)) throw new SecretBoxError('malformed', `Encrypted value has a non-base64url ${part}`);
  const bytes = Buffer.from(text, 'base64url');
  if (encode(bytes) !== text) throw new SecretBoxError('malformed', `Encrypted value has a non-canonical base64url ${part}`);
  return bytes;
}
