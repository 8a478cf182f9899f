import type { types as slack } from '@slack/bolt';
import { mrkdwn as markup } from '../render/mrkdwn';
import { INPUT_ACTION_ID } from './ids';
import { encodeMetadata, type EditModalMetadata } from './state';

/** Pieces every edit modal draws the same way. */

export function plain(text: string): slack.PlainTextElement {
  return { type: 'plain_text', text, emoji: true };
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Why an action was refused (or what belongs to no field), above the rows. */
export function errorLine(blockId: string, errors: readonly string[]): slack.ContextBlock {
  const lines = errors
    .filter((e) => e.trim() !== '')
    .slice(0, 5)
    .map((e) => `:warning: ${truncate(e, 500)}`)
    .join('\n');
  return { type: 'context', block_id: blockId, elements: [{ type: 'mrkdwn', text: markup`${lines}`.toString() }] };
}

/** "What changed and why": optional, shown in history beside the version. */
export function noteInput(blockId: string, note: string): slack.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain('What changed and why'),
    optional: true,
    element: {
      type: 'plain_text_input',
      action_id: INPUT_ACTION_ID,
      multiline: true,
      ...(note === '' ? {} : { initial_value: note }),
      placeholder: plain('e.g. Raised Postgres weight after the March debrief'),
    },
  };
}

/** Where every edit modal starts from: the spec, the version it was opened on, where to confirm. */
export interface ModalOrigin {
  specId: string;
  slug: string;
  baseVersion: number;
  responseUrl?: string;
}

/** An edit modal: Save and Cancel, and the origin and row keys carried in private_metadata. */
export function editModal(
  callbackId: string,
  title: string,
  origin: ModalOrigin,
  rows: { keys: string[]; seq: number },
  blocks: slack.KnownBlock[],
): slack.ModalView {
  const metadata: EditModalMetadata = {
    specId: origin.specId,
    slug: origin.slug,
    baseVersion: origin.baseVersion,
    keys: rows.keys,
    seq: rows.seq,
    ...(origin.responseUrl === undefined ? {} : { responseUrl: origin.responseUrl }),
  };
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title),
    submit: plain('Save'),
    close: plain('Cancel'),
    private_metadata: encodeMetadata(metadata),
    blocks,
  };
}
