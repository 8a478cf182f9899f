import { checkEditDraft, type FormTarget } from '../../conversation';
import type { SpecContent } from '../../domain/spec';
import { competencyBlockId, MAX_MODAL_COMPETENCIES, NOTE_BLOCK_ID, TITLE_BLOCK_ID } from './ids';
import { tooManyRowsInModal } from './messages';
import { decodeMetadata, readDraft, type EditModalPayload } from './state';

/** Only what the modal edits; the caller merges it over the current version (must-haves etc. stay). */
export type EditedContent = Pick<SpecContent, 'title' | 'competencies'>;

export type EditSubmission =
  | {
      ok: true;
      specId: string;
      slug: string;
      baseVersion: number;
      content: EditedContent;
      note: string;
      /** Present when the modal was opened with one (see EditModalInput.responseUrl). */
      responseUrl?: string;
    }
  /** Block id → message, ready for `ack({ response_action: 'errors', errors })`. */
  | { ok: false; errors: Record<string, string> };

/**
 * Reads a view_submission of the edit modal. Every problem the domain finds is pinned to the input
 * block it concerns so Slack shows it under that field. Throws PanelistError('invalid_input') only
 * when private_metadata is unreadable, which no field error could explain.
 */
export function parseEditSubmission(view: EditModalPayload): EditSubmission {
  const metadata = decodeMetadata(view.private_metadata);
  const draft = readDraft(view, metadata.keys);
  const checked = checkEditDraft(
    { title: draft.title, note: draft.note, rows: draft.competencies },
    { maxRows: MAX_MODAL_COMPETENCIES, tooManyRows: tooManyRowsInModal },
  );
  if (!checked.ok) {
    const errors = new Map<string, string[]>();
    for (const { target, message } of checked.problems) {
      const block = blockOf(target);
      errors.set(block, [...(errors.get(block) ?? []), message]);
    }
    return { ok: false, errors: Object.fromEntries([...errors].map(([block, messages]) => [block, messages.join(' ')])) };
  }
  return {
    ok: true,
    specId: metadata.specId,
    slug: metadata.slug,
    baseVersion: metadata.baseVersion,
    content: { title: checked.title, competencies: checked.competencies },
    note: checked.note,
    ...(metadata.responseUrl === undefined ? {} : { responseUrl: metadata.responseUrl }),
  };
}

/** The input block a problem is shown under; what belongs to no field goes under the title. */
function blockOf(target: FormTarget): string {
  if (target.kind === 'row') return competencyBlockId(target.key, target.field);
  return target.kind === 'note' ? NOTE_BLOCK_ID : TITLE_BLOCK_ID;
}
