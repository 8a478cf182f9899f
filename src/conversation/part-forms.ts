import type { FieldIssue } from '../domain/errors';
import {
  BEHAVIORAL_MODES,
  isBehavioralMode,
  MAX_MUST_HAVES,
  PROMPT_COUNT,
  QUESTION_COUNT,
  validateMustHaves,
  type BehavioralMode,
  type MustHave,
} from '../domain/spec';
import { unstorableCharacter, unstorableMessage } from '../domain/text';

/**
 * The edit forms for must-haves and for the interview settings, as both platforms submit them:
 * the same rules, each problem pinned to its field. Slack's modal and Teams' card read their
 * inputs into these drafts and show the answer under their own inputs.
 */
export interface MustHaveRow {
  /** stable row key (the text is what the user edits) */
  key: string;
  text: string;
  required: boolean;
}

export interface MustHavesDraft {
  rows: MustHaveRow[];
  note: string;
}

export type MustHaveTarget = { kind: 'row'; key: string; field: 'text' } | { kind: 'note' } | { kind: 'form' };

export type CheckedMustHaves =
  | { ok: true; mustHaves: MustHave[]; note: string }
  | { ok: false; problems: { target: MustHaveTarget; message: string }[] };

export function checkMustHavesDraft(draft: MustHavesDraft): CheckedMustHaves {
  const problems: { target: MustHaveTarget; message: string }[] = [];
  const note = draft.note.trim();
  const noteProblem = unstorableCharacter(note);
  if (noteProblem) problems.push({ target: { kind: 'note' }, message: unstorableMessage(noteProblem) });
  // Surrounding spaces are never meant; a line break inside one would break every list it is shown in.
  const mustHaves = draft.rows.map((row) => ({ text: row.text.replace(/\s+/g, ' ').trim(), required: row.required }));
  for (const row of draft.rows) {
    const problem = unstorableCharacter(row.text);
    if (problem) problems.push({ target: { kind: 'row', key: row.key, field: 'text' }, message: unstorableMessage(problem) });
  }
  for (const issue of validateMustHaves(mustHaves)) problems.push({ target: rowTarget(issue, draft.rows), message: issue.message });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, mustHaves, note };
}

function rowTarget(issue: FieldIssue, rows: readonly MustHaveRow[]): MustHaveTarget {
  const [, index] = issue.path;
  const row = typeof index === 'number' ? rows[index] : rows[rows.length - 1];
  return row ? { kind: 'row', key: row.key, field: 'text' } : { kind: 'form' };
}

export interface SettingsDraft {
  /** as typed or chosen: "3" */
  candidateSees: string;
  autoPublish: boolean;
  prompts: string;
  mode: string;
  note: string;
}

export type SettingsField = 'candidateSees' | 'prompts' | 'mode';
export type SettingsTarget = { kind: 'field'; field: SettingsField } | { kind: 'note' };

export type CheckedSettings =
  | { ok: true; candidateSees: number; autoPublish: boolean; prompts: number; mode: BehavioralMode; note: string }
  | { ok: false; problems: { target: SettingsTarget; message: string }[] };

export function checkSettingsDraft(draft: SettingsDraft): CheckedSettings {
  const problems: { target: SettingsTarget; message: string }[] = [];
  const candidateSees = countOf(draft.candidateSees, QUESTION_COUNT);
  if (candidateSees === undefined) {
    problems.push({
      target: { kind: 'field', field: 'candidateSees' },
      message: `Choose how many questions a candidate sees: ${QUESTION_COUNT.min} to ${QUESTION_COUNT.max}.`,
    });
  }
  const prompts = countOf(draft.prompts, PROMPT_COUNT);
  if (prompts === undefined) {
    problems.push({
      target: { kind: 'field', field: 'prompts' },
      message: `Choose how many behavioral prompts: ${PROMPT_COUNT.min} to ${PROMPT_COUNT.max}.`,
    });
  }
  const mode = draft.mode.trim().toLowerCase();
  if (!isBehavioralMode(mode)) {
    problems.push({ target: { kind: 'field', field: 'mode' }, message: `Choose ${BEHAVIORAL_MODES.join(' or ')}.` });
  }
  const note = draft.note.trim();
  const noteProblem = unstorableCharacter(note);
  if (noteProblem) problems.push({ target: { kind: 'note' }, message: unstorableMessage(noteProblem) });
  if (problems.length > 0 || candidateSees === undefined || prompts === undefined || !isBehavioralMode(mode)) {
    return { ok: false, problems };
  }
  return { ok: true, candidateSees, autoPublish: draft.autoPublish, prompts, mode, note };
}

function countOf(text: string, range: { min: number; max: number }): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,2}$/.test(trimmed)) return undefined;
  const count = Number(trimmed);
  return count >= range.min && count <= range.max ? count : undefined;
}

/** Keyed rows, as both forms move them: one place up or down; the ends stay put. */
export function moveRow<T extends { key: string }>(rows: readonly T[], key: string, delta: -1 | 1): T[] {
  const from = rows.findIndex((row) => row.key === key);
  const to = from + delta;
  if (from === -1 || to < 0 || to >= rows.length) return [...rows];
  const next = [...rows];
  [next[from], next[to]] = [next[to]!, next[from]!];
  return next;
}

/** The most must-have rows a form offers: the spec's own cap. */
export const MAX_MUST_HAVE_ROWS = MAX_MUST_HAVES;
