import type { types as slack } from '@slack/bolt';
import type { EditPart } from '../../domain/spec-part-commands';
import type { Mrkdwn } from '../render/mrkdwn';

/** The overflow menu on each edit modal's first line: open another part of the same spec. */
export const EDIT_PART_ACTION_ID = 'spec_edit_part';

export const PART_LABELS: Record<EditPart, string> = {
  competencies: 'Competencies and weights',
  mustHaves: 'Must-haves',
  settings: 'Interview settings',
};

const PARTS = Object.keys(PART_LABELS) as EditPart[];

export function isEditPart(value: unknown): value is EditPart {
  return typeof value === 'string' && (PARTS as string[]).includes(value);
}

/**
 * A section with the modal's summary and the menu. The menu opens the other part on the current
 * version, so what was typed in this one and not saved is dropped: the confirm says so.
 */
export function summaryWithPartMenu(blockId: string, summary: Mrkdwn, current: EditPart): slack.SectionBlock {
  return {
    type: 'section',
    block_id: blockId,
    text: { type: 'mrkdwn', text: summary.toString() },
    accessory: {
      type: 'overflow',
      action_id: EDIT_PART_ACTION_ID,
      options: PARTS.filter((part) => part !== current).map((part) => ({
        text: { type: 'plain_text', text: `Edit ${PART_LABELS[part].toLowerCase()}`, emoji: true },
        value: part,
      })),
      confirm: {
        title: { type: 'plain_text', text: 'Open another part?' },
        text: { type: 'plain_text', text: 'What you typed here and did not save is dropped.' },
        confirm: { type: 'plain_text', text: 'Open' },
        deny: { type: 'plain_text', text: 'Stay' },
      },
    },
  };
}
