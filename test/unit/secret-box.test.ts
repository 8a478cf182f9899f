import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError } from '../../src/store/secret-box';

const SECRET = 'xoxb-1234-5678-secret-token';

function errorOf(action: () => unknown): SecretBoxError {
  try {
    action();
  } catch (error) {
    if (error instanceof SecretBoxError) return error;
    throw error;
  }
  throw new Error('expected a SecretBoxError');
}

/** Flips one bit of one base64url-encoded part, keeping the encoding canonical. */
function flipBit(sealed: string, partIndex: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[partIndex]!, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[partIndex] = bytes.toString('base64url');
  return parts.join('.');
}

describe('SecretBox', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);

  it('round-trips text, including empty and non-ASCII strings', () => {
    for (const plaintext of [SECRET, '', 'Zoë — 面接 🎯', JSON.stringify({ bot: { token: SECRET } })]) {
      expect(box.open(box.seal(plaintext))).toBe(plaintext);
    }
  });

  it('writes v1.<iv>.<tag>.<ciphertext> with a 12-byte iv and a 16-byte tag, and no plaintext', () => {
    const sealed = box.seal(SECRET);
    const [version, iv, tag, ciphertext, ...rest] = sealed.split('.');
    expect(version).toBe('v1');
    expect(rest).toEqual([]);
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(ciphertext!, 'base64url')).toHaveLength(Buffer.byteLength(SECRET));
    expect(sealed).not.toContain('xoxb');
  });

  it('uses a fresh iv per message, so equal plaintexts give different ciphertexts', () => {
    const first = box.seal(SECRET);
    const second = box.seal(SECRET);
    expect(first).not.toBe(second);
    expect(first.split('.')[1]).not.toBe(second.split('.')[1]);
    expect(box.open(first)).toBe(box.open(second));
  });

  it.each([
    ['iv', 1],
    ['tag', 2],
    ['ciphertext', 3],
  ])('rejects a tampered %s', (_part, index) => {
    const tampered = flipBit(box.seal(SECRET), index);
    const error = errorOf(() => box.open(tampered));
    expect(error.reason).toBe('authentication_failed');
    expect(error.message).not.toContain(SECRET);
  });

  it('rejects a truncated tag instead of checking fewer bytes', () => {
    const parts = box.seal(SECRET).split('.');
    parts[2] = Buffer.from(parts[2]!, 'base64url').subarray(0, 4).toString('base64url');
    expect(errorOf(() => box.open(parts.join('.'))).reason).toBe('malformed');
  });

  it('rejects a wrong key with a message that names neither the key nor the plaintext', () => {
    const otherKey = randomBytes(32);
    const error = errorOf(() => new SecretBox(otherKey).open(box.seal(SECRET)));
    expect(error.reason).toBe('authentication_failed');
    expect(error.message).toMatch(/different key|altered/);
    for (const secret of [SECRET, key.toString('base64'), key.toString('hex'), otherKey.toString('base64'), otherKey.toString('hex')]) {
      expect(error.message).not.toContain(secret);
    }
  });

  it('binds associated data: the same value opens only with the same context', () => {
    const sealed = box.seal(SECRET, 'slack_installation:T1');
    expect(box.open(sealed, 'slack_installation:T1')).toBe(SECRET);
    expect(errorOf(() => box.open(sealed, 'slack_installation:T2')).reason).toBe('authentication_failed');
    expect(errorOf(() => box.open(sealed)).reason).toBe('authentication_failed');
  });

  it('rejects malformed input without echoing it', () => {
    for (const input of [SECRET, '', 'v1.a.b', 'v1.!!.AAAA.AAAA', `v1.${'A'.repeat(16)}.${'A'.repeat(22)}.${SECRET}.x`]) {
      const error = errorOf(() => box.open(input));
      expect(error.reason).toBe('malformed');
      expect(error.message).not.toContain(SECRET);
    }
  });

  it('rejects non-canonical base64url rather than silently decoding it', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const parts = box.seal(SECRET).split('.');
    // A 16-byte tag is 22 characters with 4 unused low bits in the last one: setting one of them
    // decodes to the very same bytes, so only the canonical-encoding check can notice.
    const tag = parts[2]!;
    const last = alphabet[alphabet.indexOf(tag.at(-1)!) ^ 0x01]!;
    const variant = `${tag.slice(0, -1)}${last}`;
    expect(Buffer.from(variant, 'base64url')).toEqual(Buffer.from(tag, 'base64url'));
    expect(errorOf(() => box.open([parts[0], parts[1], variant, parts[3]].join('.'))).reason).toBe('malformed');
    expect(errorOf(() => box.open(`${parts.join('.')}=`)).reason).toBe('malformed');
  });

  it('names an unknown format version', () => {
    const sealed = box.seal(SECRET).replace(/^v1\./, 'v2.');
    const error = errorOf(() => box.open(sealed));
    expect(error.reason).toBe('unsupported_version');
    expect(error.message).toContain('v2');
  });

  it('refuses keys that are not 32 bytes, without printing them', () => {
    const short = randomBytes(16);
    const error = errorOf(() => new SecretBox(short));
    expect(error.reason).toBe('invalid_key');
    expect(error.message).not.toContain(short.toString('hex'));
    expect(errorOf(() => new SecretBox([])).reason).toBe('invalid_key');
  });

  it('keeps working if the caller later overwrites its key buffer', () => {
    const ownKey = randomBytes(32);
    const ownBox = new SecretBox(ownKey);
    const sealed = ownBox.seal(SECRET);
    ownKey.fill(0);
    expect(ownBox.open(sealed)).toBe(SECRET);
  });

  describe('key rotation', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const before = new SecretBox(oldKey);
    const during = new SecretBox([newKey, oldKey]);

    it('opens values sealed under an old key and flags them for re-sealing', () => {
      const sealedBefore = before.seal(SECRET, 'ctx');
      expect(during.open(sealedBefore, 'ctx')).toBe(SECRET);
      expect(during.needsReseal(sealedBefore, 'ctx')).toBe(true);
    });

    it('seals with the first key only', () => {
      const sealedDuring = during.seal(SECRET);
      expect(during.needsReseal(sealedDuring)).toBe(false);
      expect(new SecretBox(newKey).open(sealedDuring)).toBe(SECRET);
      expect(errorOf(() => before.open(sealedDuring)).reason).toBe('authentication_failed');
    });

    it('stops opening old values once the old key is dropped', () => {
      const sealedBefore = before.seal(SECRET);
      expect(errorOf(() => new SecretBox(newKey).open(sealedBefore)).reason).toBe('authentication_failed');
    });
  });
});
