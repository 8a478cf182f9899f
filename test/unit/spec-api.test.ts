import { API_KEY_PATTERN, apiKeyDisplayPrefix, apiKeyFromRandom, apiKeyHash, apiKeyNameProblem } from '../../src/domain/api-key';
import { decodeSpecCursor, encodeSpecCursor, ifNoneMatchHits, specEntityTag, specPageEntityTag } from '../../src/domain/spec-api';

const SPEC = { id: '58fd32b5-4151-4e1b-aa1c-ab2538f8b850', slug: 'senior-backend-payments' };

describe('API keys', () => {
  it('are pnl_ and 43 base64url characters from 32 random bytes, shown by their first 12 characters', () => {
    const key = apiKeyFromRandom(Buffer.alloc(32, 0));
    expect(key).toMatch(API_KEY_PATTERN);
    expect(key).toBe(`pnl_${'A'.repeat(43)}`);
    expect(apiKeyDisplayPrefix(key)).toBe('pnl_AAAAAAAA');
    expect(apiKeyHash(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(apiKeyHash(key)).not.toBe(apiKeyHash(`${key.slice(0, -1)}x`));
  });

  it.each(['platform', 'interview-platform.prod_2', 'A'.repeat(64)])('takes %s as a name', (name) => {
    expect(apiKeyNameProblem(name)).toBeUndefined();
  });

  it.each(['', 'has space', '-first', 'naïve', 'A'.repeat(65), 'tab\there'])('refuses %j as a name, in words', (name) => {
    expect(apiKeyNameProblem(name)).toContain('is not a key name');
  });
});

describe('entity tags', () => {
  const tag = specEntityTag(SPEC, 3);

  it('name the spec, the version and the slug', () => {
    expect(tag).toBe(`"${SPEC.id}.v3.senior-backend-payments"`);
    expect(specEntityTag({ ...SPEC, slug: 'renamed' }, 3)).not.toBe(tag);
  });

  it.each([
    [tag, true],
    [`W/${tag}`, true],
    [`"a", ${tag} , "b"`, true],
    ['*', true],
    [' * ', true],
    [specEntityTag(SPEC, 2), false],
    [tag.slice(1, -1), false],
    ['', false],
    [undefined, false],
  ])('If-None-Match %j matches: %s', (header, hits) => {
    expect(ifNoneMatchHits(header, tag)).toBe(hits);
  });
});

describe('page tags', () => {
  it('change with any listed version and with where the next page starts', () => {
    const page = specPageEntityTag([specEntityTag(SPEC, 1), specEntityTag({ ...SPEC, id: 'b' }, 4)], null);
    expect(page).toMatch(/^"page\.[A-Za-z0-9_-]{27}"$/);
    expect(specPageEntityTag([specEntityTag(SPEC, 1), specEntityTag({ ...SPEC, id: 'b' }, 4)], null)).toBe(page);
    expect(specPageEntityTag([specEntityTag(SPEC, 1), specEntityTag({ ...SPEC, id: 'b' }, 5)], null)).not.toBe(page);
    expect(specPageEntityTag([specEntityTag(SPEC, 1), specEntityTag({ ...SPEC, id: 'b' }, 4)], 'cursor')).not.toBe(page);
    expect(specPageEntityTag([], null)).not.toBe(page);
  });
});

describe('page cursors', () => {
  it('round-trip the last spec of a page', () => {
    const cursor = { updatedAt: new Date('2026-11-23T09:00:00.123Z'), id: SPEC.id };
    expect(decodeSpecCursor(encodeSpecCursor(cursor))).toEqual(cursor);
  });

  it.each([
    '',
    'not base64!',
    Buffer.from('123').toString('base64url'),
    Buffer.from(`12.${SPEC.id.toUpperCase()}`).toString('base64url'),
    Buffer.from(`99999999999999999.${SPEC.id}`).toString('base64url'),
    Buffer.from(`-5.${SPEC.id}`).toString('base64url'),
    'x'.repeat(101),
  ])('refuse %j', (text) => {
    expect(decodeSpecCursor(text)).toBeUndefined();
  });
});
