import { boundedEditDistance, MAX_NEAR_WORD_LENGTH, NEAR_WORK_BUDGET, nearMatches, type WorkMeter } from '../../src/domain/near';

/** The most cells one comparison can fill: two distances, each a band of 2·allowed + 1 per row. */
const ONE_CANDIDATE_CELLS = 2 * MAX_NEAR_WORD_LENGTH * (2 * Math.floor(MAX_NEAR_WORD_LENGTH / 3) + 1);

describe('boundedEditDistance', () => {
  it('is the edit distance while it is within the bound, and bound + 1 beyond', () => {
    expect(boundedEditDistance('kitten', 'sitting', 3)).toBe(3);
    expect(boundedEditDistance('kitten', 'sitting', 2)).toBe(3);
    expect(boundedEditDistance('same', 'same', 0)).toBe(0);
    expect(boundedEditDistance('', 'abc', 5)).toBe(3);
    expect(boundedEditDistance('abcdef', 'ab', 2)).toBe(3);
  });

  it('stops at the first row that is wholly over the bound', () => {
    const meter: WorkMeter = { cells: 0 };
    expect(boundedEditDistance('a'.repeat(80), 'b'.repeat(80), 2, meter)).toBe(3);
    // Row 3 is the first whose every cell exceeds 2; at most 5 cells a row were filled.
    expect(meter.cells).toBeLessThanOrEqual(3 * 5);
  });
});

describe('nearMatches', () => {
  const slugs = ['senior-backend-payments', 'staff-frontend', 'data-platform-lead'];

  it('suggests what a typo, a prefix or a fragment meant', () => {
    expect(nearMatches('senior-backend-paymnets', slugs)).toEqual(['senior-backend-payments']);
    expect(nearMatches('senior-back', slugs)).toEqual(['senior-backend-payments']);
    expect(nearMatches('frontend', slugs)).toEqual(['staff-frontend']);
    expect(nearMatches('zzzzzzzz', slugs)).toEqual([]);
  });

  it('does no work at all for a word longer than any slug, however long', () => {
    const meter: WorkMeter = { cells: 0 };
    expect(nearMatches('x'.repeat(2_000_000), slugs, 3, meter)).toEqual([]);
    expect(meter.cells).toBe(0);
  });

  it('fills at most its budget of cells on the worst input: longest word, many near-identical candidates', () => {
    // Every candidate is within the allowed distance's band the whole way, so no comparison exits early.
    const word = 'ab'.repeat(MAX_NEAR_WORD_LENGTH / 2);
    const candidates = Array.from(
      { length: 5_000 },
      (_, i) => `ba${'ab'.repeat(MAX_NEAR_WORD_LENGTH / 2 - 2)}${String(i % 100).padStart(2, '0')}`,
    );
    const meter: WorkMeter = { cells: 0 };
    nearMatches(word, candidates, 3, meter);
    expect(meter.cells).toBeGreaterThan(NEAR_WORK_BUDGET / 2);
    expect(meter.cells).toBeLessThanOrEqual(NEAR_WORK_BUDGET + ONE_CANDIDATE_CELLS);
  });

  it('shares one budget between searches given the same meter', () => {
    const meter: WorkMeter = { cells: NEAR_WORK_BUDGET };
    expect(nearMatches('senior-backend-paymnets', slugs, 3, meter)).toEqual([]);
    expect(meter.cells).toBe(NEAR_WORK_BUDGET);
  });
});
