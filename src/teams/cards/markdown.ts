import type { Phrase } from '../../domain/phrase';

/**
 * Teams' one escaping rule. Card TextBlocks and Fact titles and values, and a message's markdown
 * text, all read a markdown subset (bold, italics, lists, `[label](url)`), so every text Panelist puts
 * there is a `TeamsMarkdown`: made only by the `md` tag, whose template text is ours and whose every
 * value is escaped, and by the builders below, which check what they are given.
 */
class TeamsMarkdown {
  // A private field makes the type nominal: an object literal cannot pass for one.
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  toString(): string {
    return this.#text;
  }

  toJSON(): string {
    return this.#text;
  }
}

// Only the type leaves this module; the class (and so `new`) stays here.
export type { TeamsMarkdown };

const trusted = (text: string) => new TeamsMarkdown(text);

export type MarkdownValue = string | number | TeamsMarkdown;

/** `md\`**${name}** · v${n}\``: the template is markup, every value is made inert by `inert`. */
export function md(strings: TemplateStringsArray, ...values: MarkdownValue[]): TeamsMarkdown {
  let out = strings[0]!;
  let openBracket = false;
  const append = (piece: string, untrusted: boolean) => {
    if (piece === '') return;
    // A value's closing `]` must not meet a `(`, `[` or `:` after it: that would make it a link.
    if (openBracket && /^[([:]/.test(piece)) out = `${out.slice(0, -1)}${CLOSE_LINK}`;
    out += piece;
    openBracket = untrusted && piece.endsWith(']');
  };
  values.forEach((value, index) => {
    if (value instanceof TeamsMarkdown) append(value.toString(), false);
    else append(inert(String(value)), true);
    append(strings[index + 1]!, false);
  });
  return trusted(out);
}

export function isMarkdown(value: unknown): value is TeamsMarkdown {
  return value instanceof TeamsMarkdown;
}

/**
 * Look-alikes rather than backslashes: Teams' mobile clients show a backslash escape as typed. A `]`
 * right before `(`, `[` or `:` becomes one too, so no `[label](url)`, reference or definition forms
 * while `[private]` still reads as written. `<`, `>` and an entity's `&` are entities, so no tag,
 * `<at>` mention or already-escaped `&lt;` is read. An `_` between two letters or digits is never
 * emphasis in markdown and stays, so ids like `postgres_schema_design` read (and copy) as they are.
 */
const LOOK_ALIKES: Record<string, string> = {
  '\\': '\u29f5',
  '*': '\u2217',
  _: '\u02cd',
  '~': '\u223c',
  '`': '\u02cb',
  '<': '&lt;',
  '>': '&gt;',
};
const CLOSE_LINK = '\uff3d';
const WORD = /[\p{L}\p{N}]/u;
// Only an `&` that starts an entity is escaped: "R&D" stays as typed for a client that decodes nothing.
const ENTITY_START = /&(?=(?:#x?[0-9a-f]{1,8}|[a-z][a-z0-9]{0,31});)/gi;

/** Untrusted text made inert for Teams markdown (see LOOK_ALIKES). */
export function inert(text: string): string {
  return lookAlikes(text.replace(ENTITY_START, '&amp;'), LOOK_ALIKES);
}

function lookAlikes(text: string, table: Record<string, string>): string {
  const chars = Array.from(text);
  return chars
    .map((char, index) => {
      const before = chars[index - 1] ?? '';
      const after = chars[index + 1] ?? '';
      if (char === '_' && WORD.test(before) && WORD.test(after)) return char;
      if (char === ']' && /[([:]/.test(after)) return CLOSE_LINK;
      return table[char] ?? char;
    })
    .join('');
}

/**
 * What is typed exactly (commands, placeholders, slugs, ids). Cards have no code spans (a backtick
 * shows as one), so it is bold; the same in messages, so a pipeline message turned into a card reads
 * the same. Never put it inside bold of our own.
 */
export function code(text: string): TeamsMarkdown {
  return trusted(`**${inert(text)}**`);
}

/** A domain sentence: its spans as `code`, its words escaped. */
export function fromPhrase(phrase: Phrase): TeamsMarkdown {
  return trusted(phrase.parts.map((part) => (part.code ? code(part.text).toString() : inert(part.text))).join(''));
}

/** `items` joined by `separator`, which is escaped like any value. */
export function joinMarkdown(items: readonly TeamsMarkdown[], separator: string): TeamsMarkdown {
  return trusted(items.map(String).join(inert(separator)));
}

/** `[label](url)` for an absolute http(s) URL; the label alone for anything else. */
export function link(href: string | null, label: TeamsMarkdown): TeamsMarkdown {
  if (href === null || !/^https?:\/\/[^\s]+$/i.test(href)) return label;
  // A parenthesis or bracket would end the link's target early.
  const target = href.replace(/[()[\]<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return trusted(`[${label.toString()}](${target})`);
}

/** Teams renders `{{DATE(…)}}` in the reader's locale and zone; the fallback text stays UTC. */
export function date(at: Date): TeamsMarkdown {
  const iso = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return trusted(`{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`);
}

const PLAIN_LOOK_ALIKES: Record<string, string> = { ...LOOK_ALIKES, '<': '\u2039', '>': '\u203a' };

/**
 * A message's summary (the notification's and activity feed's line): shown as plain text, but where
 * a client reads markup in it, none of it can act. Look-alikes only, no entities, since a plain
 * reader would show an entity as typed. One line, at most `max` characters.
 */
export function plainSummary(text: string, max = 400): string {
  const chars = Array.from(text.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim());
  return lookAlikes((chars.length <= max ? chars : [...chars.slice(0, max - 1), '…']).join(''), PLAIN_LOOK_ALIKES);
}
