import { checkScoresAgainst, formatThousandths, overallThousandths, parseScore } from '../../src/domain/scoring';

const competencies = [
  { id: 'financial_systems_design', weight: 30 },
  { id: 'distributed_systems_reliability', weight: 25 },
  { id: 'postgres_schema_design', weight: 20 },
  { id: 'production_ownership', weight: 15 },
  { id: 'fastapi_kafka_systems', weight: 10 },
].map((c) => ({ ...c, name: c.id, definition: '' }));

describe('overall score', () => {
  it('is the contract example: 82, 74, 90, 65, 70 → 77.85, shown as 77.9', () => {
    const scores = [820, 740, 900, 650, 700].map((score, i) => ({ competencyId: competencies[i]!.id, score }));
    expect(overallThousandths(competencies, scores)).toBe(77_850);
    expect(formatThousandths(77_850)).toBe('77.9');
  });

  it('rounds half up at one decimal, exactly', () => {
    expect(formatThousandths(77_849)).toBe('77.8');
    expect(formatThousandths(77_850)).toBe('77.9');
    expect(formatThousandths(100_000)).toBe('100.0');
    expect(formatThousandths(0)).toBe('0.0');
    expect(formatThousandths(50)).toBe('0.1');
  });

  it('does not drift where binary floats would (0.1 × 3 style sums)', () => {
    const thirds = [
      { id: 'a', weight: 10, name: 'a', definition: '' },
      { id: 'b', weight: 20, name: 'b', definition: '' },
      { id: 'c', weight: 70, name: 'c', definition: '' },
    ];
    const scores = [
      { competencyId: 'a', score: 1 },
      { competencyId: 'b', score: 2 },
      { competencyId: 'c', score: 3 },
    ];
    // 0.10×0.1 + 0.20×0.2 + 0.70×0.3 = 0.26 exactly; floats give 0.26000000000000006
    expect(overallThousandths(thirds, scores)).toBe(260);
  });
});

describe('parseScore', () => {
  it('accepts 0–100 with at most one decimal', () => {
    expect([0, 82, 82.5, 100, 0.1].map(parseScore)).toEqual([0, 820, 825, 1000, 1]);
  });
  it('refuses more decimals and values outside 0–100', () => {
    expect([82.55, -1, 100.1, Number.NaN].map(parseScore)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('checkScoresAgainst', () => {
  it('names unknown, duplicate and missing competencies', () => {
    const scores = [
      { competencyId: 'financial_systems_design', score: 1 },
      { competencyId: 'financial_systems_design', score: 2 },
      { competencyId: 'kotlin', score: 3 },
    ];
    expect(checkScoresAgainst(competencies, scores)).toEqual([
      'two scores for "financial_systems_design"',
      'score for unknown competency "kotlin"',
      'missing score for "distributed_systems_reliability"',
      'missing score for "postgres_schema_design"',
      'missing score for "production_ownership"',
      'missing score for "fastapi_kafka_systems"',
    ]);
  });
});
