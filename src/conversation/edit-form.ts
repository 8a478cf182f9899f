import type { FieldIssue } from '../domain/errors';
import { validateCompetencies, type Competency } from '../domain/spec';
import { unstorableCharacter, unstorableMessage } from '../domain/text';
import { parseWeight } from '../domain/weights';

/**
 * The spec edit form, as both platforms submit it: the same rules, each problem pinned to the
 * field it concerns. Slack's modal and Teams' card only read their inputs into an `EditFormDraft`
 * and show the answer under their own inputs.
 */
export const EDIT_FORM_FIELDS = ['name', 'id', 'weight', 'definition'] as const;
export type EditFormField = (typeof EDIT_FORM_FIELDS)[number];

export interface EditFormRow {
  /** stable row key, not the competency id (the user may be editing that) */
  key: string;
  id: string;
  name: string;
  /** as typed ("0.30", ".3", "30%"); parsed here */
  weight: string;
  definition: string;
}

export interface EditFormDraft {
  title: string;
  rows: EditFormRow[];
  note: string;
}

/** Where a problem is shown: a field of a row, the title, the note, or the form as a whole. */
export type FormTarget = { kind: 'title' } | { kind: 'note' } | { kind: 'form' } | { kind: 'row'; key: string; field: EditFormField };

export type CheckedEdit =
  | { ok: true; title: string; competencies: Competency[]; note: string }
  | { ok: false; problems: { target: FormTarget; message: string }[] };

/**
 * Checks a submitted draft. `maxRows`: a platform's own, lower cap on rows (Slack's 100 blocks),
 * explained by `tooManyRows` on the last row; the domain's own count rule is then not repeated.
 */
export function checkEditDraft(
  draft: EditFormDraft,
  options: { maxRows?: number; tooManyRows?: (count: number) => string } = {},
): CheckedEdit {
  const problems: { target: FormTarget; message: string }[] = [];
  const add = (target: FormTarget, message: string) => problems.push({ target, message });
  const title = draft.title.trim();
  if (title === '') add({ kind: 'title' }, 'The title is empty.');
  const note = draft.note.trim();
  for (const [kind, text] of [
    ['title', title],
    ['note', note],
  ] as const) {
    const problem = unstorableCharacter(text);
    if (problem) add({ kind }, unstorableMessage(problem));
  }
  const unreadable = new Set<number>();
  const competencies = draft.rows.map((row, index) => {
    const weight = parseWeight(row.weight);
    if (!weight.ok) {
      unreadable.add(index);
      add({ kind: 'row', key: row.key, field: 'weight' }, asSentence(weight.message));
    }
    // Surrounding spaces are never meant (and would make "postgres_schema " an invalid id), so they go.
    return { id: row.id.trim(), name: row.name.trim(), definition: row.definition.trim(), weight: weight.ok ? weight.hundredths : 0 };
  });
  const keys = draft.rows.map((row) => row.key);
  const last = keys[keys.length - 1];
  const overCap = options.maxRows !== undefined && keys.length > options.maxRows;
  if (overCap && last !== undefined && options.tooManyRows)
    add({ kind: 'row', key: last, field: 'name' }, options.tooManyRows(keys.length));
  for (const issue of validateCompetencies(competencies)) {
    const target = targetOf(issue, keys, { overCap, unreadable });
    if (target) add(target, issue.message);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, title, competencies, note };
}

/** The field a domain issue belongs under, or null when another message already covers it. */
function targetOf(
  issue: FieldIssue,
  keys: readonly string[],
  context: { overCap: boolean; unreadable: ReadonlySet<number> },
): FormTarget | null {
  const [root, second, field] = issue.path;
  const last = keys[keys.length - 1];
  if (root !== 'competencies' || last === undefined) return { kind: 'form' };
  // A count issue: the platform's own cap, when lower, has already explained it on the same rows.
  if (second === undefined) return context.overCap ? null : { kind: 'row', key: last, field: 'name' };
  if (second === 'weights') {
    // A sum that leaves out an unreadable weight would mislead; that row's own error comes first.
    // The last weight is where the user is most likely to make up the difference.
    return context.unreadable.size > 0 ? null : { kind: 'row', key: last, field: 'weight' };
  }
  if (typeof second === 'number' && (EDIT_FORM_FIELDS as readonly unknown[]).includes(field)) {
    if (field === 'weight' && context.unreadable.has(second)) return null;
    const key = keys[second];
    return key === undefined ? { kind: 'form' } : { kind: 'row', key, field: field as EditFormField };
  }
  return { kind: 'form' };
}

/** parseWeight phrases its messages as clauses; under a field they stand alone. */
function asSentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}
