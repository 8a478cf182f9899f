import { asPhrase, type Phrase } from './phrase';

/**
 * Coded errors the services raise and the chat adapters render in words. Every code maps to
 * something the user can do about it; `message` is already phrased for the user.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'invalid_spec'
  | 'spec_not_found'
  | 'spec_ambiguous'
  | 'version_not_found'
  | 'stale_version'
  | 'forbidden'
  | 'no_change'
  | 'not_linked';

export class PanelistError extends Error {
  /** The sentence with its command spans, for the chat renderers; `message` is it as plain text. */
  readonly phrase: Phrase;

  /** A string is words only (no spans); write the sentence with `phrase` to mark commands. */
  constructor(
    readonly code: ErrorCode,
    message: string | Phrase,
    readonly details: Record<string, unknown> = {},
  ) {
    super(String(message));
    this.name = 'PanelistError';
    this.phrase = asPhrase(message);
  }
}

export function isPanelistError(error: unknown): error is PanelistError {
  return error instanceof PanelistError;
}

/** A problem with one field of a spec; `path` names the field, e.g. ["competencies", 2, "weight"]. */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
}
