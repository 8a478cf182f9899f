import { ChoiceSetInput, ToggleInput, type CardElement, type IChoice } from '@microsoft/teams.cards';
import { checkSettingsDraft, type SettingsField, type SettingsTarget } from '../../conversation';
import { PROMPT_COUNT, QUESTION_COUNT } from '../../domain/spec';
import type { SpecView } from '../../services/spec-views';
import { editCard, errorUnder, NOTE_INPUT } from './edit-form-frame';
import { addError, stateFromSpec, submitted, type EditForm, type EditState, type FieldErrors } from './edit-form-state';

/**
 * The interview settings as a card: how many questions a candidate sees, whether they publish by
 * themselves, and the behavioral round's prompts and mode. Choices, so a person cannot type a
 * wrong value; a changed client can, and the core's check says so under the input.
 */
interface SettingsFormDraft {
  /** every value as submitted ("3", "true", "voice"): the check reads them */
  candidateSees: string;
  autoPublish: string;
  prompts: string;
  mode: string;
  note: string;
}

export const SETTINGS_INPUTS: Record<SettingsField | 'autoPublish', string> = {
  candidateSees: 'candidateSees',
  autoPublish: 'autoPublish',
  prompts: 'prompts',
  mode: 'mode',
};
const ON = 'true';
const OFF = 'false';

export function settingsFromSpec(view: SpecView): EditForm {
  const { interviewQuestions, behavioralRound } = view.content;
  const state = stateFromSpec(view, 'settings');
  return settingsForm(state, {
    candidateSees: String(interviewQuestions.candidateSees),
    autoPublish: interviewQuestions.autoPublish ? ON : OFF,
    prompts: String(behavioralRound.prompts),
    mode: behavioralRound.mode,
    note: '',
  });
}

export function readSettings(state: EditState, data: Record<string, unknown>): EditForm {
  return settingsForm(state, {
    candidateSees: submitted(data, SETTINGS_INPUTS.candidateSees),
    autoPublish: submitted(data, SETTINGS_INPUTS.autoPublish),
    prompts: submitted(data, SETTINGS_INPUTS.prompts),
    mode: submitted(data, SETTINGS_INPUTS.mode),
    note: submitted(data, NOTE_INPUT),
  });
}

function settingsForm(state: EditState, draft: SettingsFormDraft): EditForm {
  const form: EditForm = {
    state,
    card: (errors = {}) => editCard(state, body(draft, errors), draft.note, errors),
    add: () => form,
    remove: () => form,
    move: () => form,
    check: () => {
      const errors: FieldErrors = {};
      const autoPublish = draft.autoPublish === ON ? true : draft.autoPublish === OFF ? false : undefined;
      if (autoPublish === undefined) addError(errors, SETTINGS_INPUTS.autoPublish, 'Turn auto-publish on or off.');
      const checked = checkSettingsDraft({ ...draft, autoPublish: autoPublish ?? false });
      if (!checked.ok) for (const { target, message } of checked.problems) addError(errors, inputOf(target), message);
      if (!checked.ok || Object.keys(errors).length > 0) return { ok: false, errors };
      return {
        ok: true,
        changes: {
          interviewQuestions: { candidateSees: checked.candidateSees, autoPublish: checked.autoPublish },
          behavioralRound: { prompts: checked.prompts, mode: checked.mode },
        },
        note: checked.note,
      };
    },
  };
  return form;
}

function body(draft: SettingsFormDraft, errors: FieldErrors): CardElement[] {
  const error = (id: string) => errorUnder(errors, id);
  const { candidateSees, autoPublish, prompts, mode } = SETTINGS_INPUTS;
  const toggle = new ToggleInput('Auto-publish interview questions', { id: autoPublish, valueOn: ON, valueOff: OFF, wrap: true });
  return [
    choice(candidateSees, 'Questions the candidate sees', counts(QUESTION_COUNT), draft.candidateSees).withSeparator(true),
    ...error(candidateSees),
    draft.autoPublish === ON || draft.autoPublish === OFF ? toggle.withValue(draft.autoPublish) : toggle,
    ...error(autoPublish),
    choice(prompts, 'Behavioral prompts', counts(PROMPT_COUNT), draft.prompts).withSeparator(true),
    ...error(prompts),
    choice(
      mode,
      'Behavioral round by',
      [
        { title: 'Voice', value: 'voice' },
        { title: 'Text', value: 'text' },
      ],
      draft.mode,
    ),
    ...error(mode),
  ];
}

/** A compact choice; a value that is none of the choices (a changed client) is left unchosen. */
function choice(id: string, label: string, choices: IChoice[], value: string): ChoiceSetInput {
  const input = new ChoiceSetInput(...choices).withId(id).withLabel(label).withStyle('compact');
  return choices.some((c) => c.value === value) ? input.withValue(value) : input;
}

function counts(range: { min: number; max: number }): IChoice[] {
  return Array.from({ length: range.max - range.min + 1 }, (_, index) => {
    const count = String(range.min + index);
    return { title: count, value: count };
  });
}

function inputOf(target: SettingsTarget): string {
  return target.kind === 'note' ? NOTE_INPUT : SETTINGS_INPUTS[target.field];
}
