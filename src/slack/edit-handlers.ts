import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Logger } from 'pino';
import { errorReply, replyText, savedReply } from '../conversation';
import type { SpecEdit } from '../services/specs';
import {
  EDIT_MODAL_CALLBACK_ID,
  MUST_HAVES_CALLBACK_ID,
  NOTE_BLOCK_ID,
  parseEditSubmission,
  parseMustHavesSubmission,
  parseSettingsSubmission,
  SETTINGS_CALLBACK_ID,
  type EditModalPayload,
} from './edit-modal';
import { registerModalActions } from './edit-modal-actions';
import { renderDocument, SLACK_PREFIX } from './render/document';
import type { SlackServices } from './services';

/** What a modal's submission asks to save, or the errors to show under its inputs. */
type ModalSave =
  | { ok: true; specId: string; baseVersion: number; changes: SpecEdit; note: string; responseUrl?: string }
  | { ok: false; errors: Record<string, string> };

const SAVES: Record<string, (view: EditModalPayload) => ModalSave> = {
  [EDIT_MODAL_CALLBACK_ID]: (view) => {
    const parsed = parseEditSubmission(view);
    return parsed.ok ? { ...parsed, changes: parsed.content } : parsed;
  },
  [MUST_HAVES_CALLBACK_ID]: (view) => {
    const parsed = parseMustHavesSubmission(view);
    if (!parsed.ok) return parsed;
    const { specId, baseVersion, responseUrl } = parsed.metadata;
    return {
      ok: true,
      specId,
      baseVersion,
      changes: { mustHaves: parsed.mustHaves },
      note: parsed.note,
      ...(responseUrl ? { responseUrl } : {}),
    };
  },
  [SETTINGS_CALLBACK_ID]: (view) => {
    const parsed = parseSettingsSubmission(view);
    if (!parsed.ok) return parsed;
    const { specId, baseVersion, responseUrl } = parsed.metadata;
    const { interviewQuestions, behavioralRound, note } = parsed;
    return {
      ok: true,
      specId,
      baseVersion,
      changes: { interviewQuestions, behavioralRound },
      note,
      ...(responseUrl ? { responseUrl } : {}),
    };
  },
};

/**
 * The edit modals' submissions and their buttons. A submission must be answered in the
 * acknowledgement (that is how Slack shows errors under fields), so it does its one short
 * transaction first; the confirmation goes out by response_url after the ack.
 */
export function registerEditHandlers(app: App, services: SlackServices, logger: Logger): void {
  for (const [callbackId, read] of Object.entries(SAVES)) {
    app.view<ViewSubmitAction>(callbackId, (args) => saveModal(args, read, services, logger.child({ view: callbackId })));
  }
  registerModalActions(app, services, logger);
}

async function saveModal(
  { ack, view, body, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs,
  read: (view: EditModalPayload) => ModalSave,
  services: SlackServices,
  logger: Logger,
): Promise<void> {
  const log = logger.child({ requestId: body.trigger_id ?? view.id, team: body.team?.id, user: body.user.id });
  let parsed: ModalSave;
  try {
    parsed = read(view);
  } catch (error) {
    return ack({ response_action: 'errors', errors: { [NOTE_BLOCK_ID]: failureText(error, log) } });
  }
  if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
  let saved;
  try {
    const context = await services.actors.resolve(client, body.team?.id ?? body.user.team_id ?? '', body.user.id, body.user.name);
    saved = await services.specs.edit(context, parsed.specId, {
      baseVersion: parsed.baseVersion,
      changes: parsed.changes,
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
}

/** A modal's field error is plain text: our own errors as written, anything else with its reference. */
export function failureText(error: unknown, log: Logger): string {
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
