import type { Phrase } from '../../domain/phrase';

/**
 * Slack's one escaping rule. Every text Panelist puts where Slack parses mrkdwn (section, context and
 * field texts, and a message's top-level `text`, which Slack parses too) is a `Mrkdwn`. Only this
 * module makes one: the `mrkdwn` tag, whose template text is ours and whose every value is escaped,
 * and the builders below, which check what they are given. So a reply cannot forget to escape.
 */
class Mrkdwn {
  // A private field makes the type nominal: an object literal cannot pass for one.
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  get length(): number {
    return this.#text.length;
  }

  toString(): string {
    return this.#text;
  }

  toJSON(): string {
    return this.#text;
  }
}

// Only the type leaves this module; the class (and so `new`) stays here.
export type { Mrkdwn };

const trusted = (text: string) => new Mrkdwn(text);

export type MrkdwnValue = string | number | Mrkdwn;

/** `mrkdwn\`*${title}* · v${n}\``: the template is markup, every value is made inert by `literal`. */
export function mrkdwn(strings: TemplateStringsArray, ...values: MrkdwnValue[]): Mrkdwn {
  let out = strings[0]!;
  values.forEach((value, index) => {
    out += escapeValue(value) + strings[index + 1]!;
  });
  return trusted(out);
}

function escapeValue(value: MrkdwnValue): string {
  return value instanceof Mrkdwn ? value.toString() : literal(String(value));
}

/** The three characters Slack documents as control characters; enough inside a code span. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Untrusted text made inert. `& < >` are escaped as Slack documents, which stops mentions,
 * `<!channel>` and links. Slack has no escape for `* _ ~ \``, so they become look-alikes, except an
 * `_` between two letters or digits, which Slack never reads as italics (`postgres_schema_design`
 * stays as typed, and copyable).
 */
export function literal(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  const chars = Array.from(text);
  return chars.map((_, index) => escapeAt(chars, index)).join('');
}

const LOOK_ALIKES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '*': '\u2217',
  _: '\u02cd',
  '~': '\u223c',
  '`': '\u02cb',
};
const WORD = /[\p{L}\p{N}]/u;
/** Text without any of LOOK_ALIKES' characters is its own escape (most names are): no need to walk it. */
const NEEDS_ESCAPE = /[&<>*_~`]/;

/** One code point of `chars`, escaped; its neighbours decide an `_`. */
function escapeAt(chars: readonly string[], index: number): string {
  const char = chars[index]!;
  if (char === '_' && WORD.test(chars[index - 1] ?? '') && WORD.test(chars[index + 1] ?? '')) return char;
  return LOOK_ALIKES[char] ?? char;
}

/**
 * Untrusted text made inert (see `literal`) and at most `max` characters as sent, ellipsis included.
 * The cap counts escaped characters, since escaping can quintuple a name ("&" → "&amp;"), and cuts
 * between code points, never inside an entity or a surrogate pair. Newlines and controls become
 * spaces (see oneLine in text.ts).
 */
export function fit(text: string, max: number): Mrkdwn {
  // More than max + 1 code points can never be shown, so no more are looked at.
  const flat = text.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  // UTF-16 units bound code points from above: short text with nothing to escape is sent as it is.
  if (flat.length <= max && !NEEDS_ESCAPE.test(flat)) return trusted(flat);
  const chars = Array.from(flat.slice(0, 2 * max + 2)).slice(0, max + 1);
  let out = '';
  for (let index = 0; index < chars.length; index += 1) {
    const piece = escapeAt(chars, index);
    const room = index < chars.length - 1 ? max - 1 : max;
    if (out.length + piece.length > room) {
      // An `_` kept between two letters would now stand before the ellipsis.
      return trusted(`${out.endsWith('_') ? `${out.slice(0, -1)}\u02cd` : out}…`);
    }
    out += piece;
  }
  return trusted(out);
}

/**
 * A code span: what is typed exactly (commands, slugs, ids, placeholders). Slack formats nothing in
 * it, but still reads `& < >` (so `<spec>` must be `&lt;spec&gt;` to show as written), and a backtick
 * would end it.
 */
export function code(text: string): Mrkdwn {
  return trusted(`\`${escapeMrkdwn(text).replace(/`/g, '\u02cb')}\``);
}

/** A command's sentence: its spans as code spans, its words escaped. */
export function fromPhrase(phrase: Phrase): Mrkdwn {
  return trusted(phrase.parts.map((part) => (part.code ? code(part.text).toString() : literal(part.text))).join(''));
}

/** `items` joined by `separator`, which is escaped like any value. */
export function joinMrkdwn(items: readonly Mrkdwn[], separator: string): Mrkdwn {
  return trusted(items.map(String).join(literal(separator)));
}

const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** `<@U123>` for a Slack user id; anything else is shown as text, never as a mention. */
export function mention(userId: string): Mrkdwn {
  return USER_ID.test(userId) ? trusted(`<@${userId}>`) : mrkdwn`${userId}`;
}

const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

/** `<#C123>` for a Slack channel id; anything else is shown as text, never as a link. */
export function channelLink(channelId: string): Mrkdwn {
  return CHANNEL_ID.test(channelId) ? trusted(`<#${channelId}>`) : mrkdwn`${channelId}`;
}

/** A date in the reader's zone, with a UTC fallback for clients that cannot. */
export function date(at: Date): Mrkdwn {
  const seconds = Math.floor(at.getTime() / 1000);
  return trusted(`<!date^${seconds}^{date_short_pretty} {time}|${at.toISOString().slice(0, 16).replace('T', ' ')} UTC>`);
}

// `|` ends the target of a Slack link and `<>&` are its delimiters/escapes, so none may appear raw.
export function linkTarget(href: string): string {
  return escapeMrkdwn(href).replace(/\|/g, '%7C');
}

/** `<url|label>` for an http(s) URL that `safeUrl` passed; `label` alone when there is none. */
export function link(href: string | null, label: Mrkdwn): Mrkdwn {
  if (href === null || !/^https?:\/\//i.test(href)) return label;
  return trusted(`<${linkTarget(href)}|${label.toString()}>`);
}

/**
 * At most `max` characters, cut on a character boundary with an ellipsis, and never inside an entity
 * (`&amp;`) or one of our `<…>` tokens, which would show their insides as text.
 */
export function clip(text: Mrkdwn, max = 2900): Mrkdwn {
  // Every block builder comes through here: a string cast to Mrkdwn is caught at run time as well.
  if (!(text instanceof Mrkdwn)) throw new TypeError('block text must be Mrkdwn (the mrkdwn tag), not a string');
  const raw = text.toString();
  if (raw.length <= max) return text;
  let cut = raw.slice(0, max - 1);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.includes(';', amp)) cut = cut.slice(0, amp);
  const open = cut.lastIndexOf('<');
  if (open >= 0 && !cut.includes('>', open)) cut = cut.slice(0, open);
  return trusted(`${cut}…`);
}
