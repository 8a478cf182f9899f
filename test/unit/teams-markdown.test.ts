import { phrase } from '../../src/domain/phrase';
import { code, date, fromPhrase, inert, joinMarkdown, link, md, plainSummary } from '../../src/teams/cards/markdown';
import { cardMessage, textMessage } from '../../src/teams/cards/message';
import { textBlock } from '../../src/teams/cards/text';
import { AdaptiveCard } from '@microsoft/teams.cards';

describe('the md tag', () => {
  it('escapes every value and keeps the template as markup', () => {
    const out = String(md`**${'*bold* _it_ ~s~ `code` \\ <at>x</at> &lt; R&D'}** · v${2}`);
    expect(out).toBe('**∗bold∗ ˍitˍ ∼s∼ ˋcodeˋ ⧵ &lt;at&gt;x&lt;/at&gt; &amp;lt; R&D** · v2');
  });

  it('never lets a value make a link, a reference or a definition, but leaves other brackets as written', () => {
    expect(inert('[phish](https://evil.example)')).toBe('[phish］(https://evil.example)');
    expect(inert('[x][ref]\n[ref]: https://evil.example')).toBe('[x］[ref]\n[ref］: https://evil.example');
    expect(inert('subscribe <spec|all> [private]')).toBe('subscribe &lt;spec|all&gt; [private]');
  });

  it('checks the seam between a value and what follows it', () => {
    expect(String(md`${'[phish'}${']'}(https://evil.example)`)).toBe('[phish］(https://evil.example)');
    expect(String(md`${'[phish]'}${'(https://evil.example)'}`)).toBe('[phish］(https://evil.example)');
    expect(String(md`${'[ok]'} done`)).toBe('[ok] done');
  });

  it('keeps an underscore between letters or digits, so ids read and copy as typed', () => {
    expect(inert('postgres_schema_design _x_')).toBe('postgres_schema_design ˍxˍ');
  });

  it('escapes only the & that starts an entity', () => {
    expect(inert('R&D & more &amp; &#60; &x')).toBe('R&D & more &amp;amp; &amp;#60; &x');
  });

  it('takes TeamsMarkdown values as they are, and escapes a joined list’s separator', () => {
    expect(String(md`${code('a_b')} and ${md`**${'*'}**`}`)).toBe('**a_b** and **∗**');
    expect(String(joinMarkdown([md`a`, md`b`], ' [x](y) '))).toBe('a [x］(y) b');
  });

  it('cannot be forged by a string or a plain object (the type checker refuses it; a cast fails at run time)', () => {
    // @ts-expect-error a string is not TeamsMarkdown: it has to go through the tag
    expect(() => textBlock('[phish](https://evil.example)')).toThrow(TypeError);
    // @ts-expect-error nor is an object that looks like one
    expect(() => textBlock({ toString: () => '[phish](https://evil.example)' })).toThrow(TypeError);
  });
});

describe('builders', () => {
  it('renders commands as bold, never as a code span (cards have none)', () => {
    expect(String(code('/spec show <spec>'))).toBe('**/spec show &lt;spec&gt;**');
    expect(String(fromPhrase(phrase`No spec "${'*x* [a](b)'}". \`list\` shows them.`))).toBe('No spec "∗x∗ [a］(b)". **list** shows them.');
  });

  it('links only absolute http(s) URLs, with brackets and parentheses in the target encoded', () => {
    expect(String(link('https://x.example/a_(b)', md`Open`))).toBe('[Open](https://x.example/a_%28b%29)');
    expect(String(link('javascript:alert(1)', md`Open`))).toBe('Open');
    expect(String(link(null, md`Open`))).toBe('Open');
  });

  it('writes a date for the reader’s zone', () => {
    expect(String(date(new Date('2026-11-23T09:00:00.000Z')))).toBe('{{DATE(2026-11-23T09:00:00Z, SHORT)}} {{TIME(2026-11-23T09:00:00Z)}}');
  });
});

describe('messages', () => {
  it('a summary is one inert line: look-alikes, no entities (it may be shown as typed)', () => {
    expect(plainSummary('X <!channel> [phish](https://e.example) *b*\nnext')).toBe('X ‹!channel› [phish］(https://e.example) ∗b∗ next');
    expect(plainSummary('a'.repeat(500), 10)).toBe(`${'a'.repeat(9)}…`);
    expect(cardMessage(new AdaptiveCard(), '*x*').summary).toBe('∗x∗');
  });

  it('a string given to textMessage (the pipeline’s notices) is escaped, its backtick pairs made bold', () => {
    expect(textMessage('I can’t post (<b>x</b> [a](b)); run `/spec subscribe …` there').text).toBe(
      'I can’t post (&lt;b&gt;x&lt;/b&gt; [a］(b)); run **/spec subscribe …** there',
    );
    expect(textMessage(md`**${'*'}**`).text).toBe('**∗**');
  });
});
