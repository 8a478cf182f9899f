import type { BehavioralRound, InterviewQuestionSettings, MustHave, SpecContent } from './spec';
import { quoted } from './text';
import { formatWeight } from './weights';

/** What changed from one version to the next, in short phrases a hiring team reads in history. */
export function describeChanges(before: SpecContent | undefined, after: SpecContent): string[] {
  if (!before) return ['created'];
  const changes: string[] = [];
  if (before.title !== after.title) changes.push(`title "${quoted(before.title)}" → "${quoted(after.title)}"`);
  if (before.level !== after.level) changes.push(`level ${before.level ?? '—'} → ${after.level ?? '—'}`);
  changes.push(...competencyChanges(before, after));
  changes.push(...mustHaveChanges(before.mustHaves, after.mustHaves));
  changes.push(...questionChanges(before.interviewQuestions, after.interviewQuestions));
  changes.push(...roundChanges(before.behavioralRound, after.behavioralRound));
  return changes.length > 0 ? changes : ['no content change'];
}

function competencyChanges(before: SpecContent, after: SpecContent): string[] {
  const changes: string[] = [];
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
    if (old.name !== competency.name) changes.push(`renamed ${competency.id} to "${quoted(competency.name, 100)}"`);
    if (old.definition !== competency.definition) changes.push(`reworded ${competency.id}`);
  }
  for (const competency of before.competencies) {
    if (!next.has(competency.id)) changes.push(`removed ${competency.id}`);
  }
  const order = (content: SpecContent) => content.competencies.map((c) => c.id).join(',');
  if (changes.length === 0 && order(before) !== order(after)) changes.push('reordered competencies');
  return changes;
}

const kind = (mustHave: MustHave) => (mustHave.required ? 'required' : 'nice to have');

/**
 * Must-haves have no ids: the same text is the same must-have. A text that is gone, where a new
 * text now stands at the same place, reads as a rewording rather than a removal and an addition.
 */
function mustHaveChanges(before: readonly MustHave[], after: readonly MustHave[]): string[] {
  const changes: string[] = [];
  const afterTexts = new Set(after.map((m) => m.text));
  const beforeTexts = new Map(before.map((m) => [m.text, m]));
  const gone = before.map((m, index) => ({ m, index })).filter(({ m }) => !afterTexts.has(m.text));
  const added = after.map((m, index) => ({ m, index })).filter(({ m }) => !beforeTexts.has(m.text));
  const reworded = new Set<number>();
  for (const { m, index } of added) {
    const old = gone.find((g) => g.index === index);
    if (!old) continue;
    reworded.add(index);
    gone.splice(gone.indexOf(old), 1);
    changes.push(`reworded must-have ${index + 1}: "${quoted(old.m.text)}" → "${quoted(m.text)}"`);
    if (old.m.required !== m.required) changes.push(`must-have ${index + 1} now ${kind(m)}`);
  }
  for (const { m, index } of added) {
    if (!reworded.has(index)) changes.push(`added must-have "${quoted(m.text)}" (${kind(m)})`);
  }
  for (const { m } of gone) changes.push(`removed must-have "${quoted(m.text)}"`);
  for (const m of after) {
    const old = beforeTexts.get(m.text);
    if (old && old.required !== m.required) changes.push(`must-have "${quoted(m.text)}" now ${kind(m)}`);
  }
  const kept = (list: readonly MustHave[], other: Set<string>) => list.filter((m) => other.has(m.text)).map((m) => m.text);
  const keptBefore = kept(before, afterTexts);
  const keptAfter = kept(after, new Set(beforeTexts.keys()));
  if (keptBefore.join('\u0000') !== keptAfter.join('\u0000')) changes.push('reordered must-haves');
  return changes;
}

function questionChanges(before: InterviewQuestionSettings, after: InterviewQuestionSettings): string[] {
  const changes: string[] = [];
  if (before.candidateSees !== after.candidateSees) {
    changes.push(`candidate sees ${before.candidateSees} → ${after.candidateSees} interview questions`);
  }
  if (before.autoPublish !== after.autoPublish) changes.push(`auto-publish of interview questions ${onOff(after.autoPublish)}`);
  if (before.source !== after.source) changes.push(`interview questions from ${quoted(before.source)} → ${quoted(after.source)}`);
  return changes;
}

function roundChanges(before: BehavioralRound, after: BehavioralRound): string[] {
  const changes: string[] = [];
  if (before.prompts !== after.prompts) changes.push(`behavioral prompts ${before.prompts} → ${after.prompts}`);
  if (before.mode !== after.mode) changes.push(`behavioral round by ${quoted(before.mode)} → ${quoted(after.mode)}`);
  if (before.round !== after.round) changes.push(`behavioral round ${before.round} → ${after.round}`);
  if (before.interviewer !== after.interviewer) {
    changes.push(`behavioral interviewer ${quoted(before.interviewer)} → ${quoted(after.interviewer)}`);
  }
  return changes;
}

const onOff = (on: boolean) => (on ? 'turned on' : 'turned off');
