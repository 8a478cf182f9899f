/** The Slack "edit spec" modal: pure view building and payload parsing; the Bolt handlers do the I/O. */
export { applyRowAction, type RowAction } from './actions';
export { draftFromSpec, initialValues, type EditDraft, type EditDraftCompetency } from './draft';
export {
  ADD_COMPETENCY_ACTION_ID,
  competencyBlockId,
  EDIT_MODAL_CALLBACK_ID,
  INPUT_ACTION_ID,
  MAX_MODAL_COMPETENCIES,
  NOTE_BLOCK_ID,
  REMOVE_COMPETENCY_ACTION_ID,
  TITLE_BLOCK_ID,
  type CompetencyField,
} from './ids';
export { specTooLargeForModal } from './messages';
export type { EditModalPayload } from './state';
export { parseEditSubmission, type EditedContent, type EditSubmission } from './submission';
export { buildEditModal, type EditModalInput } from './view';
export {
  applyMustHaveAction,
  MUST_HAVE_ADD_ACTION_ID,
  MUST_HAVE_ROW_ACTION_ID,
  MUST_HAVES_CALLBACK_ID,
  mustHaveBlockId,
} from './must-haves-modal';
export { parseMustHavesSubmission } from './must-haves-modal';
export { buildPartModal } from './open-part';
export { EDIT_PART_ACTION_ID, isEditPart } from './part-switch';
export { parseSettingsSubmission, SETTINGS_CALLBACK_ID } from './settings-modal';
export { decodeMetadata } from './state';
