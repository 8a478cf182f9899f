import { paragraph, type Reply } from './document';

/** A new version saved: its number, its spec and what changed, in words. */
export function savedReply(saved: { number: number; slug: string; changes: string[] }, verb = 'Saved'): Reply {
  return paragraph(
    [
      `${verb} `,
      { strong: [`v${saved.number}`] },
      ' of ',
      { code: saved.slug },
      ': ',
      { user: `${saved.changes.join('; ')}.`, max: 2_000 },
    ],
    'ok',
  );
}
