import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Logger } from 'pino';
import { applyRowAction, EDIT_MODAL_CALLBACK_ID, NOTE_BLOCK_ID, parseEditSubmission } from './edit-modal';
import { ADD_COMPETENCY_ACTION_ID, REMOVE_COMPETENCY_ACTION_ID } from './edit-modal';
import { errorReply, replyText, savedReply } from '../conversation';
import { renderDocument, SLACK_PREFIX } from './render/document';
import type { SlackServices } from './services';

/**
 * The edit modal's submission and its Add/Remove buttons. A submission must be answered in the
 * acknowledgement (that is how Slack shows errors under fields), so it does its one short
 * transaction first; the confirmation goes out by response_url after the ack.
 */
export function registerEditHandlers(app: App, services: SlackServices, logger: Logger): void {
  app.view(EDIT_MODAL_CALLBACK_ID, async ({ ack, view, body, client }) => {
    const log = logger.child({
      requestId: (body as { trigger_id?: string }).trigger_id ?? view.id,
      view: EDIT_MODAL_CALLBACK_ID,
      team: body.team?.id,
      user: body.user.id,
    });
    let parsed;
    try {
      parsed = parseEditSubmission(view);
    } catch (error) {
      return ack({ response_action: 'errors', errors: { [NOTE_BLOCK_ID]: failureText(error, log) } });
    }
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    let saved;
    try {
      const context = await services.actors.resolve(client, body.team?.id ?? body.user.team_id ?? '', body.user.id, body.user.name);
      saved = await services.specs.edit(context, parsed.specId, {
        baseVersion: parsed.baseVersion,
        changes: parsed.content,
        note: parsed.note,
      });
    } catch (error) {
      // Stale version, lost permission, nothing changed: said under the note, the user's input kept.
      return ack({ response_action: 'errors', errors: { [NOTE_BLOCK_ID]: failureText(error, log) } });
    }
    await ack({ response_action: 'clear' });
    if (parsed.responseUrl) {
      // A view has no channel: the confirmation goes where `/spec edit` was typed.
      await postToResponseUrl(parsed.responseUrl, {
        response_type: 'ephemeral',
        replace_original: false,
        ...renderDocument(savedReply(saved)),
      }).catch((error: unknown) => log.warn({ err: error }, 'could not send the edit confirmation'));
    }
  });

  for (const actionId of [ADD_COMPETENCY_ACTION_ID, REMOVE_COMPETENCY_ACTION_ID] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      if (!body.view) return;
      try {
        const view = applyRowAction(body.view, { action_id: actionId, value: action.value });
        await client.views.update({ view_id: body.view.id, hash: body.view.hash, view });
      } catch (error) {
        // hash_conflict: a second click raced the first; the newer view already shows the change.
        if ((error as { data?: { error?: string } }).data?.error === 'hash_conflict') return;
        logger.error({ err: error, action: actionId }, 'could not update the edit modal');
      }
    });
  }
}

/** A modal's field error is plain text: our own errors as written, anything else with its reference. */
function failureText(error: unknown, log: Logger): string {
  return replyText(errorReply(error, log), SLACK_PREFIX);
}

async function postToResponseUrl(url: string, message: Record<string, unknown>): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`response_url answered ${response.status}`);
}
