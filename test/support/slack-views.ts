import type { FakeUser } from './fake-slack';

interface Option {
  value: string;
}

interface Block {
  type: string;
  block_id?: string;
  element?: { action_id: string; initial_value?: string; type: string; initial_option?: Option; initial_options?: Option[] };
  accessory?: { action_id: string; value?: string; options?: Option[] };
}

export interface SentView {
  callback_id: string;
  private_metadata: string;
  blocks: Block[];
  [key: string]: unknown;
}

/**
 * The state Slack would submit for a view whose inputs still hold their initial values, plus edits:
 * a text for a text input, an option's value for a select or radio buttons, '' or a value for checkboxes.
 */
export function stateOf(view: SentView, edits: Record<string, string> = {}) {
  const values: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const block of view.blocks) {
    if (block.type !== 'input' || !block.block_id || !block.element) continue;
    const { element } = block;
    const edit = edits[block.block_id];
    let state: Record<string, unknown>;
    if (element.type === 'radio_buttons' || element.type === 'static_select') {
      state = { selected_option: edit !== undefined ? { value: edit } : (element.initial_option ?? null) };
    } else if (element.type === 'checkboxes') {
      state = { selected_options: edit !== undefined ? (edit ? [{ value: edit }] : []) : (element.initial_options ?? []) };
    } else {
      state = { value: edit ?? element.initial_value ?? null };
    }
    values[block.block_id] = { [element.action_id]: { type: element.type, ...state } };
  }
  return { values };
}

export function viewSubmission(view: SentView, user: FakeUser, edits: Record<string, string> = {}) {
  return {
    type: 'view_submission',
    team: { id: 'T1', domain: 'acme' },
    user: { id: user.id, username: user.name, name: user.name, team_id: 'T1' },
    api_app_id: 'A1',
    token: 'deprecated-verification-token',
    trigger_id: 'trigger-submit',
    view: { ...view, id: 'V1', team_id: 'T1', type: 'modal', hash: 'h1', state: stateOf(view, edits) },
  };
}

export function blockAction(view: SentView, user: FakeUser, actionId: string, value?: string) {
  return {
    type: 'block_actions',
    team: { id: 'T1', domain: 'acme' },
    user: { id: user.id, username: user.name, name: user.name, team_id: 'T1' },
    api_app_id: 'A1',
    token: 'deprecated-verification-token',
    trigger_id: 'trigger-action',
    container: { type: 'view', view_id: 'V1' },
    view: { ...view, id: 'V1', team_id: 'T1', type: 'modal', hash: 'h1', state: stateOf(view) },
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1' }],
  };
}

/** A choice from an overflow menu (a must-have row's Move up / Remove, the part menu). */
export function overflowAction(view: SentView, user: FakeUser, actionId: string, value: string, edits: Record<string, string> = {}) {
  const body = blockAction(view, user, actionId);
  return {
    ...body,
    view: { ...body.view, state: stateOf(view, edits) },
    actions: [{ type: 'overflow', action_id: actionId, block_id: 'b', selected_option: { value }, action_ts: '1' }],
  };
}

/** Input block ids of the modal, in order, for one field ("weight", "id", …). */
export function inputIds(view: SentView, field: string): string[] {
  return view.blocks.filter((b) => b.type === 'input' && b.block_id?.endsWith(`:${field}`)).map((b) => b.block_id!);
}
