import type { VersionInfo } from '../../services/spec-views';

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Section text is capped at 3,000 characters by Slack; cut on a character boundary with an ellipsis. */
export function clip(text: string, max = 2900): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function who(version: Pick<VersionInfo, 'authorPlatform' | 'authorId' | 'authorName'>): string {
  if (version.authorPlatform === 'slack') return `<@${version.authorId}>`;
  if (version.authorPlatform === 'cli') return 'an import';
  return escapeMrkdwn(version.authorName ?? version.authorId);
}

export function when(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${date.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
}

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

const MAX_URL = 2000;

/**
 * Makes untrusted text inert in mrkdwn. `& < >` are escaped as Slack documents, which stops mentions,
 * `<!channel>` and links. Slack has no escape for `* _ ~ \``, so they become look-alike characters;
 * otherwise a name like "*bold*" is rendered bold, and a backtick could close the code span around a slug.
 */
export function literal(text: string): string {
  return escapeMrkdwn(text)
    .replace(/\*/g, '\u2217')
    .replace(/_/g, '\u02cd')
    .replace(/~/g, '\u223c')
    .replace(/`/g, '\u02cb');
}

/**
 * One line, at most `max` characters. Newlines would let a name forge extra rows (or a quote block with
 * a leading ">"); the cap is applied before escaping, on code points, so neither an entity nor a
 * surrogate pair is cut in half.
 */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}

/** Only absolute http(s) URLs: anything else (javascript:, data:, relative paths) is dropped, not shown. */
export function safeUrl(raw: string | null): string | null {
  if (raw === null) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  // A link this long is not one a person follows, and it would eat the context element's budget.
  return url.href.length <= MAX_URL ? url.href : null;
}

// `|` ends the target of a Slack link and `<>&` are its delimiters/escapes, so none may appear raw.
export function linkTarget(href: string): string {
  return escapeMrkdwn(href).replace(/\|/g, '%7C');
}

/** Greedy: as many whole rows per section as fit, so no row is ever cut by the length cap. */
export function pack(rows: string[], budget: number): string[] {
  const sections: string[] = [];
  let current = '';
  for (const row of rows) {
    const line = clip(row, budget);
    if (current !== '' && current.length + 1 + line.length > budget) {
      sections.push(current);
      current = '';
    }
    current = current === '' ? line : `${current}\n${line}`;
  }
  if (current !== '') sections.push(current);
  return sections;
}
