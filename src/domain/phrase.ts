/**
 * A sentence for a user, shared by both chat platforms and the CLI: words, and spans that are to be
 * typed or matched exactly (a command, a placeholder such as `<spec>`, a slug). The domain cannot
 * write either platform's markup, and a user's words quoted in a sentence must never become a span,
 * so the spans are kept apart from the words instead of being backticks in a string. Each renderer
 * turns a span into its own form: a code span in Slack, bold in Teams, backticks on a terminal.
 */
export interface PhrasePart {
  readonly text: string;
  /** true for a command, placeholder or identifier */
  readonly code: boolean;
}

export type PhraseValue = string | number | Phrase;

export class Phrase {
  private constructor(readonly parts: readonly PhrasePart[]) {}

  /** Internal: the only way parts become a Phrase, so adjacent parts of a kind are always merged. */
  static fromParts(parts: readonly PhrasePart[]): Phrase {
    const merged: PhrasePart[] = [];
    for (const part of parts) {
      if (part.text === '') continue;
      const last = merged[merged.length - 1];
      if (last && last.code === part.code) merged[merged.length - 1] = { text: last.text + part.text, code: part.code };
      else merged.push(part);
    }
    return new Phrase(merged);
  }

  /** The words alone, spans included without marks. */
  get words(): string {
    return this.parts.map((part) => part.text).join('');
  }

  /** As the CLI and the logs have always shown it: spans in backticks. */
  toString(): string {
    return this.parts.map((part) => (part.code ? `\`${part.text}\`` : part.text)).join('');
  }

  toJSON(): string {
    return this.toString();
  }
}

/**
 * `phrase\`Usage: \\\`${prefix} show <spec>\\\`\`` : backticks written in the template itself open and
 * close spans; a value takes the kind of the place it is put in. A value's own backticks are only
 * characters, so no user text can open or close a span. A Phrase value keeps its spans (outside a
 * span) or is flattened into the span it is put in.
 */
export function phrase(strings: TemplateStringsArray, ...values: PhraseValue[]): Phrase {
  const parts: PhrasePart[] = [];
  let code = false;
  strings.forEach((chunk, index) => {
    const pieces = chunk.split('`');
    pieces.forEach((piece, at) => {
      if (at > 0) code = !code;
      parts.push({ text: piece, code });
    });
    if (index >= values.length) return;
    const value = values[index]!;
    if (value instanceof Phrase) parts.push(...(code ? [{ text: value.words, code }] : value.parts));
    else parts.push({ text: String(value), code });
  });
  // A template whose backticks do not pair is a mistake in our own text: fail where it was written.
  if (code) throw new Error(`unclosed \` in phrase: ${strings.join('…')}`);
  return Phrase.fromParts(parts);
}

/** Text with no spans at all: what any plain string means wherever a Phrase is expected. */
export function wordsOnly(text: string): Phrase {
  return Phrase.fromParts([{ text, code: false }]);
}

/** One span, e.g. a slug put into a sentence from a variable. */
export function code(text: string): Phrase {
  return Phrase.fromParts([{ text, code: true }]);
}

export function asPhrase(value: string | Phrase): Phrase {
  return value instanceof Phrase ? value : wordsOnly(value);
}

/** `items` joined by `separator` (plain words). */
export function joinPhrases(items: readonly Phrase[], separator: string): Phrase {
  return Phrase.fromParts(items.flatMap((item, index) => [...(index > 0 ? [{ text: separator, code: false }] : []), ...item.parts]));
}

/**
 * A sentence Panelist wrote as a string with backtick spans (the delivery pipeline's notices, which
 * carry no user text). Backticks that do not pair are kept as words.
 */
export function markedSpans(text: string): Phrase {
  const pieces = text.split('`');
  if (pieces.length % 2 === 0) return wordsOnly(text);
  return Phrase.fromParts(pieces.map((piece, index) => ({ text: piece, code: index % 2 === 1 })));
}
