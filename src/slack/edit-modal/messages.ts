import { MAX_MODAL_COMPETENCIES } from './ids';
import { phrase, type Phrase } from '../../domain/phrase';

/*
 * What the user reads when the modal's row cap or the one-row floor gets in the way. Shared by the
 * builder, the row actions and the submission parser so the same limit is explained the same way.
 */

const WHY_CAP = 'Slack allows 100 blocks per form';

/** For the caller to show instead of a modal when the spec is already over the cap. */
export function specTooLargeForModal(count: number, slug: string): Phrase {
  return phrase`This spec has ${count} competencies, but a Slack edit form holds at most ${MAX_MODAL_COMPETENCIES} (${WHY_CAP}). Change weights with \`/spec weights ${slug} <competency>=<weight> …\` instead.`;
}

/** Inline, on a submission that somehow carries more rows than the form can show. */
export function tooManyRowsInModal(count: number): string {
  const extra = count - MAX_MODAL_COMPETENCIES;
  return `A Slack edit form holds at most ${MAX_MODAL_COMPETENCIES} competencies and this one has ${count}; remove ${extra} before saving.`;
}

export function addRefusedAtCap(): string {
  return `A Slack edit form holds at most ${MAX_MODAL_COMPETENCIES} competencies (${WHY_CAP}); remove one before adding another.`;
}

/** Shown in place of the Add button, so its absence is not a mystery. */
export function capReachedNotice(): string {
  return `${MAX_MODAL_COMPETENCIES} competencies is the most one Slack edit form holds (${WHY_CAP}); remove one to add another.`;
}

export function lastRowRemovalRefused(): string {
  return 'A spec needs at least one competency, so the last one cannot be removed; change it instead.';
}
