import { ActionSet, AdaptiveCard, Container, ExecuteAction, TextInput } from '@microsoft/teams.cards';
import { checkEditDraft, EDIT_FORM_FIELDS, type EditFormField, type EditFormRow, type FormTarget } from '../../conversation';
import { MAX_COMPETENCIES, type Competency } from '../../domain/spec';
import { formatWeight } from '../../domain/weights';
import { asPhrase, phrase, type Phrase } from '../../domain/phrase';
import type { SpecView } from '../../services/spec-views';
import { code, fromPhrase, md } from './markdown';
import { plain } from './message';
import { oneLine, textBlock } from './text';

/**
 * The edit form as an Adaptive Card (Universal Actions: Action.Execute → `adaptiveCard/action`
 * invoke, answered with the card to show in its place). Every input's value comes back in
 * `action.data`; the form's own state (spec, base version, row keys) rides in each action's data.
 * Pure: build a card from a draft, read a draft from a submission, validate it.
 */
export const VERB_SAVE = 'panelist.edit.save';
export const VERB_ADD = 'panelist.edit.add';
export const VERB_REMOVE = 'panelist.edit.remove';
export const VERB_CANCEL = 'panelist.edit.cancel';
export const EDIT_VERBS = [VERB_SAVE, VERB_ADD, VERB_REMOVE, VERB_CANCEL];

/** The card's rows and fields are the core's edit form's (src/conversation/edit-form.ts). */
export const FIELDS = EDIT_FORM_FIELDS;
export type Field = EditFormField;
export type DraftRow = EditFormRow;

export interface EditState {
  specId: string;
  slug: string;
  baseVersion: number;
  keys: string[];
  /** only grows, so a removed row's key (and its typed values) is never reused */
  next: number;
}

export interface EditDraft {
  title: string;
  rows: DraftRow[];
  note: string;
}

/** input id → message, shown under that input (a string is words only; a Phrase may name commands) */
export type FieldErrors = Record<string, string | Phrase>;

export const inputId = (key: string, field: Field) => `c_${key}_${field}`;
export const TITLE_INPUT = 'title';
export const NOTE_INPUT = 'note';
/** where errors that belong to no field go (stale version, permissions) */
export const FORM_ERROR = 'form';

export function draftFromSpec(view: SpecView): { state: EditState; draft: EditDraft } {
  const rows = view.content.competencies.map((c, index) => ({
    key: `r${index}`,
    id: c.id,
    name: c.name,
    weight: formatWeight(c.weight),
    definition: c.definition,
  }));
  return {
    state: { specId: view.id, slug: view.slug, baseVersion: view.version.number, keys: rows.map((r) => r.key), next: rows.length },
    draft: { title: view.content.title, rows, note: '' },
  };
}

export function buildEditCard(state: EditState, draft: EditDraft, errors: FieldErrors = {}): Record<string, unknown> {
  const error = (id: string) => {
    const message = errors[id];
    return message ? [textBlock(md`⚠️ ${fromPhrase(asPhrase(message))}`, { color: 'Attention', spacing: 'None', size: 'Small' })] : [];
  };
  const data = (verb: string, extra: Record<string, unknown> = {}) => ({ panelist: { ...state }, ...extra, verb });
  const body = [
    // The slug comes back in the action's data, which a client can change: escaped like any text.
    textBlock(md`Edit ${code(state.slug)} (based on v${state.baseVersion})`, { size: 'Medium', weight: 'Bolder' }),
    ...error(FORM_ERROR),
    new TextInput({ id: TITLE_INPUT, label: 'Title', value: draft.title, maxLength: 200 }),
    ...error(TITLE_INPUT),
    ...draft.rows.map((row, index) =>
      new Container(
        textBlock(md`Competency ${index + 1}${row.name ? md`: ${oneLine(row.name, 80)}` : ''}`, { weight: 'Bolder' }),
        new TextInput({ id: inputId(row.key, 'name'), label: 'Name', value: row.name, maxLength: 100 }),
        ...error(inputId(row.key, 'name')),
        new TextInput({ id: inputId(row.key, 'id'), label: 'Id (lowercase, digits, _)', value: row.id, maxLength: 64 }),
        ...error(inputId(row.key, 'id')),
        new TextInput({ id: inputId(row.key, 'weight'), label: 'Weight (0.30 or 30%)', value: row.weight, maxLength: 10 }),
        ...error(inputId(row.key, 'weight')),
        new TextInput({
          id: inputId(row.key, 'definition'),
          label: 'Definition',
          value: row.definition,
          isMultiline: true,
          maxLength: 2000,
        }),
        ...error(inputId(row.key, 'definition')),
        ...(draft.rows.length > 1
          ? [
              new ActionSet(
                new ExecuteAction({
                  title: `Remove competency ${index + 1}`,
                  verb: VERB_REMOVE,
                  data: data(VERB_REMOVE, { remove: row.key }),
                  associatedInputs: 'auto',
                }),
              ),
            ]
          : []),
      ).withSeparator(true),
    ),
    ...(draft.rows.length < MAX_COMPETENCIES
      ? [new ActionSet(new ExecuteAction({ title: 'Add a competency', verb: VERB_ADD, data: data(VERB_ADD), associatedInputs: 'auto' }))]
      : [textBlock(md`${MAX_COMPETENCIES} competencies is the most a spec holds; remove one to add another.`, { isSubtle: true })]),
    new TextInput({
      id: NOTE_INPUT,
      label: 'What changed, and why (shown in history)',
      value: draft.note,
      isMultiline: true,
      maxLength: 500,
    }).withSeparator(true),
    ...error(NOTE_INPUT),
  ];
  const card = new AdaptiveCard(...body)
    .withVersion('1.5')
    .withActions(
      new ExecuteAction({ title: 'Save', verb: VERB_SAVE, data: data(VERB_SAVE), associatedInputs: 'auto', style: 'positive' }),
      new ExecuteAction({ title: 'Cancel', verb: VERB_CANCEL, data: data(VERB_CANCEL), associatedInputs: 'none' }),
    );
  return plain(card);
}

/** The draft as submitted: every input's text, by row key. Missing inputs read as empty. */
export function readSubmission(data: Record<string, unknown>): { state: EditState; draft: EditDraft; remove?: string } {
  const state = readState(data.panelist);
  const text = (id: string) => (typeof data[id] === 'string' ? (data[id] as string) : '');
  return {
    state,
    draft: {
      title: text(TITLE_INPUT),
      rows: state.keys.map((key) => ({
        key,
        name: text(inputId(key, 'name')),
        id: text(inputId(key, 'id')),
        weight: text(inputId(key, 'weight')),
        definition: text(inputId(key, 'definition')),
      })),
      note: text(NOTE_INPUT),
    },
    remove: typeof data.remove === 'string' ? data.remove : undefined,
  };
}

export class BadEditState extends Error {
  constructor(readonly phrase: Phrase) {
    super(String(phrase));
  }
}

function readState(raw: unknown): EditState {
  const s = raw as Partial<EditState> | undefined;
  if (
    !s ||
    typeof s.specId !== 'string' ||
    typeof s.slug !== 'string' ||
    !Number.isInteger(s.baseVersion) ||
    !Array.isArray(s.keys) ||
    !s.keys.every((k) => typeof k === 'string' && /^[A-Za-z0-9_-]{1,32}$/.test(k)) ||
    !Number.isInteger(s.next)
  ) {
    throw new BadEditState(phrase`This form is damaged or from an older Panelist; open a new one with \`edit <spec>\`.`);
  }
  return { specId: s.specId, slug: s.slug, baseVersion: s.baseVersion!, keys: s.keys, next: s.next! };
}

export function addRow(state: EditState, draft: EditDraft): { state: EditState; draft: EditDraft } {
  if (draft.rows.length >= MAX_COMPETENCIES) return { state, draft };
  const key = `r${state.next}`;
  return {
    state: { ...state, keys: [...state.keys, key], next: state.next + 1 },
    draft: { ...draft, rows: [...draft.rows, { key, id: '', name: '', weight: formatWeight(0), definition: '' }] },
  };
}

export function removeRow(state: EditState, draft: EditDraft, key: string): { state: EditState; draft: EditDraft } {
  if (draft.rows.length <= 1 || !state.keys.includes(key)) return { state, draft };
  return {
    state: { ...state, keys: state.keys.filter((k) => k !== key) },
    draft: { ...draft, rows: draft.rows.filter((r) => r.key !== key) },
  };
}

export type Validated = { ok: true; title: string; competencies: Competency[]; note: string } | { ok: false; errors: FieldErrors };

/** The conversation core's rules for the edit form (the same as Slack's), each problem under its input. */
export function validateDraft(_state: EditState, draft: EditDraft): Validated {
  const checked = checkEditDraft(draft);
  if (checked.ok) return checked;
  const errors: FieldErrors = {};
  for (const { target, message } of checked.problems) {
    const id = inputOf(target);
    errors[id] = errors[id] ? `${errors[id]} ${message}` : message;
  }
  return { ok: false, errors };
}

function inputOf(target: FormTarget): string {
  if (target.kind === 'row') return inputId(target.key, target.field);
  return target.kind === 'title' ? TITLE_INPUT : target.kind === 'note' ? NOTE_INPUT : FORM_ERROR;
}
