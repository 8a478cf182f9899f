/** Small, pure text helpers for Teams cards and messages. */

/** One line, at most `max` characters (code points): untrusted names cannot forge extra lines. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Adaptive Card TextBlocks render a markdown subset; untrusted text (names from the interview
 * platform, spec fields) is made inert by escaping the characters that markdown acts on.
 */
export function inert(text: string): string {
  return text.replace(/([\\*[\]])/g, '\\$1').replace(/`/g, '\u02cb').replace(/</g, '&lt;');
}

/** Only absolute http(s) URLs: anything else (javascript:, data:) is dropped. */
export function safeUrl(raw: string | null): string | null {
  if (raw === null) return null;
  try {
    const url = new URL(raw.trim());
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.href.length <= 2000 ? url.href : null;
  } catch {
    return null;
  }
}

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

/** Teams renders `{{DATE(…)}}` in the reader's locale and zone; the fallback text stays UTC. */
export function when(date: Date): string {
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`;
}

export function whenPlain(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function who(version: { authorPlatform: string; authorId: string; authorName: string | null }): string {
  if (version.authorPlatform === 'cli') return 'an import';
  return inert(oneLine(version.authorName ?? version.authorId, 100));
}
