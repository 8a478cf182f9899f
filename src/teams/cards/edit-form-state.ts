import { MAX_MUST_HAVE_ROWS } from '../../conversation';
import { asPhrase, joinPhrases, phrase, type Phrase } from '../../domain/phrase';
import { MAX_COMPETENCIES, SLUG_PATTERN } from '../../domain/spec';
import type { EditPart } from '../../domain/spec-part-commands';
import type { SpecView } from '../../services/spec-views';
import type { SpecEdit } from '../../services/specs';

/**
 * The edit card's own state and the shape every part's form shares. The state rides in each
 * action's `data`, which the client sends back and could change, so it is checked on the way in.
 */
export interface EditState {
  specId: string;
  slug: string;
  /** the version the form was opened on: a save on top of a newer one is refused */
  baseVersion: number;
  part: EditPart;
  /** the rows' keys in order (competencies or must-haves; settings have none) */
  keys: string[];
  /** only grows, so a removed row's key (and its typed values) is never reused */
  next: number;
}

/** A fresh form's state for one part of the spec as shown, with its rows' keys. */
export function stateFromSpec(view: SpecView, part: EditPart, keys: string[] = []): EditState {
  return { specId: view.id, slug: view.slug, baseVersion: view.version.number, part, keys, next: keys.length };
}

export const EDIT_PARTS: readonly EditPart[] = ['competencies', 'mustHaves', 'settings'];

/** input id → message, shown under that input (a string is words only; a Phrase may name commands) */
export type FieldErrors = Record<string, string | Phrase>;

export type CheckedForm = { ok: true; changes: SpecEdit; note: string } | { ok: false; errors: FieldErrors };

export type MoveDirection = 'up' | 'down';

/** One part's form with its draft: what each action does to it, and the card that shows it. */
export interface EditForm {
  readonly state: EditState;
  card(errors?: FieldErrors): Record<string, unknown>;
  add(): EditForm;
  remove(key: string): EditForm;
  move(key: string, direction: MoveDirection): EditForm;
  /** the core's rules for this part, each problem under its input */
  check(): CheckedForm;
}

export class BadEditState extends Error {
  constructor(readonly phrase: Phrase) {
    super(String(phrase));
  }
}

export const damagedForm = () =>
  new BadEditState(phrase`This form is damaged or from an older Panelist; open a new one with \`edit <spec>\`.`);

export function isEditPart(value: unknown): value is EditPart {
  return (EDIT_PARTS as readonly unknown[]).includes(value);
}

const MAX_ROWS: Record<EditPart, number> = { competencies: MAX_COMPETENCIES, mustHaves: MAX_MUST_HAVE_ROWS, settings: 0 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROW_KEY = /^[A-Za-z0-9_-]{1,32}$/;
/** far more rows than a form can ever add; a bigger counter is not one Panelist wrote */
const MAX_NEXT = 10_000;

/** The state as sent back. A form from before parts existed edited competencies, and still does. */
export function readEditState(raw: unknown): EditState {
  const s = raw as Partial<EditState> | undefined;
  const part = s?.part === undefined ? 'competencies' : s.part;
  if (
    !s ||
    typeof s.specId !== 'string' ||
    !UUID.test(s.specId) ||
    typeof s.slug !== 'string' ||
    !SLUG_PATTERN.test(s.slug) ||
    !Number.isInteger(s.baseVersion) ||
    s.baseVersion! < 1 ||
    !isEditPart(part) ||
    !Array.isArray(s.keys) ||
    s.keys.length > MAX_ROWS[part] ||
    !s.keys.every((k) => typeof k === 'string' && ROW_KEY.test(k)) ||
    new Set(s.keys).size !== s.keys.length ||
    !Number.isInteger(s.next) ||
    s.next! < 0 ||
    s.next! > MAX_NEXT
  ) {
    throw damagedForm();
  }
  return { specId: s.specId, slug: s.slug, baseVersion: s.baseVersion!, part, keys: s.keys, next: s.next! };
}

/** A new row's key: the counter's next, past any key already in use (a changed counter cannot make two rows one). */
export function nextKey(state: EditState, prefix: string): { key: string; state: EditState } {
  let next = state.next;
  while (state.keys.includes(`${prefix}${next}`)) next += 1;
  const key = `${prefix}${next}`;
  return { key, state: { ...state, keys: [...state.keys, key], next: next + 1 } };
}

/** An input's value as submitted; anything but a string (a missing input, a changed client) reads as empty. */
export function submitted(data: Record<string, unknown>, id: string): string {
  const value = data[id];
  return typeof value === 'string' ? value : '';
}

/** A second problem for the same input is added to the first. */
export function addError(errors: FieldErrors, id: string, message: string | Phrase): void {
  const before = errors[id];
  errors[id] = before === undefined ? message : joinPhrases([asPhrase(before), asPhrase(message)], ' ');
}
