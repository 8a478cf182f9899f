import type { EditPart } from '../../domain/spec-part-commands';
import type { SpecView } from '../../services/spec-views';
import { competenciesFromSpec, readCompetencies } from './edit-competencies';
import { readEditState, type EditForm, type EditState } from './edit-form-state';
import { mustHavesFromSpec, readMustHaves } from './edit-must-haves';
import { readSettings, settingsFromSpec } from './edit-settings';

/**
 * The edit card, one part of a spec at a time (`edit <spec> [competencies|musthaves|settings]`).
 * Pure: a form from a spec or from a submission; the form builds its card and checks its draft.
 */
export {
  BadEditState,
  damagedForm,
  isEditPart,
  type CheckedForm,
  type EditForm,
  type EditState,
  type FieldErrors,
} from './edit-form-state';
export {
  EDIT_VERBS,
  FORM_ERROR,
  PART_LABELS,
  VERB_ADD,
  VERB_CANCEL,
  VERB_MOVE,
  VERB_OPEN_PART,
  VERB_REMOVE,
  VERB_SAVE,
} from './edit-form-frame';

const FROM_SPEC: Record<EditPart, (view: SpecView) => EditForm> = {
  competencies: competenciesFromSpec,
  mustHaves: mustHavesFromSpec,
  settings: settingsFromSpec,
};

const FROM_SUBMISSION: Record<EditPart, (state: EditState, data: Record<string, unknown>) => EditForm> = {
  competencies: readCompetencies,
  mustHaves: readMustHaves,
  settings: readSettings,
};

/** A part's form as the spec's version has it, nothing typed yet. */
export function formFromSpec(view: SpecView, part: EditPart): EditForm {
  return FROM_SPEC[part](view);
}

/** The form as submitted with an action; throws BadEditState when its state is damaged. */
export function formFromSubmission(data: Record<string, unknown>): EditForm {
  const state = readEditState(data.panelist);
  return FROM_SUBMISSION[state.part](state, data);
}
