import type { Competency } from './spec';
import { formatWeight } from './weights';

/**
 * Exact scoring. Scores are tenths (82.5 → 825), weights hundredths (0.30 → 30), so a weighted
 * score is an integer in thousandths of a point: Σ weight × score never touches a binary float.
 */
export interface CompetencyScore {
  competencyId: string;
  /** tenths of a point, 0–1000 */
  score: number;
}

/** Σ weightᵢ × scoreᵢ in thousandths of a point (77.85 → 77850). */
export function overallThousandths(competencies: readonly Competency[], scores: readonly CompetencyScore[]): number {
  const byId = new Map(scores.map((s) => [s.competencyId, s.score]));
  return competencies.reduce((total, c) => total + c.weight * (byId.get(c.id) ?? 0), 0);
}

/** Half up to one decimal: 77850 → "77.9", 77849 → "77.8". */
export function formatThousandths(thousandths: number): string {
  const tenths = Math.floor((thousandths + 50) / 100);
  return formatTenths(tenths);
}

export function formatTenths(tenths: number): string {
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

/** "82", "82.5" → tenths; anything with more than one decimal or outside 0–100 → undefined. */
export function parseScore(value: number): number | undefined {
  if (!Number.isFinite(value) || value < 0 || value > 100) return undefined;
  const tenths = Math.round(value * 10);
  // 82.55 * 10 = 825.5 rounds to 826 — refuse it: the contract allows at most one decimal.
  if (Math.abs(tenths - value * 10) > 1e-6) return undefined;
  return tenths;
}

/**
 * Scores must cover exactly the pinned version's competencies (contract: 422 otherwise). Returns
 * the sentences that say what is wrong, empty when the scores fit.
 */
export function checkScoresAgainst(competencies: readonly Competency[], scores: readonly CompetencyScore[]): string[] {
  const problems: string[] = [];
  const expected = new Set(competencies.map((c) => c.id));
  const seen = new Set<string>();
  for (const score of scores) {
    if (!expected.has(score.competencyId)) problems.push(`score for unknown competency "${score.competencyId}"`);
    else if (seen.has(score.competencyId)) problems.push(`two scores for "${score.competencyId}"`);
    seen.add(score.competencyId);
  }
  for (const id of expected) if (!seen.has(id)) problems.push(`missing score for "${id}"`);
  return problems;
}

export function weightLabel(competency: Competency): string {
  return formatWeight(competency.weight);
}
