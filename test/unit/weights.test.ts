import { describeImbalance, formatWeight, parseWeight } from '../../src/domain/weights';

describe('parseWeight', () => {
  it.each([
    ['0.3', 30],
    ['0.30', 30],
    ['.3', 30],
    ['30%', 30],
    ['0.05', 5],
    ['5%', 5],
    ['1', 100],
    ['1.00', 100],
    ['0', 0],
    ['0.350', 35],
  ])('reads %s as %i hundredths', (raw, hundredths) => {
    expect(parseWeight(raw)).toEqual({ ok: true, hundredths });
  });

  it.each([
    ['0.333', 'more than two decimals'],
    ['1.5', 'above 1'],
    ['150%', 'more than 100%'],
    ['7.5%', 'fraction of a percent'],
    ['abc', 'not a weight'],
    ['-0.1', 'not a weight'],
    ['', 'not a weight'],
    ['.', 'not a weight'],
  ])('refuses %s, saying it is %s', (raw, phrase) => {
    const parsed = parseWeight(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(phrase);
  });
});

describe('formatWeight and describeImbalance', () => {
  it('formats hundredths with two decimals', () => {
    expect([0, 5, 30, 100].map(formatWeight)).toEqual(['0.00', '0.05', '0.30', '1.00']);
  });

  it('says the sum and what to add or remove', () => {
    expect(describeImbalance(100)).toBeUndefined();
    expect(describeImbalance(95)).toBe('Weights add up to 0.95; they must total 1.00 (add 0.05).');
    expect(describeImbalance(110)).toBe('Weights add up to 1.10; they must total 1.00 (remove 0.10).');
  });

  it('reads a weight with thousands of trailing zeros, and quotes a long bad one shortened', () => {
    expect(parseWeight(`0.3${'0'.repeat(3_990)}`)).toEqual({ ok: true, hundredths: 30 });
    const long = parseWeight(`0.${'0'.repeat(3_990)}1`);
    expect(long.ok).toBe(false);
    expect(!long.ok && long.message.length).toBeLessThan(200);
  });
});
