import { z } from 'zod';
import { PanelistError } from '../../domain/errors';
import { MAX_COMPETENCIES } from '../../domain/spec';
import { ROW_KEY_PATTERN, type EditDraft } from './draft';
import { competencyBlockId, INPUT_ACTION_ID, NOTE_BLOCK_ID, SLACK_MAX_PRIVATE_METADATA, TITLE_BLOCK_ID } from './ids';
import { phrase } from '../../domain/phrase';

/**
 * The part of a Slack view payload the modal reads back. Bolt's `ViewOutput` (view_submission and
 * block_actions bodies) fits it structurally; keeping it this narrow lets tests build payloads by hand.
 */
export interface EditModalPayload {
  private_metadata: string;
  state: { values: Record<string, Record<string, { value?: string | null }>> };
}

export interface EditModalMetadata {
  specId: string;
  slug: string;
  /** The version the user started from; the save fails clearly if it is no longer current. */
  baseVersion: number;
  /** Row keys in display order: the state values alone do not say which rows exist or their order. */
  keys: string[];
  /** Next row-key sequence number; only ever grows (see nextSequence). */
  seq: number;
  /** The slash command's response_url: a view has no channel, so this is how the save is announced where /spec edit was typed. */
  responseUrl?: string;
}

const metadataSchema = z.object({
  specId: z.string().min(1),
  slug: z.string(),
  baseVersion: z.number().int().min(1),
  // Looser than the modal cap on purpose: an over-long list must reach the parser, which says so inline.
  keys: z.array(z.string().regex(ROW_KEY_PATTERN)).max(MAX_COMPETENCIES * 2),
  seq: z.number().int().min(0),
  responseUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .optional(),
});

export function encodeMetadata(metadata: EditModalMetadata): string {
  const text = JSON.stringify(metadata);
  // Only keys and ids go in here, so this is a programming error, not something a user can cause.
  if (text.length > SLACK_MAX_PRIVATE_METADATA) {
    throw new Error(`edit modal private_metadata is ${text.length} chars; Slack allows ${SLACK_MAX_PRIVATE_METADATA}`);
  }
  return text;
}

/** Slack echoes back what we wrote, but it is still input crossing a boundary, so it is checked. */
export function decodeMetadata(text: string): EditModalMetadata {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = metadataSchema.safeParse(json);
  if (!parsed.success) {
    throw new PanelistError(
      'invalid_input',
      phrase`This edit form could not be read (it may be from an older version of Panelist). Close it and run \`/spec edit\` again.`,
    );
  }
  const keys = parsed.data.keys;
  if (new Set(keys).size !== keys.length) {
    throw new PanelistError(
      'invalid_input',
      phrase`This edit form is damaged (two rows share a key). Close it and run \`/spec edit\` again.`,
    );
  }
  return parsed.data;
}

/** Slack sends null for an input left empty; every reader here wants the text as typed, or ''. */
export function readInput(payload: EditModalPayload, blockId: string): string {
  const value: unknown = payload.state.values[blockId]?.[INPUT_ACTION_ID]?.value;
  // Slack sends a string or null; anything else is not from Slack's client and reads as empty.
  return typeof value === 'string' ? value : '';
}

/** The draft exactly as typed (untrimmed), so a rebuilt modal shows the user their own text. */
export function readDraft(payload: EditModalPayload, keys: readonly string[]): EditDraft {
  return {
    title: readInput(payload, TITLE_BLOCK_ID),
    competencies: keys.map((key) => ({
      key,
      name: readInput(payload, competencyBlockId(key, 'name')),
      id: readInput(payload, competencyBlockId(key, 'id')),
      weight: readInput(payload, competencyBlockId(key, 'weight')),
      definition: readInput(payload, competencyBlockId(key, 'definition')),
    })),
    note: readInput(payload, NOTE_BLOCK_ID),
  };
}
