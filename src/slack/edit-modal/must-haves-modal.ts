import type { types as slack } from '@slack/bolt';
import { checkMustHavesDraft, MAX_MUST_HAVE_ROWS, moveRow, type MustHaveRow, type MustHavesDraft } from '../../conversation';
import { MAX_MUST_HAVE_LENGTH, type MustHave } from '../../domain/spec';
import { code, mrkdwn as markup } from '../render/mrkdwn';
import { nextSequence, rowKey } from './draft';
import { ERRORS_BLOCK_ID, INPUT_ACTION_ID, NOTE_BLOCK_ID, SUMMARY_BLOCK_ID } from './ids';
import { summaryWithPartMenu } from './part-switch';
import { decodeMetadata, readInput, type EditModalMetadata, type EditModalPayload } from './state';
import { editModal, errorLine, noteInput, plain, truncate } from './widgets';

/**
 * The must-haves modal: a row per must-have (its number and a menu to move or remove it, its
 * text, required or nice to have) in the order the platform lists them. Three blocks a row, so
 * the spec's cap of 20 fits well inside Slack's 100.
 */
export const MUST_HAVES_CALLBACK_ID = 'spec_edit_must_haves';
export const MUST_HAVE_ADD_ACTION_ID = 'must_have_add';
export const MUST_HAVE_ROW_ACTION_ID = 'must_have_row';
const FOOTER_BLOCK_ID = 'must_have_rows';

export const mustHaveBlockId = (key: string, field: 'header' | 'text' | 'required') => `m:${key}:${field}`;

export interface MustHavesModalInput {
  specId: string;
  slug: string;
  baseVersion: number;
  draft: MustHavesDraft;
  errors?: string[];
  responseUrl?: string;
}

export function mustHavesDraftOf(mustHaves: readonly MustHave[]): MustHavesDraft {
  return { rows: mustHaves.map((m, index) => ({ key: rowKey(index), text: m.text, required: m.required })), note: '' };
}

export function buildMustHavesModal(input: MustHavesModalInput, seqFloor = 0): slack.ModalView {
  const { rows } = input.draft;
  const keys = rows.map((row) => row.key);
  const summary = markup`Editing *v${input.baseVersion}* of ${code(input.slug)} · must-haves, in the order candidates are measured against them`;
  const blocks: slack.KnownBlock[] = [
    summaryWithPartMenu(SUMMARY_BLOCK_ID, summary, 'mustHaves'),
    ...(input.errors?.length ? [errorLine(ERRORS_BLOCK_ID, input.errors)] : []),
    ...(rows.length === 0
      ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: markup`No must-haves yet.`.toString() }] } as slack.ContextBlock]
      : rows.flatMap((row, index) => rowBlocks(row, index, rows.length))),
    footer(rows.length),
    noteInput(NOTE_BLOCK_ID, input.draft.note),
  ];
  return editModal(MUST_HAVES_CALLBACK_ID, 'Edit must-haves', input, { keys, seq: nextSequence(keys, seqFloor) }, blocks);
}

function rowBlocks(row: MustHaveRow, index: number, count: number): slack.KnownBlock[] {
  const moves = [
    ...(index > 0 ? [{ text: plain('Move up'), value: `up:${row.key}` }] : []),
    ...(index < count - 1 ? [{ text: plain('Move down'), value: `down:${row.key}` }] : []),
    { text: plain('Remove'), value: `remove:${row.key}` },
  ];
  const label = row.text.trim() === '' ? 'New must-have' : row.text.trim();
  return [
    {
      type: 'section',
      block_id: mustHaveBlockId(row.key, 'header'),
      text: { type: 'mrkdwn', text: markup`*${index + 1}.* ${truncate(label, 150)}`.toString() },
      accessory: { type: 'overflow', action_id: MUST_HAVE_ROW_ACTION_ID, options: moves },
    },
    {
      type: 'input',
      block_id: mustHaveBlockId(row.key, 'text'),
      label: plain(`Must-have ${index + 1}`),
      element: {
        type: 'plain_text_input',
        action_id: INPUT_ACTION_ID,
        max_length: MAX_MUST_HAVE_LENGTH,
        ...(row.text === '' ? {} : { initial_value: row.text }),
        placeholder: plain('e.g. 5+ years shipping production backend systems in Python'),
      },
    },
    {
      type: 'input',
      block_id: mustHaveBlockId(row.key, 'required'),
      label: plain('How it counts'),
      element: {
        type: 'radio_buttons',
        action_id: INPUT_ACTION_ID,
        options: [REQUIRED, NICE],
        initial_option: row.required ? REQUIRED : NICE,
      },
    },
  ];
}

const REQUIRED = { text: plain('Required'), value: 'required' };
const NICE = { text: plain('Nice to have'), value: 'nice' };

function footer(count: number): slack.KnownBlock {
  if (count >= MAX_MUST_HAVE_ROWS) {
    const text = `${MAX_MUST_HAVE_ROWS} must-haves is the most a spec holds; remove one to add another.`;
    return { type: 'context', block_id: FOOTER_BLOCK_ID, elements: [{ type: 'mrkdwn', text: markup`${text}`.toString() }] };
  }
  return {
    type: 'actions',
    block_id: FOOTER_BLOCK_ID,
    elements: [{ type: 'button', action_id: MUST_HAVE_ADD_ACTION_ID, value: 'add', text: plain('Add a must-have') }],
  };
}

/** The draft as typed; a choice Slack did not send (or a tampered one) reads as required. */
export function readMustHavesDraft(payload: EditModalPayload, keys: readonly string[]): MustHavesDraft {
  const values = payload.state.values as Record<string, Record<string, { selected_option?: { value?: unknown } | null }>>;
  return {
    rows: keys.map((key) => ({
      key,
      text: readInput(payload, mustHaveBlockId(key, 'text')),
      required: values[mustHaveBlockId(key, 'required')]?.[INPUT_ACTION_ID]?.selected_option?.value !== 'nice',
    })),
    note: readInput(payload, NOTE_BLOCK_ID),
  };
}

/** The modal after Add, or a row's Move up / Move down / Remove, rebuilt from what is typed. */
export function applyMustHaveAction(payload: EditModalPayload, action: { add: true } | { choice: string }): slack.ModalView {
  const metadata = decodeMetadata(payload.private_metadata);
  const draft = readMustHavesDraft(payload, metadata.keys);
  let seq = nextSequence(metadata.keys, metadata.seq);
  const errors: string[] = [];
  if ('add' in action) {
    if (draft.rows.length >= MAX_MUST_HAVE_ROWS) errors.push(`A spec holds at most ${MAX_MUST_HAVE_ROWS} must-haves.`);
    else draft.rows.push({ key: rowKey(seq++), text: '', required: true });
  } else {
    const [verb, key = ''] = action.choice.split(':');
    if (verb === 'up' || verb === 'down') draft.rows = moveRow(draft.rows, key, verb === 'up' ? -1 : 1);
    // An unknown key is a second click on a row already gone: nothing to do.
    if (verb === 'remove') draft.rows = draft.rows.filter((row) => row.key !== key);
  }
  const { specId, slug, baseVersion, responseUrl } = metadata;
  return buildMustHavesModal({ specId, slug, baseVersion, draft, errors, ...(responseUrl ? { responseUrl } : {}) }, seq);
}

export type MustHavesSubmission =
  | { ok: true; metadata: EditModalMetadata; mustHaves: MustHave[]; note: string }
  | { ok: false; errors: Record<string, string> };

export function parseMustHavesSubmission(payload: EditModalPayload): MustHavesSubmission {
  const metadata = decodeMetadata(payload.private_metadata);
  const checked = checkMustHavesDraft(readMustHavesDraft(payload, metadata.keys));
  if (checked.ok) return { ok: true, metadata, mustHaves: checked.mustHaves, note: checked.note };
  const errors: Record<string, string> = {};
  for (const { target, message } of checked.problems) {
    const block = target.kind === 'row' ? mustHaveBlockId(target.key, 'text') : NOTE_BLOCK_ID;
    errors[block] = errors[block] ? `${errors[block]} ${message}` : message;
  }
  return { ok: false, errors };
}
