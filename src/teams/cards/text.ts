import { TextBlock } from '@microsoft/teams.cards';
import { isMarkdown, md, type TeamsMarkdown } from './markdown';

/** Small, pure text helpers for Teams cards and messages. */

/** One line, at most `max` characters (code points): untrusted names cannot forge extra lines. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}

/** A wrapping TextBlock; its text can only be TeamsMarkdown (see markdown.ts). */
export function textBlock(text: TeamsMarkdown, options: ConstructorParameters<typeof TextBlock>[1] = {}): TextBlock {
  // A string cast to TeamsMarkdown is caught at run time as well.
  if (!isMarkdown(text)) throw new TypeError('TextBlock text must be TeamsMarkdown (the md tag), not a string');
  return new TextBlock(text.toString(), { wrap: true, ...options });
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

export { date as when } from './markdown';

export function whenPlain(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function who(version: { authorPlatform: string; authorId: string; authorName: string | null }): TeamsMarkdown {
  if (version.authorPlatform === 'cli') return md`an import`;
  return md`${oneLine(version.authorName ?? version.authorId, 100)}`;
}
