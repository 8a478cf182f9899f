import { ActionSet, ChoiceSetInput, Container, TextInput, type CardElement } from '@microsoft/teams.cards';
import { checkMustHavesDraft, MAX_MUST_HAVE_ROWS, moveRow, type MustHaveTarget } from '../../conversation';
import { MAX_MUST_HAVE_LENGTH } from '../../domain/spec';
import type { SpecView } from '../../services/spec-views';
import { editCard, errorUnder, FORM_ERROR, formAction, NOTE_INPUT, VERB_ADD, VERB_MOVE, VERB_REMOVE } from './edit-form-frame';
import { addError, nextKey, stateFromSpec, submitted, type EditForm, type EditState, type FieldErrors } from './edit-form-state';
import { md } from './markdown';
import { textBlock } from './text';

/**
 * The must-haves as a card: a row each (its text, required or nice to have, move and remove), any
 * number from none to the spec's cap. The core checks them (src/conversation/part-forms.ts).
 */
interface MustHaveFormRow {
  key: string;
  text: string;
  /** undefined: the choice came back as neither (a changed client), said under it */
  required: boolean | undefined;
}

interface MustHavesFormDraft {
  rows: MustHaveFormRow[];
  note: string;
}

export const mustHaveTextInput = (key: string) => `m_${key}_text`;
export const mustHaveKindInput = (key: string) => `m_${key}_required`;
const REQUIRED = 'required';
const NICE = 'nice';

export function mustHavesFromSpec(view: SpecView): EditForm {
  const rows = view.content.mustHaves.map((m, index) => ({ key: `m${index}`, text: m.text, required: m.required }));
  const state = stateFromSpec(
    view,
    'mustHaves',
    rows.map((r) => r.key),
  );
  return mustHavesForm(state, { rows, note: '' });
}

export function readMustHaves(state: EditState, data: Record<string, unknown>): EditForm {
  const kind = (key: string) => {
    const value = submitted(data, mustHaveKindInput(key));
    return value === REQUIRED ? true : value === NICE ? false : undefined;
  };
  const rows = state.keys.map((key) => ({ key, text: submitted(data, mustHaveTextInput(key)), required: kind(key) }));
  return mustHavesForm(state, { rows, note: submitted(data, NOTE_INPUT) });
}

function mustHavesForm(state: EditState, draft: MustHavesFormDraft): EditForm {
  const withRows = (rows: MustHaveFormRow[], next: EditState = state) =>
    mustHavesForm({ ...next, keys: rows.map((r) => r.key) }, { ...draft, rows });
  const form: EditForm = {
    state,
    card: (errors = {}) => editCard(state, body(state, draft, errors), draft.note, errors),
    add: () => {
      if (draft.rows.length >= MAX_MUST_HAVE_ROWS) return form;
      const added = nextKey(state, 'm');
      return withRows([...draft.rows, { key: added.key, text: '', required: true }], added.state);
    },
    remove: (key) => withRows(draft.rows.filter((r) => r.key !== key)),
    move: (key, direction) => withRows(moveRow(draft.rows, key, direction === 'up' ? -1 : 1)),
    check: () => {
      const errors: FieldErrors = {};
      for (const row of draft.rows) {
        if (row.required === undefined) addError(errors, mustHaveKindInput(row.key), 'Choose required or nice to have.');
      }
      const checked = checkMustHavesDraft({ rows: draft.rows.map((r) => ({ ...r, required: r.required ?? true })), note: draft.note });
      if (!checked.ok) for (const { target, message } of checked.problems) addError(errors, inputOf(target), message);
      if (!checked.ok || Object.keys(errors).length > 0) return { ok: false, errors };
      return { ok: true, changes: { mustHaves: checked.mustHaves }, note: checked.note };
    },
  };
  return form;
}

function body(state: EditState, draft: MustHavesFormDraft, errors: FieldErrors): CardElement[] {
  const { rows } = draft;
  const error = (id: string) => errorUnder(errors, id);
  return [
    ...(rows.length === 0 ? [textBlock(md`No must-haves. A spec may have none; add one below if it needs one.`, { isSubtle: true })] : []),
    ...rows.map((row, index) => {
      const moves = [
        ...(index > 0 ? [formAction(state, VERB_MOVE, 'Move up', { extra: { move: row.key, direction: 'up' } })] : []),
        ...(index < rows.length - 1 ? [formAction(state, VERB_MOVE, 'Move down', { extra: { move: row.key, direction: 'down' } })] : []),
      ];
      return new Container(
        textBlock(md`Must-have ${index + 1}`, { weight: 'Bolder' }),
        new TextInput({
          id: mustHaveTextInput(row.key),
          label: 'Text',
          value: row.text,
          maxLength: MAX_MUST_HAVE_LENGTH,
          isMultiline: false,
        }),
        ...error(mustHaveTextInput(row.key)),
        kindChoice(row),
        ...error(mustHaveKindInput(row.key)),
        new ActionSet(...moves, formAction(state, VERB_REMOVE, `Remove must-have ${index + 1}`, { extra: { remove: row.key } })),
      ).withSeparator(true);
    }),
    ...(rows.length < MAX_MUST_HAVE_ROWS
      ? [new ActionSet(formAction(state, VERB_ADD, 'Add a must-have'))]
      : [textBlock(md`${MAX_MUST_HAVE_ROWS} must-haves is the most a spec holds; remove one to add another.`, { isSubtle: true })]),
  ];
}

function kindChoice(row: MustHaveFormRow): ChoiceSetInput {
  const choice = new ChoiceSetInput({ title: 'Required', value: REQUIRED }, { title: 'Nice to have', value: NICE })
    .withId(mustHaveKindInput(row.key))
    .withLabel('Required or nice to have')
    .withStyle('compact');
  return row.required === undefined ? choice : choice.withValue(row.required ? REQUIRED : NICE);
}

function inputOf(target: MustHaveTarget): string {
  if (target.kind === 'row') return mustHaveTextInput(target.key);
  return target.kind === 'note' ? NOTE_INPUT : FORM_ERROR;
}
