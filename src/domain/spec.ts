import { createHash } from 'node:crypto';
import type { FieldIssue } from './errors';
import { describeImbalance, sumWeights, WEIGHT_TOTAL } from './weights';
import { findUnstorableText, unstorableCharacter, unstorableMessage } from './text';

/** Enough for any real spec; the Slack modal holds one fewer (see slack/edit-modal MAX_MODAL_COMPETENCIES). */
export const MAX_COMPETENCIES = 20;
export const MAX_NAME_LENGTH = 100;
export const MAX_DEFINITION_LENGTH = 2000;
export const COMPETENCY_ID_PATTERN = /^[a-z][a-z0-9_]{1,63}$/;
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,79}$/;
/** The platform's spec page holds a handful; twenty is more than any real spec and fits one Slack modal. */
export const MAX_MUST_HAVES = 20;
export const MAX_MUST_HAVE_LENGTH = 500;
/** The platform's page: a candidate sees 1 to 10 questions, and a behavioral round has 1 to 10 prompts. */
export const QUESTION_COUNT = { min: 1, max: 10 } as const;
export const PROMPT_COUNT = { min: 1, max: 10 } as const;
export const BEHAVIORAL_MODES = ['voice', 'text'] as const;
export type BehavioralMode = (typeof BEHAVIORAL_MODES)[number];

export interface Competency {
  id: string;
  name: string;
  definition: string;
  /** hundredths: 30 means 0.30 */
  weight: number;
}

export interface MustHave {
  text: string;
  required: boolean;
}

export interface InterviewQuestionSettings {
  source: string;
  autoPublish: boolean;
  candidateSees: number;
}

export interface BehavioralRound {
  round: number;
  mode: string;
  prompts: number;
  interviewer: string;
}

/** Everything a version says about a spec; what a version copies and what an edit changes. */
export interface SpecContent {
  title: string;
  level: string | null;
  competencies: Competency[];
  mustHaves: MustHave[];
  interviewQuestions: InterviewQuestionSettings;
  behavioralRound: BehavioralRound;
}

/** Checks every rule a version must satisfy; an empty list means it may be saved. */
export function validateSpecContent(content: SpecContent): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (content.title.trim() === '') issues.push({ path: ['title'], message: 'The title is empty.' });
  issues.push(...validateCompetencies(content.competencies));
  issues.push(...validateMustHaves(content.mustHaves));
  issues.push(...validateInterviewQuestions(content.interviewQuestions));
  issues.push(...validateBehavioralRound(content.behavioralRound));
  // Competencies are checked field by field above; the rest of the document here.
  const unstorable = findUnstorableText({ ...content, competencies: [] });
  if (unstorable) issues.push({ path: unstorable.path, message: unstorableMessage(unstorable.problem) });
  return issues;
}

export function validateCompetencies(competencies: readonly Competency[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (competencies.length === 0) {
    issues.push({ path: ['competencies'], message: 'A spec needs at least one competency.' });
  }
  if (competencies.length > MAX_COMPETENCIES) {
    issues.push({
      path: ['competencies'],
      message: `${competencies.length} competencies is more than the ${MAX_COMPETENCIES} a spec can hold; merge or remove some.`,
    });
  }
  const seen = new Map<string, number>();
  competencies.forEach((competency, index) => {
    const at = (field: string) => ['competencies', index, field];
    if (!COMPETENCY_ID_PATTERN.test(competency.id)) {
      issues.push({
        path: at('id'),
        message: `"${competency.id}" is not a valid id: use 2–64 lowercase letters, digits and _, starting with a letter (e.g. postgres_schema_design).`,
      });
    } else if (seen.has(competency.id)) {
      issues.push({ path: at('id'), message: `The id "${competency.id}" is used twice; ids must be unique.` });
    }
    seen.set(competency.id, index);
    for (const field of ['id', 'name', 'definition'] as const) {
      const problem = unstorableCharacter(competency[field]);
      if (problem) issues.push({ path: at(field), message: unstorableMessage(problem) });
    }
    if (competency.name.trim() === '') issues.push({ path: at('name'), message: 'The name is empty.' });
    if (competency.name.length > MAX_NAME_LENGTH) {
      issues.push({ path: at('name'), message: `The name is longer than ${MAX_NAME_LENGTH} characters.` });
    }
    if (competency.definition.trim() === '') issues.push({ path: at('definition'), message: 'The definition is empty.' });
    if (competency.definition.length > MAX_DEFINITION_LENGTH) {
      issues.push({ path: at('definition'), message: `The definition is longer than ${MAX_DEFINITION_LENGTH} characters.` });
    }
    if (!Number.isInteger(competency.weight) || competency.weight < 0 || competency.weight > WEIGHT_TOTAL) {
      issues.push({ path: at('weight'), message: 'A weight is between 0 and 1 with at most two decimals.' });
    }
  });
  const imbalance = describeImbalance(sumWeights(competencies.map((c) => c.weight)));
  if (imbalance && competencies.length > 0) issues.push({ path: ['competencies', 'weights'], message: imbalance });
  return issues;
}

export function validateMustHaves(mustHaves: readonly MustHave[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (mustHaves.length > MAX_MUST_HAVES) {
    issues.push({
      path: ['mustHaves'],
      message: `${mustHaves.length} must-haves is more than the ${MAX_MUST_HAVES} a spec can hold; merge or remove some.`,
    });
  }
  const seen = new Set<string>();
  mustHaves.forEach((mustHave, index) => {
    const at = ['mustHaves', index, 'text'];
    const text = mustHave.text.trim();
    if (text === '') issues.push({ path: at, message: 'This must-have is empty; write it or remove it.' });
    else if (mustHave.text.length > MAX_MUST_HAVE_LENGTH) {
      issues.push({ path: at, message: `This must-have is longer than ${MAX_MUST_HAVE_LENGTH} characters; shorten it.` });
    } else if (seen.has(text.toLowerCase())) issues.push({ path: at, message: 'This must-have is listed twice; remove one.' });
    seen.add(text.toLowerCase());
    if (typeof mustHave.required !== 'boolean') {
      issues.push({ path: ['mustHaves', index, 'required'], message: 'Say whether it is required or nice to have.' });
    }
  });
  return issues;
}

export function validateInterviewQuestions(settings: InterviewQuestionSettings): FieldIssue[] {
  const { min, max } = QUESTION_COUNT;
  if (Number.isInteger(settings.candidateSees) && settings.candidateSees >= min && settings.candidateSees <= max) return [];
  return [
    {
      path: ['interviewQuestions', 'candidateSees'],
      message: `A candidate sees ${min} to ${max} interview questions; ${settings.candidateSees} is outside that.`,
    },
  ];
}

export function validateBehavioralRound(round: BehavioralRound): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { min, max } = PROMPT_COUNT;
  if (!Number.isInteger(round.prompts) || round.prompts < min || round.prompts > max) {
    issues.push({
      path: ['behavioralRound', 'prompts'],
      message: `A behavioral round has ${min} to ${max} prompts; ${round.prompts} is outside that.`,
    });
  }
  if (!isBehavioralMode(round.mode)) {
    issues.push({ path: ['behavioralRound', 'mode'], message: 'A behavioral round is held by voice or in text; choose voice or text.' });
  }
  return issues;
}

export function isBehavioralMode(mode: string): mode is BehavioralMode {
  return (BEHAVIORAL_MODES as readonly string[]).includes(mode);
}

/** Stable serialisation, so the same content always hashes the same (import idempotency). */
export function contentHash(content: SpecContent): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(content)))
    .digest('hex');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
