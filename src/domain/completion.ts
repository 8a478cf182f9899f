/**
 * Completion as the interview platform's spec page counts it ("Interviews 1 · 0 completed ·
 * Completion 0% · 0 of 1"): interviews completed ÷ interviews started. An abandoned interview, and
 * one still under way, counts as started and not completed. The spec page, the weekly digest and the
 * CLI's preview all take their figures from here, so they cannot drift from the page, or from each
 * other, again.
 */

export interface CompletionCounts {
  started: number;
  completed: number;
}

export interface Completion extends CompletionCounts {
  /** whole percent, half up, at most 100; null when nothing started (never NaN) */
  percent: number | null;
  /**
   * Completions beyond the starts. All time this is 0 (a completed interview always has a start);
   * in a week it means at least this many of the week's completions started before it.
   */
  startedBefore: number;
}

export function completionOf({ started, completed }: CompletionCounts): Completion {
  const startedBefore = Math.max(0, completed - started);
  if (started <= 0) return { started, completed, percent: null, startedBefore };
  // A week's completions can outnumber its starts (see docs/decisions.md): the rate stops at 100%.
  const shown = Math.min(completed, started);
  // Half up in integers, as the digest's averages are: 1 of 8 is 12.5% → 13%, with no float noise.
  return { started, completed, percent: Math.floor((shown * 200 + started) / (2 * started)), startedBefore };
}

/** "3 of 5 (60%)", "0 of 0 (—)": the spec page's all-time figure, as the platform's page shows it. */
export function completionFigure(counts: CompletionCounts): string {
  const { started, completed, percent } = completionOf(counts);
  return `${completed} of ${started} (${percent === null ? '—' : `${percent}%`})`;
}

/**
 * The digest's sentence for one week against the week before, e.g. "completion 60% (▲10 pts): 3
 * completed ÷ 5 started this week". Both counts come from the week's rollup buckets: an interview
 * counts as started in the week its start fell in and as completed in the week its completion did, so
 * the completed are not always among the started, hence "÷" rather than "of".
 */
export function weeklyCompletion(week: CompletionCounts, weekBefore: CompletionCounts): string {
  const now = completionOf(week);
  const before = completionOf(weekBefore);
  const rate = now.percent === null ? '—' : `${now.percent}%`;
  const change = now.percent === null || before.percent === null ? '' : ` (${pointsChange(now.percent - before.percent)})`;
  const counts = `${now.completed} completed ÷ ${now.started} started this week`;
  const capped =
    now.percent !== null && now.startedBefore > 0
      ? `, capped at 100%: at least ${now.startedBefore} of the completed had started before this week`
      : '';
  return `completion ${rate}${change}: ${counts}${capped}`;
}

function pointsChange(points: number): string {
  return points > 0 ? `▲${points} pts` : points < 0 ? `▼${-points} pts` : '±0 pts';
}
