import { ActionSet, Container, TextInput, type CardElement } from '@microsoft/teams.cards';
import { checkEditDraft, type EditFormField, type EditFormRow, type FormTarget } from '../../conversation';
import { MAX_COMPETENCIES } from '../../domain/spec';
import { formatWeight } from '../../domain/weights';
import type { SpecView } from '../../services/spec-views';
import { editCard, errorUnder, FORM_ERROR, formAction, NOTE_INPUT, VERB_ADD, VERB_REMOVE } from './edit-form-frame';
import { addError, nextKey, stateFromSpec, submitted, type EditForm, type EditState, type FieldErrors } from './edit-form-state';
import { md } from './markdown';
import { oneLine, textBlock } from './text';

/** The title and the competencies, as the core's edit form has them (src/conversation/edit-form.ts). */
interface CompetencyDraft {
  title: string;
  rows: EditFormRow[];
  note: string;
}

export const competencyInput = (key: string, field: EditFormField) => `c_${key}_${field}`;
export const TITLE_INPUT = 'title';

export function competenciesFromSpec(view: SpecView): EditForm {
  const rows = view.content.competencies.map((c, index) => ({
    key: `r${index}`,
    id: c.id,
    name: c.name,
    weight: formatWeight(c.weight),
    definition: c.definition,
  }));
  const state = stateFromSpec(
    view,
    'competencies',
    rows.map((r) => r.key),
  );
  return competenciesForm(state, { title: view.content.title, rows, note: '' });
}

/** The draft as submitted: every input's text, by row key. Missing inputs read as empty. */
export function readCompetencies(state: EditState, data: Record<string, unknown>): EditForm {
  const text = (id: string) => submitted(data, id);
  return competenciesForm(state, {
    title: text(TITLE_INPUT),
    rows: state.keys.map((key) => ({
      key,
      name: text(competencyInput(key, 'name')),
      id: text(competencyInput(key, 'id')),
      weight: text(competencyInput(key, 'weight')),
      definition: text(competencyInput(key, 'definition')),
    })),
    note: text(NOTE_INPUT),
  });
}

function competenciesForm(state: EditState, draft: CompetencyDraft): EditForm {
  const form: EditForm = {
    state,
    card: (errors = {}) => editCard(state, body(state, draft, errors), draft.note, errors),
    add: () => {
      if (draft.rows.length >= MAX_COMPETENCIES) return form;
      const added = nextKey(state, 'r');
      const row = { key: added.key, id: '', name: '', weight: formatWeight(0), definition: '' };
      return competenciesForm(added.state, { ...draft, rows: [...draft.rows, row] });
    },
    remove: (key) => {
      // A spec needs a competency: the last one stays.
      if (draft.rows.length <= 1 || !state.keys.includes(key)) return form;
      return competenciesForm(
        { ...state, keys: state.keys.filter((k) => k !== key) },
        { ...draft, rows: draft.rows.filter((r) => r.key !== key) },
      );
    },
    move: () => form,
    check: () => {
      const checked = checkEditDraft(draft);
      if (checked.ok) return { ok: true, changes: { title: checked.title, competencies: checked.competencies }, note: checked.note };
      const errors: FieldErrors = {};
      for (const { target, message } of checked.problems) addError(errors, inputOf(target), message);
      return { ok: false, errors };
    },
  };
  return form;
}

function body(state: EditState, draft: CompetencyDraft, errors: FieldErrors): CardElement[] {
  const error = (id: string) => errorUnder(errors, id);
  return [
    new TextInput({ id: TITLE_INPUT, label: 'Title', value: draft.title, maxLength: 200 }),
    ...error(TITLE_INPUT),
    ...draft.rows.map((row, index) =>
      new Container(
        textBlock(md`Competency ${index + 1}${row.name ? md`: ${oneLine(row.name, 80)}` : ''}`, { weight: 'Bolder' }),
        new TextInput({ id: competencyInput(row.key, 'name'), label: 'Name', value: row.name, maxLength: 100 }),
        ...error(competencyInput(row.key, 'name')),
        new TextInput({ id: competencyInput(row.key, 'id'), label: 'Id (lowercase, digits, _)', value: row.id, maxLength: 64 }),
        ...error(competencyInput(row.key, 'id')),
        new TextInput({ id: competencyInput(row.key, 'weight'), label: 'Weight (0.30 or 30%)', value: row.weight, maxLength: 10 }),
        ...error(competencyInput(row.key, 'weight')),
        new TextInput({
          id: competencyInput(row.key, 'definition'),
          label: 'Definition',
          value: row.definition,
          isMultiline: true,
          maxLength: 2000,
        }),
        ...error(competencyInput(row.key, 'definition')),
        ...(draft.rows.length > 1
          ? [new ActionSet(formAction(state, VERB_REMOVE, `Remove competency ${index + 1}`, { extra: { remove: row.key } }))]
          : []),
      ).withSeparator(true),
    ),
    ...(draft.rows.length < MAX_COMPETENCIES
      ? [new ActionSet(formAction(state, VERB_ADD, 'Add a competency'))]
      : [textBlock(md`${MAX_COMPETENCIES} competencies is the most a spec holds; remove one to add another.`, { isSubtle: true })]),
  ];
}

function inputOf(target: FormTarget): string {
  if (target.kind === 'row') return competencyInput(target.key, target.field);
  return target.kind === 'title' ? TITLE_INPUT : target.kind === 'note' ? NOTE_INPUT : FORM_ERROR;
}
