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
