/**
 * "Did you mean" suggestions for mistyped words (specs, subcommands, competencies). Every input
 * reaching this is from a signed but untrusted request, so the work is bounded whatever it holds:
 *
 * - a word longer than MAX_NEAR_WORD_LENGTH gets no suggestion (no slug is longer: SLUG_PATTERN
 *   allows 80 characters; a typo of one is short), and longer candidates are skipped;
 * - at most MAX_NEAR_CANDIDATES candidates are looked at;
 * - the edit distance only fills the band of the table within the allowed distance, and stops as
 *   soon as a whole row is over it;
 * - a meter fills at most NEAR_WORK_BUDGET cells of distance tables; past that a search answers
 *   with what it has found. Each search has its own meter unless the caller passes one, which is
 *   how several searches for one request share one budget.
 *
 * A 2 MB reference against 400 slugs used to fill 400 × 2 M × 80 cells (seconds of blocked event
 * loop, then out of heap); now it costs nothing, and the worst search fills a quarter of a million
 * cells (a few milliseconds).
 */
export const MAX_NEAR_WORD_LENGTH = 80;
export const MAX_NEAR_CANDIDATES = 5_000;
export const NEAR_WORK_BUDGET = 250_000;

/** Counts the distance-table cells filled, so tests (and callers) can see the work done. */
export interface WorkMeter {
  cells: number;
}

/**
 * Levenshtein distance between `a` and `b` when it is at most `max`, else `max + 1`. Only cells
 * with |i − j| ≤ max can hold a value ≤ max, so each row fills at most 2·max + 1 of them.
 */
export function boundedEditDistance(a: string, b: string, max: number, meter: WorkMeter = { cells: 0 }): number {
  const over = max + 1;
  if (Math.abs(a.length - b.length) > max) return over;
  // Two rows, reused; typed arrays and char codes keep a cell to a few nanoseconds.
  let previous = new Int32Array(b.length + 1);
  let current = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j += 1) previous[j] = j <= max ? j : over;
  for (let i = 1; i <= a.length; i += 1) {
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    current[0] = i <= max ? i : over;
    // The cell left of the band reads as "over": nothing outside the band can be within the bound.
    if (from > 1) current[from - 1] = over;
    let rowMinimum = from === 1 ? current[0]! : over;
    const code = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j += 1) {
      let value = previous[j - 1]! + (code === b.charCodeAt(j - 1) ? 0 : 1);
      const up = previous[j]! + 1;
      const left = current[j - 1]! + 1;
      if (up < value) value = up;
      if (left < value) value = left;
      if (value > over) value = over;
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    // The cell right of the band is read by the next row as "up"; it is out of reach as well.
    if (to < b.length) current[to + 1] = over;
    meter.cells += Math.max(0, to - from + 1);
    if (rowMinimum > max) return over;
    [previous, current] = [current, previous];
  }
  return Math.min(previous[b.length]!, over);
}

/** Candidates close to `word` (a typo, a prefix or a fragment), nearest first. */
export function nearMatches(word: string, candidates: readonly string[], limit = 3, meter: WorkMeter = { cells: 0 }): string[] {
  const needle = word.toLowerCase();
  if (needle.length === 0 || needle.length > MAX_NEAR_WORD_LENGTH) return [];
  const allowed = Math.max(2, Math.floor(needle.length / 3));
  const found: { candidate: string; score: number }[] = [];
  for (const candidate of candidates.slice(0, MAX_NEAR_CANDIDATES)) {
    if (meter.cells >= NEAR_WORK_BUDGET) break;
    if (candidate.length === 0 || candidate.length > MAX_NEAR_WORD_LENGTH) continue;
    const lower = candidate.toLowerCase();
    const score =
      lower.includes(needle) || needle.includes(lower)
        ? 0
        : Math.min(
            // As a prefix ("senior-back" for "senior-backend-payments"), then as a whole word.
            lower.length > needle.length + 2 ? boundedEditDistance(needle, lower.slice(0, needle.length + 2), allowed, meter) : allowed + 1,
            boundedEditDistance(needle, lower, allowed, meter),
          );
    if (score <= allowed) found.push({ candidate, score });
  }
  return found
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}
