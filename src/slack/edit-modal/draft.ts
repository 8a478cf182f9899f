import type { SpecView } from '../../services/spec-views';
import { formatWeight } from '../../domain/weights';
import { competencyBlockId, NOTE_BLOCK_ID, TITLE_BLOCK_ID } from './ids';

/** One competency row as the user sees it: raw text, not yet parsed or validated. */
export interface EditDraftCompetency {
  /** Stable row key. Not the competency id: the user may be editing that. */
  key: string;
  id: string;
  name: string;
  /** What the user typed ("0.30", ".3", "30%"); parsed only on submit. */
  weight: string;
  definition: string;
}

export interface EditDraft {
  title: string;
  competencies: EditDraftCompetency[];
  note: string;
}

/** Keys become part of block ids (max 255 chars) and private_metadata (max 3000), so keep them short and plain. */
export const ROW_KEY_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

const GENERATED_KEY = /^r(\d{1,9})$/;

export function rowKey(sequence: number): string {
  return `r${sequence}`;
}

/**
 * The next sequence number for a fresh key. `floor` is the counter carried in private_metadata:
 * it only grows, so a removed row's key is never handed out again. Reusing one would let Slack,
 * which keeps typed values per block id across views.update, paste the removed row's text into
 * the new row.
 */
export function nextSequence(keys: readonly string[], floor = 0): number {
  let next = floor;
  for (const key of keys) {
    const match = GENERATED_KEY.exec(key);
    if (match) next = Math.max(next, Number(match[1]) + 1);
  }
  return next;
}

export function draftFromSpec(view: SpecView): EditDraft {
  return {
    title: view.content.title,
    competencies: view.content.competencies.map((competency, index) => ({
      key: rowKey(index),
      id: competency.id,
      name: competency.name,
      weight: formatWeight(competency.weight),
      definition: competency.definition,
    })),
    note: '',
  };
}

export function emptyRow(key: string): EditDraftCompetency {
  return { key, id: '', name: '', weight: formatWeight(0), definition: '' };
}

/** What each input block starts with, by block id: the draft as the modal will show it. */
export function initialValues(draft: EditDraft): Record<string, string> {
  const values: Record<string, string> = { [TITLE_BLOCK_ID]: draft.title };
  for (const row of draft.competencies) {
    values[competencyBlockId(row.key, 'name')] = row.name;
    values[competencyBlockId(row.key, 'id')] = row.id;
    values[competencyBlockId(row.key, 'weight')] = row.weight;
    values[competencyBlockId(row.key, 'definition')] = row.definition;
  }
  values[NOTE_BLOCK_ID] = draft.note;
  return values;
}
