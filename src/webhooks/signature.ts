import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The interview platform's webhook signature (docs/interview-webhook.md):
 * `Interview-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`, each v1 being
 * hex(HMAC-SHA256(secret, "<t>.<raw body bytes>")).
 */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type SignatureFailure = 'missing' | 'malformed' | 'stale' | 'mismatch';

export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureFailure; message: string };

export interface SignatureInput {
  header: string | undefined;
  rawBody: Buffer;
  secrets: readonly string[];
  now: Date;
  toleranceSeconds?: number;
}

// An HMAC-SHA256 is 32 bytes. Demanding exactly 64 hex digits keeps Buffer.from(hex) honest (it
// silently drops an odd trailing digit or stops at the first non-hex one) and guarantees the
// equal lengths timingSafeEqual needs.
const V1_PATTERN = /^[0-9a-fA-F]{64}$/;
const T_PATTERN = /^\d{1,15}$/;

interface ParsedHeader {
  /** exactly as sent: the signer hashed these characters, not our re-rendering of the number */
  timestampText: string;
  timestamp: number;
  signatures: Buffer[];
}

export function verifyInterviewSignature(input: SignatureInput): SignatureCheck {
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (input.header === undefined || input.header.trim() === '') {
    return fail('missing', 'the Interview-Signature header is missing');
  }
  const parsed = parseHeader(input.header);
  if (!parsed.ok) return fail('malformed', parsed.message);
  const { timestampText, timestamp, signatures } = parsed.header;

  const secrets = input.secrets.filter((s) => s.length > 0);
  // Fail closed: with no secret configured nothing can be authentic.
  if (secrets.length === 0) return fail('mismatch', 'no webhook secret is configured, so no signature can match');

  let matched = false;
  for (const secret of secrets) {
    const expected = hmac(secret, timestampText, input.rawBody);
    for (const candidate of signatures) {
      // The comparison comes first so every pair is compared even after a match: uniform work.
      matched = timingSafeEqual(expected, candidate) || matched;
    }
  }
  if (!matched) {
    return fail('mismatch', 'no v1 signature matches a configured secret (wrong secret, or the body was altered)');
  }

  // Checked after the HMAC on purpose: "stale" then means a genuine signature that is too old or
  // too new, i.e. a replay or a skewed clock, which is a different fix from a wrong secret.
  const nowSeconds = Math.floor(input.now.getTime() / 1000);
  const drift = nowSeconds - timestamp;
  if (Math.abs(drift) > tolerance) {
    const direction = drift > 0 ? `${drift} s old` : `${-drift} s in the future`;
    return fail('stale', `the signature timestamp is ${direction}; it must be within ${tolerance} s of now`);
  }
  return { ok: true };
}

/**
 * The header value for `rawBody` signed with `secret` at unix second `t`. The platform signs its
 * webhooks to us this way (Interview-Signature), and Panelist signs the spec versions it publishes
 * to the platform the same way (Panelist-Signature, src/publishing/); tests, fakes and the
 * benchmark sign with it too.
 */
export function signWebhookBody(secret: string, rawBody: Buffer | string, t: number): string {
  if (!Number.isSafeInteger(t) || t < 0) throw new Error(`t must be whole unix seconds, got ${t}`);
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  return `t=${t},v1=${hmac(secret, String(t), body).toString('hex')}`;
}

/** The same signature, under the name the inbound webhook's tests and tools know it by. */
export const signInterviewBody = signWebhookBody;

/** INTERVIEW_WEBHOOK_SECRET: comma-separated so an old and a new secret both verify during rotation. */
export function parseSecretList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function hmac(secret: string, timestampText: string, rawBody: Buffer): Buffer {
  // The raw bytes, never a decoded string: re-encoding would change what was signed.
  return createHmac('sha256', secret).update(`${timestampText}.`, 'utf8').update(rawBody).digest();
}

function parseHeader(header: string): { ok: true; header: ParsedHeader } | { ok: false; message: string } {
  let timestampText: string | undefined;
  const signatures: Buffer[] = [];
  for (const rawPart of header.split(',')) {
    const part = rawPart.trim();
    // A trailing or doubled comma carries no meaning; tolerate it like surrounding whitespace.
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, message: `the Interview-Signature header has a part that is not key=value` };
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      // Two timestamps would leave it open which one was signed.
      if (timestampText !== undefined) return { ok: false, message: 'the Interview-Signature header has more than one t=' };
      if (!T_PATTERN.test(value)) return { ok: false, message: 't= must be a whole number of unix seconds' };
      timestampText = value;
    } else if (key === 'v1') {
      if (!V1_PATTERN.test(value)) return { ok: false, message: 'v1= must be 64 hex digits (an HMAC-SHA256)' };
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Other schemes (v0=, a future v2=) are ignored so the platform can add one without breaking us.
  }
  if (timestampText === undefined) return { ok: false, message: 'the Interview-Signature header has no t= timestamp' };
  if (signatures.length === 0) return { ok: false, message: 'the Interview-Signature header has no v1= signature' };
  return { ok: true, header: { timestampText, timestamp: Number(timestampText), signatures } };
}

function fail(reason: SignatureFailure, message: string): SignatureCheck {
  return { ok: false, reason, message };
}
