import type { FieldIssue } from '../../domain/errors';
import { validateCompetencies, type Competency, type SpecContent } from '../../domain/spec';
import { parseWeight } from '../../domain/weights';
import { unstorableCharacter, unstorableMessage } from '../../domain/text';
import { competencyBlockId, COMPETENCY_FIELDS, MAX_MODAL_COMPETENCIES, NOTE_BLOCK_ID, TITLE_BLOCK_ID, type CompetencyField } from './ids';
import { tooManyRowsInModal } from './messages';
import { decodeMetadata, readDraft, type EditModalPayload } from './state';

/** Only what the modal edits; the caller merges it over the current version (must-haves etc. stay). */
export type EditedContent = Pick<SpecContent, 'title' | 'competencies'>;

export type EditSubmission =
  | {
      ok: true;
      specId: string;
      slug: string;
      baseVersion: number;
      content: EditedContent;
      note: string;
      /** Present when the modal was opened with one (see EditModalInput.responseUrl). */
      responseUrl?: string;
    }
  /** Block id → message, ready for `ack({ response_action: 'errors', errors })`. */
  | { ok: false; errors: Record<string, string> };

/**
 * Reads a view_submission of the edit modal. Every problem the domain finds is pinned to the input
 * block it concerns so Slack shows it under that field. Throws PanelistError('invalid_input') only
 * when private_metadata is unreadable, which no field error could explain.
 */
export function parseEditSubmission(view: EditModalPayload): EditSubmission {
  const metadata = decodeMetadata(view.private_metadata);
  const keys = metadata.keys;
  const draft = readDraft(view, keys);
  const errors = new Map<string, string[]>();
  const add = (blockId: string, message: string) => errors.set(blockId, [...(errors.get(blockId) ?? []), message]);

  const title = draft.title.trim();
  if (title === '') add(TITLE_BLOCK_ID, 'The title is empty.');
  const note = draft.note.trim();
  for (const [blockId, text] of [
    [TITLE_BLOCK_ID, title],
    [NOTE_BLOCK_ID, note],
  ] as const) {
    const problem = unstorableCharacter(text);
    if (problem) add(blockId, unstorableMessage(problem));
  }

  const unreadableWeights = new Set<number>();
  const competencies: Competency[] = draft.competencies.map((row, index) => {
    const weight = parseWeight(row.weight);
    if (!weight.ok) {
      unreadableWeights.add(index);
      add(competencyBlockId(row.key, 'weight'), sentence(weight.message));
    }
    // Surrounding spaces are never meant (and would make "postgres_schema " an invalid id), so they go.
    return {
      id: row.id.trim(),
      name: row.name.trim(),
      definition: row.definition.trim(),
      weight: weight.ok ? weight.hundredths : 0,
    };
  });

  const lastKey = keys[keys.length - 1];
  const overCap = keys.length > MAX_MODAL_COMPETENCIES;
  if (overCap && lastKey !== undefined) add(competencyBlockId(lastKey, 'name'), tooManyRowsInModal(keys.length));

  for (const issue of validateCompetencies(competencies)) {
    const target = targetBlock(issue, keys, { overCap, unreadableWeights });
    if (target !== null) add(target, issue.message);
  }

  if (errors.size > 0) {
    return { ok: false, errors: Object.fromEntries([...errors].map(([block, messages]) => [block, messages.join(' ')])) };
  }
  return {
    ok: true,
    specId: metadata.specId,
    slug: metadata.slug,
    baseVersion: metadata.baseVersion,
    content: { title, competencies },
    note,
    ...(metadata.responseUrl === undefined ? {} : { responseUrl: metadata.responseUrl }),
  };
}

/** The input block a domain issue belongs under, or null when another message already covers it. */
function targetBlock(
  issue: FieldIssue,
  keys: readonly string[],
  context: { overCap: boolean; unreadableWeights: ReadonlySet<number> },
): string | null {
  const [root, second, field] = issue.path;
  const lastKey = keys[keys.length - 1];
  if (root !== 'competencies' || lastKey === undefined) return TITLE_BLOCK_ID;

  if (second === undefined) {
    // Zero rows is caught above (lastKey undefined); a count issue here is the domain's "too many",
    // which the modal's own, lower cap has already explained on the same rows.
    return context.overCap ? null : competencyBlockId(lastKey, 'name');
  }
  if (second === 'weights') {
    // A sum that leaves out an unreadable weight would mislead; that row's own error comes first.
    if (context.unreadableWeights.size > 0) return null;
    // The last weight is where the user is most likely to make up the difference.
    return competencyBlockId(lastKey, 'weight');
  }
  if (typeof second === 'number' && isCompetencyField(field)) {
    if (field === 'weight' && context.unreadableWeights.has(second)) return null;
    const key = keys[second];
    return key === undefined ? TITLE_BLOCK_ID : competencyBlockId(key, field);
  }
  return TITLE_BLOCK_ID;
}

function isCompetencyField(value: unknown): value is CompetencyField {
  return typeof value === 'string' && (COMPETENCY_FIELDS as readonly string[]).includes(value);
}

/** parseWeight phrases its messages as clauses; Slack shows them alone under a field. */
function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}
