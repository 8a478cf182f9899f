import type { FakeUser } from './fake-slack';

interface Block {
  type: string;
  block_id?: string;
  element?: { action_id: string; initial_value?: string; type: string };
  accessory?: { action_id: string; value?: string };
}

export interface SentView {
  callback_id: string;
  private_metadata: string;
  blocks: Block[];
  [key: string]: unknown;
}

/** The state Slack would submit for a view whose inputs still hold their initial values, plus edits. */
export function stateOf(view: SentView, edits: Record<string, string> = {}) {
  const values: Record<string, Record<string, { type: string; value: string | null }>> = {};
  for (const block of view.blocks) {
    if (block.type !== 'input' || !block.block_id || !block.element) continue;
    const value = edits[block.block_id] ?? block.element.initial_value ?? null;
    values[block.block_id] = { [block.element.action_id]: { type: block.element.type, value } };
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

/** Input block ids of the modal, in order, for one field ("weight", "id", …). */
export function inputIds(view: SentView, field: string): string[] {
  return view.blocks.filter((b) => b.type === 'input' && b.block_id?.endsWith(`:${field}`)).map((b) => b.block_id!);
}
