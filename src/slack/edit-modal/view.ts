import type { types as slack } from '@slack/bolt';
import { PanelistError } from '../../domain/errors';
import { MAX_DEFINITION_LENGTH, MAX_NAME_LENGTH } from '../../domain/spec';
import { describeImbalance, formatWeight, parseWeight } from '../../domain/weights';
import { initialValues, nextSequence, ROW_KEY_PATTERN, type EditDraft, type EditDraftCompetency } from './draft';
import {
  ADD_COMPETENCY_ACTION_ID,
  competencyBlockId,
  EDIT_MODAL_CALLBACK_ID,
  ERRORS_BLOCK_ID,
  INPUT_ACTION_ID,
  MAX_MODAL_COMPETENCIES,
  NOTE_BLOCK_ID,
  REMOVE_COMPETENCY_ACTION_ID,
  ROWS_FOOTER_BLOCK_ID,
  SLACK_MAX_BLOCKS,
  SUMMARY_BLOCK_ID,
  TITLE_BLOCK_ID,
} from './ids';
import { code, mrkdwn as markup, type Mrkdwn } from '../render/mrkdwn';
import { capReachedNotice, specTooLargeForModal } from './messages';
import { summaryWithPartMenu } from './part-switch';
import { editModal, errorLine, noteInput, plain, truncate } from './widgets';

type KnownBlock = slack.KnownBlock;
type InputBlock = slack.InputBlock;
type PlainTextInput = slack.PlainTextInput;

export interface EditModalInput {
  specId: string;
  slug: string;
  baseVersion: number;
  draft: EditDraft;
  /** Shown in a warning line above the rows, e.g. why an add or remove was refused. */
  errors?: string[];
  /** Carried through to the submission untouched (see EditModalMetadata.responseUrl). */
  responseUrl?: string;
}

/**
 * The edit modal for a draft. Throws PanelistError('invalid_input') with a message for the user when
 * the draft has more rows than one modal can hold (see MAX_MODAL_COMPETENCIES).
 */
export function buildEditModal(input: EditModalInput): slack.ModalView {
  return renderEditModal(input, 0);
}

/** `seqFloor` carries the row-key counter across rebuilds, so removed keys stay retired. */
export function renderEditModal(input: EditModalInput, seqFloor: number): slack.ModalView {
  const rows = input.draft.competencies;
  if (rows.length > MAX_MODAL_COMPETENCIES) {
    throw new PanelistError('invalid_input', specTooLargeForModal(rows.length, input.slug), {
      competencies: rows.length,
      max: MAX_MODAL_COMPETENCIES,
    });
  }
  const keys = rows.map((row) => row.key);
  assertUsableKeys(keys);

  const values = initialValues(input.draft);
  const errors = input.errors?.filter((e) => e.trim() !== '') ?? [];
  const blocks: KnownBlock[] = [
    summaryBlock(input),
    textInput(TITLE_BLOCK_ID, 'Title', values, { placeholder: 'e.g. Senior Backend Engineer — Payments Platform' }),
    ...(errors.length > 0 ? [errorLine(ERRORS_BLOCK_ID, errors)] : []),
    ...rows.flatMap((row, index) => rowBlocks(row, index, values)),
    footerBlock(rows.length),
    noteInput(NOTE_BLOCK_ID, values[NOTE_BLOCK_ID] ?? ''),
  ];
  // The cap arithmetic in ids.ts should make this impossible; fail here rather than as a Slack 400.
  if (blocks.length > SLACK_MAX_BLOCKS) {
    throw new Error(`edit modal has ${blocks.length} blocks; Slack allows ${SLACK_MAX_BLOCKS}`);
  }

  return editModal(EDIT_MODAL_CALLBACK_ID, 'Edit spec', input, { keys, seq: nextSequence(keys, seqFloor) }, blocks);
}

function assertUsableKeys(keys: readonly string[]): void {
  const bad = keys.find((key) => !ROW_KEY_PATTERN.test(key));
  if (bad !== undefined) throw new Error(`edit modal row key "${bad}" must match ${ROW_KEY_PATTERN}`);
  // Duplicate keys would mean duplicate block ids, which Slack rejects outright.
  if (new Set(keys).size !== keys.length) throw new Error('edit modal row keys must be unique');
}

function summaryBlock(input: EditModalInput): KnownBlock {
  const summary = markup`Editing *v${input.baseVersion}* of ${code(input.slug)} · weights must total 1.00\n${weightStatus(input.draft.competencies)} _(as drawn; Save checks what you type)_`;
  return summaryWithPartMenu(SUMMARY_BLOCK_ID, summary, 'competencies');
}

/** Slack cannot update this as the user types (that needs dispatch on every keystroke), so it describes the draft. */
function weightStatus(rows: readonly EditDraftCompetency[]): string {
  if (rows.length === 0) return 'No competencies yet; add at least one.';
  let total = 0;
  let unreadable = 0;
  for (const row of rows) {
    const parsed = parseWeight(row.weight);
    if (parsed.ok) total += parsed.hundredths;
    else unreadable += 1;
  }
  if (unreadable > 0) {
    const which = unreadable === 1 ? '1 weight is' : `${unreadable} weights are`;
    return `The readable weights add up to ${formatWeight(total)}; ${which} not a number yet.`;
  }
  const imbalance = describeImbalance(total);
  return imbalance ? `:warning: ${imbalance}` : 'Weights add up to 1.00 :white_check_mark:';
}

function rowBlocks(row: EditDraftCompetency, index: number, values: Record<string, string>): KnownBlock[] {
  const label = row.name.trim() === '' ? 'New competency' : row.name.trim();
  const weight = row.weight.trim() === '' ? '—' : row.weight.trim();
  const id = (field: 'name' | 'id' | 'weight' | 'definition') => competencyBlockId(row.key, field);
  return [
    {
      type: 'section',
      block_id: competencyBlockId(row.key, 'header'),
      text: mrkdwn(markup`*${index + 1}. ${truncate(label, 150)}* · ${truncate(weight, 20)}`),
      accessory: {
        type: 'button',
        action_id: REMOVE_COMPETENCY_ACTION_ID,
        value: row.key,
        text: plain('Remove'),
        // A removed row's typed text is gone for good, so ask first.
        confirm: {
          title: plain('Remove competency?'),
          text: plain(
            truncate(`“${truncate(label, 150)}” and what you typed for it leave this draft. Nothing is saved until you press Save.`, 300),
          ),
          confirm: plain('Remove'),
          deny: plain('Keep'),
          style: 'danger',
        },
      },
    },
    textInput(id('name'), 'Name', values, { maxLength: MAX_NAME_LENGTH, placeholder: 'e.g. Postgres Schema Design' }),
    textInput(id('id'), 'Id', values, { maxLength: 64, placeholder: 'lowercase letters, digits and _, e.g. postgres_schema_design' }),
    // Text, not number_input: "30%" and ".3" are valid weights and parseWeight is the one judge of them.
    textInput(id('weight'), 'Weight', values, { maxLength: 10, placeholder: '0.30, .3 or 30%' }),
    textInput(id('definition'), 'Definition', values, { multiline: true, maxLength: MAX_DEFINITION_LENGTH }),
  ];
}

function footerBlock(rowCount: number): KnownBlock {
  if (rowCount >= MAX_MODAL_COMPETENCIES) {
    return { type: 'context', block_id: ROWS_FOOTER_BLOCK_ID, elements: [mrkdwn(markup`${capReachedNotice()}`)] };
  }
  return {
    type: 'actions',
    block_id: ROWS_FOOTER_BLOCK_ID,
    elements: [{ type: 'button', action_id: ADD_COMPETENCY_ACTION_ID, value: 'add', text: plain('Add competency') }],
  };
}

function textInput(
  blockId: string,
  label: string,
  values: Record<string, string>,
  options: { multiline?: boolean; optional?: boolean; maxLength?: number; placeholder?: string } = {},
): InputBlock {
  const element: PlainTextInput = { type: 'plain_text_input', action_id: INPUT_ACTION_ID };
  const initial = values[blockId] ?? '';
  // Omitted rather than '' so an empty field shows its placeholder.
  if (initial !== '') element.initial_value = initial;
  if (options.multiline) element.multiline = true;
  if (options.maxLength !== undefined) element.max_length = options.maxLength;
  if (options.placeholder !== undefined) element.placeholder = plain(options.placeholder);
  return { type: 'input', block_id: blockId, label: plain(label), optional: options.optional ?? false, element };
}

function mrkdwn(text: Mrkdwn): slack.MrkdwnElement {
  return { type: 'mrkdwn', text: text.toString() };
}
