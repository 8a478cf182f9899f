import { phrase, type Phrase } from './phrase';
import { BEHAVIORAL_MODES, isBehavioralMode, MAX_MUST_HAVES, PROMPT_COUNT, QUESTION_COUNT, type BehavioralMode } from './spec';
import { quoted } from './text';

/**
 * The one-line commands for the parts of a spec beyond its weights: must-haves, the interview
 * questions and the behavioral round. Pure, like the rest of the grammar (src/domain/command.ts).
 */
export type EditPart = 'competencies' | 'mustHaves' | 'settings';

const PART_WORDS: Record<string, EditPart> = {
  competencies: 'competencies',
  weights: 'competencies',
  musthaves: 'mustHaves',
  'must-haves': 'mustHaves',
  settings: 'settings',
  questions: 'settings',
  behavioral: 'settings',
};

export function editPartOf(word: string | undefined): EditPart | undefined {
  return word === undefined ? 'competencies' : PART_WORDS[word.toLowerCase()];
}

/** A must-have's place as `/spec show` numbers them: 1 is the first. */
export type MustHaveChange =
  | { op: 'add'; text: string }
  | { op: 'edit'; at: number; text: string }
  | { op: 'remove'; at: number }
  | { op: 'move'; at: number; to: number }
  | { op: 'required' | 'nice'; at: number };

export const MUST_HAVE_VERBS = ['add', 'edit', 'remove', 'move', 'required', 'nice'] as const;

type Parsed<T> = { ok: true; value: T } | { ok: false; error: Phrase };

/**
 * `musthave <verb> <spec> …`. The text of `add` and `edit` is the rest of the line as typed, commas
 * and all, so it is cut from the raw text rather than from the words the grammar splits.
 */
export function parseMustHaveCommand(raw: string, usage: Phrase, prefix: string): Parsed<{ spec: string; change: MustHaveChange }> {
  const words = raw.split(/\s+/).filter(Boolean);
  const [verbWord, spec] = words;
  const verb = verbWord?.toLowerCase();
  const fail = (error: Phrase): Parsed<never> => ({ ok: false, error });
  if (!verb || !(MUST_HAVE_VERBS as readonly string[]).includes(verb) || !spec) {
    return fail(
      phrase`Add, edit, remove, move or mark a must-have: ${usage}, e.g. \`${prefix} musthave add senior-backend-payments 5+ years of Python\``,
    );
  }
  if (verb === 'add') {
    const text = restAfterWords(raw, 2);
    if (text === '') return fail(phrase`What should the must-have say? \`${prefix} musthave add ${spec} <text>\``);
    return { ok: true, value: { spec, change: { op: 'add', text } } };
  }
  const at = position(words[2]);
  if (at === undefined) {
    return fail(
      phrase`Which must-have? Give its number as \`${prefix} show ${spec}\` lists them, e.g. \`${prefix} musthave ${verb} ${spec} 2\``,
    );
  }
  switch (verb) {
    case 'edit': {
      const text = restAfterWords(raw, 3);
      if (text === '') return fail(phrase`What should must-have ${at} say? \`${prefix} musthave edit ${spec} ${at} <text>\``);
      return { ok: true, value: { spec, change: { op: 'edit', at, text } } };
    }
    case 'move': {
      const to = position(words[3]);
      if (to === undefined || words.length !== 4) {
        return fail(phrase`Move must-have ${at} to which place? \`${prefix} musthave move ${spec} ${at} <place>\`, e.g. 1 for the top.`);
      }
      return { ok: true, value: { spec, change: { op: 'move', at, to } } };
    }
    default:
      if (words.length !== 3) return fail(phrase`Give one must-have number: \`${prefix} musthave ${verb} ${spec} <number>\``);
      return { ok: true, value: { spec, change: { op: verb as 'remove' | 'required' | 'nice', at } } };
  }
}

/** `questions <spec> [<1–10>] [auto-publish on|off]`: at least one of the two. */
export function parseQuestionsCommand(
  args: string[],
  usage: Phrase,
): Parsed<{ spec: string; candidateSees?: number; autoPublish?: boolean }> {
  const [spec, ...rest] = args;
  const settings: { candidateSees?: number; autoPublish?: boolean } = {};
  for (let i = 0; i < rest.length; i += 1) {
    const word = rest[i]!.toLowerCase();
    const flag = /^auto-?publish(?:=(on|off))?$/.exec(word);
    if (flag) {
      const value = flag[1] ?? rest[i + 1]?.toLowerCase();
      if (!flag[1]) i += 1;
      if (value !== 'on' && value !== 'off') return { ok: false, error: phrase`Auto-publish is \`on\` or \`off\`. ${usage}` };
      settings.autoPublish = value === 'on';
      continue;
    }
    const count = countIn(word, QUESTION_COUNT);
    if (count === undefined || settings.candidateSees !== undefined) {
      return {
        ok: false,
        error: phrase`"${quoted(rest[i]!)}" is not a number of questions from ${QUESTION_COUNT.min} to ${QUESTION_COUNT.max}. ${usage}`,
      };
    }
    settings.candidateSees = count;
  }
  if (!spec || Object.keys(settings).length === 0) {
    return { ok: false, error: phrase`How many questions should a candidate see, and are they published without review? ${usage}` };
  }
  return { ok: true, value: { spec, ...settings } };
}

/** `behavioral <spec> [<1–10>] [voice|text]`: at least one of the two. */
export function parseBehavioralCommand(args: string[], usage: Phrase): Parsed<{ spec: string; prompts?: number; mode?: BehavioralMode }> {
  const [spec, ...rest] = args;
  const round: { prompts?: number; mode?: BehavioralMode } = {};
  for (const original of rest) {
    const word = original.toLowerCase();
    if (isBehavioralMode(word) && round.mode === undefined) {
      round.mode = word;
      continue;
    }
    const count = countIn(word, PROMPT_COUNT);
    if (count === undefined || round.prompts !== undefined) {
      return {
        ok: false,
        error: phrase`"${quoted(original)}" is neither a number of prompts from ${PROMPT_COUNT.min} to ${PROMPT_COUNT.max} nor ${BEHAVIORAL_MODES.join(' or ')}. ${usage}`,
      };
    }
    round.prompts = count;
  }
  if (!spec || Object.keys(round).length === 0) {
    return { ok: false, error: phrase`How many prompts, and by voice or in text? ${usage}` };
  }
  return { ok: true, value: { spec, ...round } };
}

function countIn(word: string, range: { min: number; max: number }): number | undefined {
  if (!/^\d{1,2}$/.test(word)) return undefined;
  const count = Number(word);
  return count >= range.min && count <= range.max ? count : undefined;
}

/** A must-have number: 1 up to the most a spec holds (whether this spec has that many is the service's to say). */
function position(word: string | undefined): number | undefined {
  if (word === undefined || !/^\d{1,3}$/.test(word)) return undefined;
  const at = Number(word);
  return at >= 1 && at <= MAX_MUST_HAVES ? at : undefined;
}

/** The raw text after the first `count` whitespace-separated words, spaces inside it kept. */
function restAfterWords(raw: string, count: number): string {
  let rest = raw.trimStart();
  for (let i = 0; i < count; i += 1) {
    const match = /^\S+\s*/.exec(rest);
    if (!match) return '';
    rest = rest.slice(match[0].length);
  }
  return rest.trim();
}
