import { usageOf } from '../../src/domain/command';
import { PanelistError } from '../../src/domain/errors';
import { code, joinPhrases, markedSpans, phrase, wordsOnly } from '../../src/domain/phrase';

const spans = (p: { parts: readonly { text: string; code: boolean }[] }) =>
  p.parts.map((part) => [part.code ? 'code' : 'words', part.text]);

describe('phrase', () => {
  it('opens and closes spans only at backticks written in the template', () => {
    const slug = 'senior-backend-payments';
    expect(spans(phrase`You can read \`${slug}\` but not change it.`)).toEqual([
      ['words', 'You can read '],
      ['code', slug],
      ['words', ' but not change it.'],
    ]);
  });

  it('keeps a value’s own backticks as characters: a user cannot open or close a span', () => {
    const hostile = 'a` *bold* `b';
    expect(spans(phrase`No spec "${hostile}". \`list\` shows them.`)).toEqual([
      ['words', 'No spec "a` *bold* `b". '],
      ['code', 'list'],
      ['words', ' shows them.'],
    ]);
  });

  it('a value inside a span belongs to the span; a Phrase outside one keeps its spans', () => {
    expect(spans(phrase`Usage: \`/spec show ${'<spec>'}\``)).toEqual([
      ['words', 'Usage: '],
      ['code', '/spec show <spec>'],
    ]);
    expect(spans(phrase`Did you mean ${joinPhrases([code('a'), code('b')], ' or ')}?`)).toEqual([
      ['words', 'Did you mean '],
      ['code', 'a'],
      ['words', ' or '],
      ['code', 'b'],
      ['words', '?'],
    ]);
    expect(spans(phrase`\`x ${phrase`y \`z\``}\``)).toEqual([['code', 'x y z']]);
  });

  it('prints as the CLI always showed it, spans in backticks', () => {
    expect(String(usageOf('grant'))).toBe('`/spec grant @user <spec|all>`');
    expect(String(phrase`Run \`${'/spec help'}\`.`)).toBe('Run `/spec help`.');
    expect(JSON.stringify({ error: phrase`a \`b\`` })).toBe('{"error":"a `b`"}');
  });

  it('refuses a template whose backticks do not pair', () => {
    expect(() => phrase`broken \`span`).toThrow(/unclosed/);
  });

  it('a plain string is words only, wherever it is taken for a Phrase', () => {
    const error = new PanelistError('invalid_input', 'No `span` here');
    expect(spans(error.phrase)).toEqual([['words', 'No `span` here']]);
    expect(error.message).toBe('No `span` here');
    expect(spans(wordsOnly('`x`'))).toEqual([['words', '`x`']]);
  });

  it('reads the pipeline’s own sentences by their backtick pairs, and leaves an odd one as a character', () => {
    expect(spans(markedSpans('Invite me with `/invite @Panelist` there'))).toEqual([
      ['words', 'Invite me with '],
      ['code', '/invite @Panelist'],
      ['words', ' there'],
    ]);
    expect(spans(markedSpans('one ` only'))).toEqual([['words', 'one ` only']]);
  });
});
