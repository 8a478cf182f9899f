import type { SpecContent } from './spec';
import { formatWeight } from './weights';

/** What changed from one version to the next, in short phrases a hiring team reads in history. */
export function describeChanges(before: SpecContent | undefined, after: SpecContent): string[] {
  if (!before) return ['created'];
  const changes: string[] = [];
  if (before.title !== after.title) changes.push(`title "${before.title}" → "${after.title}"`);
  if (before.level !== after.level) changes.push(`level ${before.level ?? '—'} → ${after.level ?? '—'}`);

  const previous = new Map(before.competencies.map((c) => [c.id, c]));
  const next = new Map(after.competencies.map((c) => [c.id, c]));
  for (const competency of after.competencies) {
    const old = previous.get(competency.id);
    if (!old) {
      changes.push(`added ${competency.id} (${formatWeight(competency.weight)})`);
      continue;
    }
    if (old.weight !== competency.weight) {
      changes.push(`${competency.id} ${formatWeight(old.weight)} → ${formatWeight(competency.weight)}`);
    }
    if (old.name !== competency.name) changes.push(`renamed ${competency.id} to "${competency.name}"`);
    if (old.definition !== competency.definition) changes.push(`reworded ${competency.id}`);
  }
  for (const competency of before.competencies) {
    if (!next.has(competency.id)) changes.push(`removed ${competency.id}`);
  }
  const order = (content: SpecContent) => content.competencies.map((c) => c.id).join(',');
  if (changes.length === 0 && order(before) !== order(after)) changes.push('reordered competencies');

  if (JSON.stringify(before.mustHaves) !== JSON.stringify(after.mustHaves)) changes.push('must-haves changed');
  if (JSON.stringify(before.interviewQuestions) !== JSON.stringify(after.interviewQuestions)) {
    changes.push('interview-question settings changed');
  }
  if (JSON.stringify(before.behavioralRound) !== JSON.stringify(after.behavioralRound)) {
    changes.push('behavioral round changed');
  }
  return changes.length > 0 ? changes : ['no content change'];
}
