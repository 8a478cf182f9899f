import { parseRetryAfter } from '../../src/publishing/platform-sender';

/** The platform's 429 says how long to wait, in seconds or as an HTTP date (RFC 9110 §10.2.3). */
describe('Retry-After from the interview platform', () => {
  const now = Date.parse('2026-12-03T09:00:00Z');

  it('reads seconds and HTTP dates as milliseconds from now', () => {
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 03 Dec 2026 09:00:30 GMT', now)).toBe(30_000);
  });

  it('takes a date in the past as now, and anything beyond an hour as an hour', () => {
    expect(parseRetryAfter('Thu, 03 Dec 2026 08:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('86400', now)).toBe(3_600_000);
  });

  it('ignores an absent or unreadable value (the usual backoff applies)', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});
