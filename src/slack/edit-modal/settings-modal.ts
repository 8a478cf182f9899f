import type { types as slack } from '@slack/bolt';
import { checkSettingsDraft, type SettingsDraft, type SettingsField } from '../../conversation';
import { PROMPT_COUNT, QUESTION_COUNT, type SpecContent } from '../../domain/spec';
import { code, mrkdwn as markup } from '../render/mrkdwn';
import { INPUT_ACTION_ID, NOTE_BLOCK_ID, SUMMARY_BLOCK_ID } from './ids';
import { summaryWithPartMenu } from './part-switch';
import { decodeMetadata, readInput, type EditModalMetadata, type EditModalPayload } from './state';
import { editModal, noteInput, plain } from './widgets';

/** The interview settings modal: how many questions a candidate sees, auto-publish, the behavioral round. */
export const SETTINGS_CALLBACK_ID = 'spec_edit_settings';

const BLOCKS: Record<SettingsField | 'autoPublish', string> = {
  candidateSees: 'q:candidate_sees',
  autoPublish: 'q:auto_publish',
  prompts: 'b:prompts',
  mode: 'b:mode',
};

export interface SettingsModalInput {
  specId: string;
  slug: string;
  baseVersion: number;
  content: Pick<SpecContent, 'interviewQuestions' | 'behavioralRound'>;
  responseUrl?: string;
}

export function buildSettingsModal(input: SettingsModalInput): slack.ModalView {
  const { interviewQuestions: questions, behavioralRound: round } = input.content;
  const summary = markup`Editing *v${input.baseVersion}* of ${code(input.slug)} · the AI interview questions and the behavioral round`;
  return editModal(SETTINGS_CALLBACK_ID, 'Interview settings', input, { keys: [], seq: 0 }, [
    summaryWithPartMenu(SUMMARY_BLOCK_ID, summary, 'settings'),
    select(BLOCKS.candidateSees, 'Interview questions the candidate sees', QUESTION_COUNT, questions.candidateSees),
    {
      type: 'input',
      block_id: BLOCKS.autoPublish,
      label: plain('Auto-publish'),
      optional: true,
      element: {
        type: 'checkboxes',
        action_id: INPUT_ACTION_ID,
        options: [AUTO_PUBLISH],
        ...(questions.autoPublish ? { initial_options: [AUTO_PUBLISH] } : {}),
      },
    },
    select(BLOCKS.prompts, `Behavioral round ${round.round}: prompts, walked through in order`, PROMPT_COUNT, round.prompts),
    {
      type: 'input',
      block_id: BLOCKS.mode,
      label: plain('Behavioral round by'),
      element: {
        type: 'radio_buttons',
        action_id: INPUT_ACTION_ID,
        options: [MODES.voice, MODES.text],
        ...(round.mode === 'voice' || round.mode === 'text' ? { initial_option: MODES[round.mode] } : {}),
      },
    },
    noteInput(NOTE_BLOCK_ID, ''),
  ]);
}

const AUTO_PUBLISH = { text: plain('Publish generated questions without review'), value: 'on' };
const MODES = { voice: { text: plain('Voice'), value: 'voice' }, text: { text: plain('Text'), value: 'text' } };

function select(blockId: string, label: string, range: { min: number; max: number }, current: number): slack.InputBlock {
  const options = Array.from({ length: range.max - range.min + 1 }, (_, i) => {
    const n = String(range.min + i);
    return { text: plain(n), value: n };
  });
  const initial = options.find((option) => option.value === String(current));
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    element: { type: 'static_select', action_id: INPUT_ACTION_ID, options, ...(initial ? { initial_option: initial } : {}) },
  };
}

type Choice = { selected_option?: { value?: unknown } | null; selected_options?: { value?: unknown }[] | null };

/** What was chosen; anything that is not a string (a tampered payload) reads as nothing chosen. */
function readSettingsDraft(payload: EditModalPayload): SettingsDraft {
  const values = payload.state.values as Record<string, Record<string, Choice>>;
  const chosen = (blockId: string) => {
    const value = values[blockId]?.[INPUT_ACTION_ID]?.selected_option?.value;
    return typeof value === 'string' ? value : '';
  };
  const checked = values[BLOCKS.autoPublish]?.[INPUT_ACTION_ID]?.selected_options;
  return {
    candidateSees: chosen(BLOCKS.candidateSees),
    autoPublish: Array.isArray(checked) && checked.some((option) => option?.value === 'on'),
    prompts: chosen(BLOCKS.prompts),
    mode: chosen(BLOCKS.mode),
    note: readInput(payload, NOTE_BLOCK_ID),
  };
}

export type SettingsSubmission =
  | {
      ok: true;
      metadata: EditModalMetadata;
      interviewQuestions: { candidateSees: number; autoPublish: boolean };
      behavioralRound: { prompts: number; mode: string };
      note: string;
    }
  | { ok: false; errors: Record<string, string> };

export function parseSettingsSubmission(payload: EditModalPayload): SettingsSubmission {
  const metadata = decodeMetadata(payload.private_metadata);
  const checked = checkSettingsDraft(readSettingsDraft(payload));
  if (!checked.ok) {
    const errors: Record<string, string> = {};
    for (const { target, message } of checked.problems) errors[target.kind === 'field' ? BLOCKS[target.field] : NOTE_BLOCK_ID] = message;
    return { ok: false, errors };
  }
  return {
    ok: true,
    metadata,
    interviewQuestions: { candidateSees: checked.candidateSees, autoPublish: checked.autoPublish },
    behavioralRound: { prompts: checked.prompts, mode: checked.mode },
    note: checked.note,
  };
}
