import { parseCommand } from '../../src/domain/command';
import { parseInterviewEvent } from '../../src/domain/interview-event';
import { validateSpecContent, type SpecContent } from '../../src/domain/spec';
import { findUnstorableText, unstorableCharacter } from '../../src/domain/text';
import { completed } from '../support/interview-events';

describe('text PostgreSQL cannot store', () => {
  it.each([
    ['a\u0000b', 'a NUL character (U+0000)'],
    ['\ud800', 'a broken character (half of a UTF-16 surrogate pair)'],
    ['x\udc00y', 'a broken character (half of a UTF-16 surrogate pair)'],
    ['🚀 naïve 日本', undefined],
    ['', undefined],
  ])('%j → %s', (text, problem) => {
    expect(unstorableCharacter(text)).toBe(problem);
  });

  it('finds the first bad string or key in a JSON value, with its path', () => {
    expect(findUnstorableText({ a: [1, 'ok', { b: 'x\u0000' }] })).toEqual({ path: ['a', 2, 'b'], problem: 'a NUL character (U+0000)' });
    expect(findUnstorableText({ 'k\ud800': 1 })).toMatchObject({ path: ['k\ud800'] });
    expect(findUnstorableText({ a: ['fine', 2, null, true] })).toBeUndefined();
  });

  it('refuses nesting deeper than 64 levels, and walks a megabyte of brackets in one pass', () => {
    const deep = JSON.parse(`${'['.repeat(65)}${']'.repeat(65)}`);
    expect(findUnstorableText(deep)).toEqual({ path: Array(64).fill(0), problem: 'more than 64 levels of nesting' });
    expect(findUnstorableText(JSON.parse(`${'['.repeat(64)}${']'.repeat(64)}`))).toBeUndefined();
    const huge = JSON.parse(`{"a":${'['.repeat(500_000)}${']'.repeat(500_000)}}`);
    expect(findUnstorableText(huge)?.problem).toBe('more than 64 levels of nesting');
  });

  it('a slash command carrying it is refused in words, not run', () => {
    const parsed = parseCommand('show \u0000\u0000');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && String(parsed.error)).toBe('The command contains a NUL character (U+0000); type it again without it.');
  });

  it('an interview event carrying it anywhere is refused with the field path', () => {
    const event = completed({ candidateName: 'Ada\u0000' });
    expect(parseInterviewEvent(event)).toEqual({
      ok: false,
      issues: [{ path: 'data.candidate.name', message: 'contains a NUL character (U+0000), which cannot be stored' }],
    });
    const extra = { ...completed(), note: '\ud800' };
    expect(parseInterviewEvent(extra)).toMatchObject({ ok: false, issues: [{ path: 'note' }] });
  });

  it('a spec document carrying it is refused at the field', () => {
    const content: SpecContent = {
      title: 'Payments',
      level: null,
      competencies: [{ id: 'ledgers', name: 'Ledgers', definition: 'Double entry', weight: 100 }],
      mustHaves: [{ text: 'Postgres \u0000', required: true }],
      interviewQuestions: { source: 'ai-generated', autoPublish: true, candidateSees: 3 },
      behavioralRound: { round: 2, mode: 'voice', prompts: 4, interviewer: 'Cal' },
    };
    expect(validateSpecContent(content)).toEqual([
      {
        path: ['mustHaves', 0, 'text'],
        message: 'It contains a NUL character (U+0000), which cannot be stored; remove it and send again.',
      },
    ]);
  });
});
