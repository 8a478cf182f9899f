import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/main';
import { containing, type FoundText } from './payload-text';

/**
 * What a tester typed into every field that reaches a reply. Each piece would act if it reached a
 * renderer raw: a broadcast, a mention, a link, formatting, an entity that would show as `<`.
 */
export const PIECES = {
  broadcast: 'X <!channel> & <https://evil.example|click>',
  format: '*bold* _it_ ~s~ `code`',
  phish: '[phish](https://evil.example)',
  mentions: '<@U123> <#C123> <!here>',
  entity: '&lt;already&gt;',
};
export const ALL = Object.values(PIECES).join(' ');
/** Under MAX_NAME_LENGTH (100), for competency names and display names. */
export const NAME_ONE = `${PIECES.broadcast} ${PIECES.format}`;
export const NAME_TWO = `${PIECES.mentions} ${PIECES.entity} ${PIECES.phish}`;
/** One word, for command arguments (which split on spaces), under the 60 characters quoted back. */
export const WORD = '<!channel>*bold*_it_<@U123>[x](https://evil.example)';

/** Raw in any text a platform reads as markup, each of these would act. */
const LIVE_ANYWHERE = [
  '<!channel>',
  '<!here>',
  '<@U123>',
  '<#C123>',
  '<https://evil.example',
  '*bold*',
  '_it_',
  '~s~',
  '`code`',
  '&lt;already',
];
const LIVE_IN_TEAMS = ['[phish](https://evil.example)', '[x](https://evil.example)', '<at>'];

/** Escaped forms: present, they show the text arrived (a test cannot pass by dropping it). */
export const SLACK_ESCAPED = {
  broadcast: 'X &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;',
  format: '∗bold∗ ˍitˍ ∼s∼ ˋcodeˋ',
  mentions: '&lt;@U123&gt; &lt;#C123&gt; &lt;!here&gt;',
  entity: '&amp;lt;already&amp;gt;',
};
export const TEAMS_ESCAPED = {
  broadcast: 'X &lt;!channel&gt; & &lt;https://evil.example|click&gt;',
  format: '∗bold∗ ˍitˍ ∼s∼ ˋcodeˋ',
  phish: '[phish］(https://evil.example)',
  mentions: '&lt;@U123&gt; &lt;#C123&gt; &lt;!here&gt;',
  entity: '&amp;lt;already&amp;gt;',
};

/**
 * No markup text carries a live piece, and every `shown` escaped form is in one of them. Plain texts
 * (Slack's plain_text, a Teams summary) are shown as typed by the platform; `plainOk` says whether a
 * raw piece may sit there (Slack: yes; a Teams summary: only its look-alikes).
 */
export function expectInert(found: FoundText[], options: { platform: 'slack' | 'teams'; shown: string[] }): void {
  expect(found.length).toBeGreaterThan(0);
  const markup = found.filter((f) => f.kind === 'markup');
  const live = options.platform === 'teams' ? [...LIVE_ANYWHERE, ...LIVE_IN_TEAMS] : LIVE_ANYWHERE;
  for (const piece of live) expect(containing(markup, piece)).toEqual([]);
  if (options.platform === 'teams') {
    // Teams reads neither a tag nor a link in a summary, and no `<` may reach one at all.
    for (const piece of ['<', '[phish](', '*bold*'])
      expect(
        containing(
          found.filter((f) => f.kind === 'plain'),
          piece,
        ),
      ).toEqual([]);
  }
  const all = markup.map((f) => f.text).join('\n');
  for (const escaped of options.shown) expect(all).toContain(escaped);
}

/** A spec whose every text field is hostile; the title is also very long. */
export function hostileSpec(slug: string) {
  return {
    id: randomUUID(),
    slug,
    title: `${ALL} ${'long title '.repeat(400)}end`,
    level: PIECES.format,
    version: PIECES.mentions,
    competencies: [
      { id: 'evil_one', name: NAME_ONE, weight: '0.50', definition: `${ALL}\n> not a quote\n${'&'.repeat(1800)}` },
      { id: 'evil_two', name: NAME_TWO, weight: '0.50', definition: ALL },
    ],
    mustHaves: [
      { text: ALL, required: true },
      { text: PIECES.phish, required: false },
    ],
    interviewQuestions: { source: PIECES.broadcast, autoPublish: true, candidateSees: 3 },
    behavioralRound: { round: 2, mode: 'voice', prompts: 4, interviewer: `${PIECES.mentions} ${PIECES.format}` },
  };
}

/** `npx panelist specs import` in-process, against `databaseUrl`. */
export async function importSpec(databaseUrl: string, document: unknown): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'panelist-hostile-'));
  const file = path.join(folder, 'spec.json');
  const saved = { ...process.env };
  try {
    await writeFile(file, JSON.stringify(document));
    Object.assign(process.env, { DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
    const lines: string[] = [];
    const code = await runCli(['specs', 'import', file], (line) => lines.push(line));
    if (code !== 0) throw new Error(`specs import failed: ${lines.join('\n')}`);
  } finally {
    process.env = saved;
    await rm(folder, { recursive: true, force: true });
  }
}
