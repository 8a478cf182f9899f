import type { VersionInfo } from '../../services/spec-views';
import { date, mention, mrkdwn, type Mrkdwn } from './mrkdwn';

/** Who made a version: a Slack author is mentioned, anyone else is named (escaped). */
export function who(version: Pick<VersionInfo, 'authorPlatform' | 'authorId' | 'authorName'>): Mrkdwn {
  if (version.authorPlatform === 'slack') return mention(version.authorId);
  if (version.authorPlatform === 'cli') return mrkdwn`an import`;
  return mrkdwn`${version.authorName ?? version.authorId}`;
}

export const when = date;

const MAX_URL = 2000;

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
