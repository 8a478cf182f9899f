/** Edit distance (Levenshtein), for "did you mean" suggestions on mistyped words. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Candidates close to `word` (a typo, a prefix or a fragment), nearest first. */
export function nearMatches(word: string, candidates: readonly string[], limit = 3): string[] {
  const needle = word.toLowerCase();
  return candidates
    .map((candidate) => {
      const lower = candidate.toLowerCase();
      const contains = lower.includes(needle) || needle.includes(lower);
      const distance = editDistance(needle, lower.slice(0, Math.max(needle.length, 1) + 2));
      return { candidate, score: contains ? 0 : Math.min(distance, editDistance(needle, lower)) };
    })
    .filter(({ score }) => score <= Math.max(2, Math.floor(needle.length / 3)))
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}
