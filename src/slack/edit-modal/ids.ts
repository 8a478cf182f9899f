import { MAX_COMPETENCIES } from '../../domain/spec';

/**
 * Every id the edit modal puts on the wire. The Bolt handlers register on these, and submission
 * parsing finds values by them, so they live in one place rather than as string literals twice.
 */
export const EDIT_MODAL_CALLBACK_ID = 'spec_edit';
export const ADD_COMPETENCY_ACTION_ID = 'competency_add';
export const REMOVE_COMPETENCY_ACTION_ID = 'competency_remove';

/** One action id for every input: the block id already says which field it is. */
export const INPUT_ACTION_ID = 'value';

export const TITLE_BLOCK_ID = 'title';
export const NOTE_BLOCK_ID = 'note';
export const SUMMARY_BLOCK_ID = 'summary';
export const ERRORS_BLOCK_ID = 'errors';
export const ROWS_FOOTER_BLOCK_ID = 'competency_rows';

export type CompetencyField = 'name' | 'id' | 'weight' | 'definition';
export const COMPETENCY_FIELDS: readonly CompetencyField[] = ['name', 'id', 'weight', 'definition'];

/** Keyed by the row's stable key, never its index or competency id, so Slack's retained input state follows the row. */
export function competencyBlockId(key: string, field: CompetencyField | 'header'): string {
  return `c:${key}:${field}`;
}

/*
 * Slack refuses a view with more than 100 blocks. Each row costs a section (title + Remove button;
 * inputs cannot hold buttons) and four inputs (separate so each field gets its own inline error).
 * Around the rows sit the summary context, the title input, an error line, the add button (or
 * the line saying why it is gone) and the note: 5 blocks. (100 − 5) / 5 = 19 rows, one short of
 * MAX_COMPETENCIES, so a 20-competency spec cannot be edited here and the builder says so.
 */
export const SLACK_MAX_BLOCKS = 100;
export const BLOCKS_PER_ROW = 5;
export const FIXED_BLOCKS = 5;
export const MAX_MODAL_COMPETENCIES = Math.min(MAX_COMPETENCIES, Math.floor((SLACK_MAX_BLOCKS - FIXED_BLOCKS) / BLOCKS_PER_ROW));

export const SLACK_MAX_PRIVATE_METADATA = 3000;
