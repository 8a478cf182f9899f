import type { types as slack } from '@slack/bolt';
import { emptyRow, nextSequence, rowKey } from './draft';
import { ADD_COMPETENCY_ACTION_ID, MAX_MODAL_COMPETENCIES, type REMOVE_COMPETENCY_ACTION_ID } from './ids';
import { addRefusedAtCap, lastRowRemovalRefused } from './messages';
import { decodeMetadata, readDraft, type EditModalPayload } from './state';
import { renderEditModal } from './view';

export interface RowAction {
  action_id: typeof ADD_COMPETENCY_ACTION_ID | typeof REMOVE_COMPETENCY_ACTION_ID;
  /** For remove: the row key carried on the button. */
  value?: string;
}

/**
 * The modal after an Add or Remove click, for `views.update`. It is rebuilt from the values as
 * currently typed (the block_actions payload carries them), so nothing unsaved is lost; a refused
 * action returns the same draft with a warning line saying why.
 */
export function applyRowAction(view: EditModalPayload, action: RowAction): slack.ModalView {
  const metadata = decodeMetadata(view.private_metadata);
  const draft = readDraft(view, metadata.keys);
  const rows = draft.competencies;
  const { specId, slug, baseVersion, responseUrl } = metadata;
  const base = { specId, slug, baseVersion, ...(responseUrl === undefined ? {} : { responseUrl }) };
  let seq = nextSequence(metadata.keys, metadata.seq);
  const errors: string[] = [];

  if (action.action_id === ADD_COMPETENCY_ACTION_ID) {
    // The button is hidden at the cap, but a stale view or a double click can still send it.
    if (rows.length >= MAX_MODAL_COMPETENCIES) errors.push(addRefusedAtCap());
    else rows.push(emptyRow(rowKey(seq++)));
  } else {
    const index = rows.findIndex((row) => row.key === action.value);
    // An unknown key is a second click on a row already gone: nothing to do, and nothing to complain about.
    if (index !== -1) {
      if (rows.length === 1) errors.push(lastRowRemovalRefused());
      else rows.splice(index, 1);
    }
  }

  // More rows than the cap can only come from a tampered or outdated payload; the builder's
  // PanelistError says so rather than this silently dropping rows the user typed.
  return renderEditModal({ ...base, draft, errors }, seq);
}
