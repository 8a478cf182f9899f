import { ActionSet, AdaptiveCard, ExecuteAction, TextInput, type CardElement, type TextBlock } from '@microsoft/teams.cards';
import { asPhrase } from '../../domain/phrase';
import type { EditPart } from '../../domain/spec-part-commands';
import { EDIT_PARTS, type EditState, type FieldErrors } from './edit-form-state';
import { code, fromPhrase, md } from './markdown';
import { plain } from './message';
import { textBlock } from './text';

/**
 * What every part's edit card shares (Universal Actions: Action.Execute → `adaptiveCard/action`
 * invoke, answered with the card to show in its place): the heading, the row of parts, the errors
 * that belong to no input, the note, Save and Cancel. Every input's value comes back in the
 * action's `data`, beside the form's state.
 */
export const VERB_SAVE = 'panelist.edit.save';
export const VERB_ADD = 'panelist.edit.add';
export const VERB_REMOVE = 'panelist.edit.remove';
export const VERB_MOVE = 'panelist.edit.move';
export const VERB_OPEN_PART = 'panelist.edit.part';
export const VERB_CANCEL = 'panelist.edit.cancel';
export const EDIT_VERBS = [VERB_SAVE, VERB_ADD, VERB_REMOVE, VERB_MOVE, VERB_OPEN_PART, VERB_CANCEL];

export const NOTE_INPUT = 'note';
/** where errors that belong to no input go (stale version, permissions, nothing changed) */
export const FORM_ERROR = 'form';

export const PART_LABELS: Record<EditPart, string> = {
  competencies: 'Competencies',
  mustHaves: 'Must-haves',
  settings: 'Interview settings',
};

/** The error under an input, if it has one. */
export function errorUnder(errors: FieldErrors, id: string): TextBlock[] {
  const message = errors[id];
  if (!message) return [];
  return [textBlock(md`⚠️ ${fromPhrase(asPhrase(message))}`, { color: 'Attention', spacing: 'None', size: 'Small' })];
}

/**
 * An action of the form. `inputs: 'auto'` sends every input's value along, so whatever the answer
 * is (the form again, with a row added or an error shown) keeps what was typed.
 */
export function formAction(
  state: EditState,
  verb: string,
  title: string,
  options: { extra?: Record<string, unknown>; inputs?: 'auto' | 'none'; style?: 'positive' | 'destructive' } = {},
): ExecuteAction {
  const { extra = {}, inputs = 'auto', style } = options;
  return new ExecuteAction({
    title,
    verb,
    data: { panelist: { ...state }, ...extra, verb },
    associatedInputs: inputs,
    ...(style ? { style } : {}),
  });
}

/** The whole card around one part's inputs. */
export function editCard(state: EditState, partBody: CardElement[], note: string, errors: FieldErrors): Record<string, unknown> {
  const otherParts = EDIT_PARTS.filter((part) => part !== state.part);
  const body = [
    // The slug comes back in the action's data, which a client can change: escaped like any text.
    textBlock(md`Edit ${code(state.slug)} · ${PART_LABELS[state.part]} (based on v${state.baseVersion})`, {
      size: 'Medium',
      weight: 'Bolder',
    }),
    new ActionSet(...otherParts.map((part) => formAction(state, VERB_OPEN_PART, PART_LABELS[part], { extra: { to: part } }))).withSpacing(
      'Small',
    ),
    textBlock(md`Another part opens as it is now; what you changed here and did not save is dropped.`, {
      isSubtle: true,
      size: 'Small',
      spacing: 'None',
    }),
    ...errorUnder(errors, FORM_ERROR),
    ...partBody,
    new TextInput({
      id: NOTE_INPUT,
      label: 'What changed, and why (shown in history)',
      value: note,
      isMultiline: true,
      maxLength: 500,
    }).withSeparator(true),
    ...errorUnder(errors, NOTE_INPUT),
  ];
  const card = new AdaptiveCard(...body)
    .withVersion('1.5')
    .withActions(formAction(state, VERB_SAVE, 'Save', { style: 'positive' }), formAction(state, VERB_CANCEL, 'Cancel', { inputs: 'none' }));
  return plain(card);
}
