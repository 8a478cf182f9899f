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
    expect(ok('edit senior-backend-payments')).toEqual({ name: 'edit', spec: 'senior-backend-payments' });
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
});
