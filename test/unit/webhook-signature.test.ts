import { createHmac } from 'node:crypto';
import { parseSecretList, signInterviewBody, verifyInterviewSignature } from '../../src/webhooks/signature';

const body = Buffer.from('{"id":"evt_2QeJ8b1","type":"interview.started"}');
const secret = 'whsec_current';
const now = new Date('2026-11-23T17:42:10.750Z');
const t = Math.floor(now.getTime() / 1000);

const verify = (header: string | undefined, overrides: Partial<Parameters<typeof verifyInterviewSignature>[0]> = {}) =>
  verifyInterviewSignature({ header, rawBody: body, secrets: [secret], now, ...overrides });

const v1 = (key: string, at: number, raw: Buffer = body) => createHmac('sha256', key).update(`${at}.`).update(raw).digest('hex');

const reasonOf = (result: ReturnType<typeof verifyInterviewSignature>) => (result.ok ? 'ok' : result.reason);

describe('verifyInterviewSignature', () => {
  it('accepts a body signed with the secret', () => {
    expect(verify(signInterviewBody(secret, body, t))).toEqual({ ok: true });
  });

  it('signs as the contract says: hex(HMAC-SHA256(secret, "<t>.<raw body>"))', () => {
    expect(signInterviewBody(secret, body, t)).toBe(`t=${t},v1=${v1(secret, t)}`);
    expect(signInterviewBody(secret, body.toString('utf8'), t)).toBe(signInterviewBody(secret, body, t));
  });

  it('accepts the second of two configured secrets (rotation)', () => {
    const header = signInterviewBody('whsec_next', body, t);
    expect(verify(header, { secrets: [secret, 'whsec_next'] })).toEqual({ ok: true });
    expect(verify(header, { secrets: ['whsec_next', secret] })).toEqual({ ok: true });
  });

  it('accepts when the second of two v1 values matches', () => {
    const header = `t=${t},v1=${v1('whsec_old', t)},v1=${v1(secret, t)}`;
    expect(verify(header)).toEqual({ ok: true });
  });

  it('refuses a body signed with another secret, without echoing any secret', () => {
    const result = verify(signInterviewBody('whsec_wrong', body, t));
    expect(reasonOf(result)).toBe('mismatch');
    if (!result.ok) {
      expect(result.message).not.toContain(secret);
      expect(result.message).not.toContain('whsec_wrong');
    }
  });

  it('refuses a tampered body', () => {
    const header = signInterviewBody(secret, body, t);
    const tampered = Buffer.from(body.toString('utf8').replace('started', 'abandoned'));
    expect(reasonOf(verify(header, { rawBody: tampered }))).toBe('mismatch');
  });

  it('refuses a body whose bytes differ only in whitespace (the raw bytes are signed)', () => {
    const header = signInterviewBody(secret, body, t);
    expect(reasonOf(verify(header, { rawBody: Buffer.concat([body, Buffer.from('\n')]) }))).toBe('mismatch');
  });

  it('refuses when no secret is configured', () => {
    expect(reasonOf(verify(signInterviewBody(secret, body, t), { secrets: [] }))).toBe('mismatch');
    expect(reasonOf(verify(signInterviewBody('', body, t), { secrets: [''] }))).toBe('mismatch');
  });

  it('allows a timestamp exactly 300 s old or ahead, and refuses 301 s either way as stale', () => {
    expect(verify(signInterviewBody(secret, body, t - 300))).toEqual({ ok: true });
    expect(verify(signInterviewBody(secret, body, t + 300))).toEqual({ ok: true });

    const old = verify(signInterviewBody(secret, body, t - 301));
    expect(reasonOf(old)).toBe('stale');
    if (!old.ok) expect(old.message).toContain('301 s old');

    const future = verify(signInterviewBody(secret, body, t + 301));
    expect(reasonOf(future)).toBe('stale');
    if (!future.ok) expect(future.message).toContain('301 s in the future');
  });

  it('honours a custom tolerance', () => {
    expect(reasonOf(verify(signInterviewBody(secret, body, t - 61), { toleranceSeconds: 60 }))).toBe('stale');
    expect(verify(signInterviewBody(secret, body, t - 60), { toleranceSeconds: 60 })).toEqual({ ok: true });
  });

  it('reports a forged old signature as a mismatch, not as stale', () => {
    expect(reasonOf(verify(signInterviewBody('whsec_wrong', body, t - 3600)))).toBe('mismatch');
  });

  it('refuses a missing or blank header', () => {
    expect(reasonOf(verify(undefined))).toBe('missing');
    expect(reasonOf(verify('   '))).toBe('missing');
  });

  it('refuses garbage as malformed', () => {
    expect(reasonOf(verify('garbage'))).toBe('malformed');
    expect(reasonOf(verify('Bearer abc.def'))).toBe('malformed');
    expect(reasonOf(verify('=,=,='))).toBe('malformed');
  });

  it('refuses a header without v1', () => {
    const result = verify(`t=${t}`);
    expect(reasonOf(result)).toBe('malformed');
    if (!result.ok) expect(result.message).toContain('v1');
    expect(reasonOf(verify(`t=${t},v0=${v1(secret, t)}`))).toBe('malformed');
  });

  it('refuses a missing, non-integer or repeated t', () => {
    expect(reasonOf(verify(`v1=${v1(secret, t)}`))).toBe('malformed');
    expect(reasonOf(verify(`t=${t}.5,v1=${v1(secret, t)}`))).toBe('malformed');
    expect(reasonOf(verify(`t=-${t},v1=${v1(secret, t)}`))).toBe('malformed');
    expect(reasonOf(verify(`t=soon,v1=${v1(secret, t)}`))).toBe('malformed');
    expect(reasonOf(verify(`t=,v1=${v1(secret, t)}`))).toBe('malformed');
    expect(reasonOf(verify(`t=${t},t=${t - 1},v1=${v1(secret, t)}`))).toBe('malformed');
  });

  it('refuses a v1 that is not 64 hex digits', () => {
    const good = v1(secret, t);
    expect(reasonOf(verify(`t=${t},v1=${good.slice(0, -1)}z`))).toBe('malformed');
    expect(reasonOf(verify(`t=${t},v1=${good.slice(0, -1)}`))).toBe('malformed');
    expect(reasonOf(verify(`t=${t},v1=${good}00`))).toBe('malformed');
    expect(reasonOf(verify(`t=${t},v1=`))).toBe('malformed');
  });

  it('tolerates whitespace around parts, stray commas and unknown schemes', () => {
    const good = v1(secret, t);
    expect(verify(`  t = ${t} ,  v1 = ${good} `)).toEqual({ ok: true });
    expect(verify(`t=${t},,v1=${good},`)).toEqual({ ok: true });
    expect(verify(`v0=abc,t=${t},v2=whatever,v1=${good}`)).toEqual({ ok: true });
    expect(verify(`t=${t},v1=${good.toUpperCase()}`)).toEqual({ ok: true });
  });
});

describe('parseSecretList', () => {
  it('splits on commas, trims and drops empties', () => {
    expect(parseSecretList(' a , b,,c ,')).toEqual(['a', 'b', 'c']);
    expect(parseSecretList('')).toEqual([]);
    expect(parseSecretList('only')).toEqual(['only']);
  });
});
