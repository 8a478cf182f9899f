import type { App, BlockAction, ButtonAction, OverflowAction } from '@slack/bolt';
import type { types as slack } from '@slack/bolt';
import type { Logger } from 'pino';
import { errorReply, replyText } from '../conversation';
import {
  ADD_COMPETENCY_ACTION_ID,
  applyMustHaveAction,
  applyRowAction,
  buildPartModal,
  decodeMetadata,
  EDIT_PART_ACTION_ID,
  isEditPart,
  MUST_HAVE_ADD_ACTION_ID,
  MUST_HAVE_ROW_ACTION_ID,
  REMOVE_COMPETENCY_ACTION_ID,
  type EditModalPayload,
} from './edit-modal';
import { mrkdwn } from './render/mrkdwn';
import { SLACK_PREFIX } from './render/document';
import type { SlackServices } from './services';

type Client = Parameters<Parameters<App['action']>[1]>[0]['client'];
type ModalBody = { view?: EditModalPayload & { id: string; hash: string } };

/**
 * The edit modals' buttons and menus: each rebuilds the modal from what is typed (the action's
 * payload carries it) and swaps it in with views.update, so nothing unsaved is lost.
 */
export function registerModalActions(app: App, services: SlackServices, logger: Logger): void {
  for (const actionId of [ADD_COMPETENCY_ACTION_ID, REMOVE_COMPETENCY_ACTION_ID] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      await update(client, body, logger, actionId, (view) => applyRowAction(view, { action_id: actionId, value: action.value }));
    });
  }
  app.action<BlockAction<ButtonAction>>(MUST_HAVE_ADD_ACTION_ID, async ({ ack, body, client }) => {
    await ack();
    await update(client, body, logger, MUST_HAVE_ADD_ACTION_ID, (view) => applyMustHaveAction(view, { add: true }));
  });
  app.action<BlockAction<OverflowAction>>(MUST_HAVE_ROW_ACTION_ID, async ({ ack, body, action, client }) => {
    await ack();
    const choice = action.selected_option?.value ?? '';
    await update(client, body, logger, MUST_HAVE_ROW_ACTION_ID, (view) => applyMustHaveAction(view, { choice }));
  });
  app.action<BlockAction<OverflowAction>>(EDIT_PART_ACTION_ID, async ({ ack, body, action, client }) => {
    await ack();
    const part = action.selected_option?.value;
    const log = logger.child({ action: EDIT_PART_ACTION_ID, team: body.team?.id, user: body.user.id });
    if (!body.view || !isEditPart(part)) return;
    let next: slack.ModalView;
    try {
      const metadata = decodeMetadata(body.view.private_metadata);
      const context = await services.actors.resolve(client, body.team?.id ?? body.user.team_id ?? '', body.user.id, body.user.name);
      const spec = await services.specs.openForEdit(context, metadata.specId);
      next = buildPartModal(spec, part, metadata.responseUrl);
    } catch (error) {
      next = refusalModal(replyText(errorReply(error, log), SLACK_PREFIX));
    }
    await update(client, body, log, EDIT_PART_ACTION_ID, () => next);
  });
}

async function update(
  client: Client,
  body: ModalBody,
  logger: Logger,
  actionId: string,
  rebuild: (view: EditModalPayload) => slack.ModalView,
): Promise<void> {
  if (!body.view) return;
  try {
    await client.views.update({ view_id: body.view.id, hash: body.view.hash, view: rebuild(body.view) });
  } catch (error) {
    // hash_conflict: a second click raced the first; the newer view already shows the change.
    if ((error as { data?: { error?: string } }).data?.error === 'hash_conflict') return;
    logger.error({ err: error, action: actionId }, 'could not update the edit modal');
  }
}

/** In place of the form, when the part cannot be opened (the spec is gone, the right was revoked). */
function refusalModal(text: string): slack.ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Edit spec' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: mrkdwn`:warning: ${text}`.toString() } }],
  };
}
