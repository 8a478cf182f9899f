import { MAX_COMMAND_LENGTH, parseCommand } from '../../src/domain/command';

const ok = (text: string) => {
  const parsed = parseCommand(text);
  if (!parsed.ok) throw new Error(`expected ${text} to parse: ${parsed.error}`);
  return parsed.command;
};
const error = (text: string) => {
  const parsed = parseCommand(text);
  if (parsed.ok) throw new Error(`expected ${text} to be refused`);
  return String(parsed.error);
};

describe('parseCommand', () => {
  it('treats an empty command as help', () => {
    expect(ok('')).toEqual({ name: 'help' });
    expect(ok('HELP')).toEqual({ name: 'help' });
  });

  it('reads the read-only commands', () => {
    expect(ok('list')).toEqual({ name: 'list' });
    expect(ok('show senior-backend-payments')).toEqual({ name: 'show', spec: 'senior-backend-payments' });
    expect(ok('history 58fd')).toEqual({ name: 'history', spec: '58fd' });
    expect(ok('edit senior-backend-payments')).toEqual({ name: 'edit', spec: 'senior-backend-payments', part: 'competencies' });
    expect(ok('edit senior-backend-payments must-haves')).toEqual({ name: 'edit', spec: 'senior-backend-payments', part: 'mustHaves' });
    expect(ok('edit senior-backend-payments Settings')).toEqual({ name: 'edit', spec: 'senior-backend-payments', part: 'settings' });
    expect(error('edit senior-backend-payments colours')).toBe(
      'Edit which part? Usage: `/spec edit <spec> [competencies|musthaves|settings]`',
    );
  });

  it('reads weights in all three notations, tolerating spaces around =', () => {
    expect(ok('weights spec a=0.3 b = 30% c=.30 d=0.05')).toEqual({
      name: 'weights',
      spec: 'spec',
      weights: [
        { competencyId: 'a', hundredths: 30 },
        { competencyId: 'b', hundredths: 30 },
        { competencyId: 'c', hundredths: 30 },
        { competencyId: 'd', hundredths: 5 },
      ],
    });
  });

  it('explains a bad weight and changes nothing', () => {
    expect(error('weights spec a=0.333')).toContain('a: 0.333 has more than two decimals');
    expect(error('weights spec a')).toContain('"a" is not <competency>=<weight>');
    expect(error('weights spec a=0.1 a=0.2')).toContain('a is given twice');
    expect(error('weights spec')).toContain('Which spec and which weights?');
  });

  it('reads revert with or without a v', () => {
    expect(ok('revert spec 2')).toEqual({ name: 'revert', spec: 'spec', version: 2 });
    expect(ok('revert spec v3')).toEqual({ name: 'revert', spec: 'spec', version: 3 });
    expect(error('revert spec two')).toContain('Which spec and which version number?');
  });

  it('reads escaped user mentions for grant and revoke', () => {
    expect(ok('grant <@U123|ada> senior-backend-payments')).toEqual({ name: 'grant', userId: 'U123', spec: 'senior-backend-payments' });
    expect(ok('revoke <@U123> ALL')).toEqual({ name: 'revoke', userId: 'U123', spec: 'all' });
    expect(error('grant @ada spec')).toContain('Mention one user');
  });

  it('suggests the nearest subcommand for a typo', () => {
    expect(error('shwo spec')).toContain('Did you mean `/spec show <spec>`?');
    expect(error('frobnicate')).toContain('`/spec help` lists every command');
  });

  it('asks for the missing spec', () => {
    expect(error('show')).toContain('Which spec?');
    expect(error('show a b')).toContain('Give one spec.');
  });

  it('refuses command text over the limit in words, before reading it', () => {
    const refusal = error(`show ${'x'.repeat(MAX_COMMAND_LENGTH)}`);
    expect(refusal).toContain('a command can be at most 4,000');
    expect(refusal).toContain('`/spec show senior-backend-payments`');
    expect(refusal.length).toBeLessThan(300);
    expect(ok(`show ${'x'.repeat(MAX_COMMAND_LENGTH - 5)}`)).toEqual({ name: 'show', spec: 'x'.repeat(MAX_COMMAND_LENGTH - 5) });
  });

  it('quotes a long unknown word back shortened', () => {
    const refusal = error(`${'y'.repeat(3_000)} spec`);
    expect(refusal).toContain(`I don't know "${'y'.repeat(60)}…"`);
    expect(refusal.length).toBeLessThan(200);
  });

  it('joins around = however many spaces, and names only the first few bad weights', () => {
    expect(ok(`weights spec a${' '.repeat(1_000)}=${' '.repeat(1_000)}30%`)).toMatchObject({
      weights: [{ competencyId: 'a', hundredths: 30 }],
    });
    const many = Array.from({ length: 200 }, (_, i) => `c${i}=2.5`).join(' ');
    const refusal = error(`weights spec ${many}`);
    expect(refusal).toContain('and 195 more');
    expect(refusal.length).toBeLessThan(600);
  });

  it('reads must-have changes, keeping the text as typed, commas and all', () => {
    expect(ok('musthave add payments  Go, Rust or  Kotlin in production ')).toEqual({
      name: 'musthave',
      spec: 'payments',
      change: { op: 'add', text: 'Go, Rust or  Kotlin in production' },
    });
    expect(ok('musthave edit payments 2 Strong SQL, Postgres')).toEqual({
      name: 'musthave',
      spec: 'payments',
      change: { op: 'edit', at: 2, text: 'Strong SQL, Postgres' },
    });
    expect(ok('MUSTHAVE move payments 4 1')).toEqual({ name: 'musthave', spec: 'payments', change: { op: 'move', at: 4, to: 1 } });
    expect(ok('musthave nice payments 3')).toEqual({ name: 'musthave', spec: 'payments', change: { op: 'nice', at: 3 } });
    expect(ok('musthave remove payments 1')).toEqual({ name: 'musthave', spec: 'payments', change: { op: 'remove', at: 1 } });
    expect(error('musthave add payments')).toBe('What should the must-have say? `/spec musthave add payments <text>`');
    expect(error('musthave remove payments two')).toContain('Give its number as `/spec show payments` lists them');
    expect(error('musthave remove payments 0')).toContain('Which must-have?');
    expect(error('musthave move payments 2')).toContain('Move must-have 2 to which place?');
    expect(error('musthave shout payments 2')).toContain('Add, edit, remove, move or mark a must-have');
  });

  it('reads the interview questions and behavioral round settings, each optional but one required', () => {
    expect(ok('questions payments 5')).toEqual({ name: 'questions', spec: 'payments', candidateSees: 5 });
    expect(ok('questions payments autopublish off 2')).toEqual({
      name: 'questions',
      spec: 'payments',
      autoPublish: false,
      candidateSees: 2,
    });
    expect(ok('questions payments auto-publish = on')).toEqual({ name: 'questions', spec: 'payments', autoPublish: true });
    expect(ok('behavioral payments text 6')).toEqual({ name: 'behavioral', spec: 'payments', mode: 'text', prompts: 6 });
    expect(error('questions payments 11')).toContain('"11" is not a number of questions from 1 to 10.');
    expect(error('questions payments autopublish maybe')).toContain('Auto-publish is `on` or `off`.');
    expect(error('questions payments')).toContain('How many questions should a candidate see');
    expect(error('behavioral payments video')).toContain('"video" is neither a number of prompts from 1 to 10 nor voice or text.');
    expect(error('behavioral payments')).toContain('How many prompts, and by voice or in text?');
  });
});
