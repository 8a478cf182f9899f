import { phrase } from '../../src/domain/phrase';
import { section } from '../../src/slack/render/blocks';
import { clip, code, date, fit as fitMrkdwn, fromPhrase, joinMrkdwn, link, literal, mention, mrkdwn } from '../../src/slack/render/mrkdwn';

const HOSTILE = 'X <!channel> & <https://evil.example|click> *bold* _it_ ~s~ `code` <@U123> <#C123> <!here> &lt;';

describe('the mrkdwn tag', () => {
  it('escapes every value and keeps the template as markup', () => {
    const out = String(mrkdwn`*${HOSTILE}* · v${3}`);
    expect(out).toBe(
      '*X &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; ∗bold∗ ˍitˍ ∼s∼ ˋcodeˋ &lt;@U123&gt; &lt;#C123&gt; &lt;!here&gt; &amp;lt;* · v3',
    );
    expect(out).not.toMatch(/<[!@#h]/);
  });

  it('takes a Mrkdwn value as it is, so markup nests without being escaped twice', () => {
    const name = mrkdwn`${'R&D'}`;
    expect(String(mrkdwn`*${name}* in ${code('a_b')}`)).toBe('*R&amp;D* in `a_b`');
  });

  it('keeps an underscore between letters or digits (Slack never reads it as italics), and no other', () => {
    expect(literal('postgres_schema_design v2_1')).toBe('postgres_schema_design v2_1');
    expect(literal('_it_ a_ _b snake__x')).toBe('ˍitˍ aˍ ˍb snakeˍˍx');
    expect(literal('ü_ü 日_本')).toBe('ü_ü 日_本');
  });

  it('escapes a joined list’s separator too', () => {
    expect(String(joinMrkdwn([mrkdwn`a`, mrkdwn`b`], ' <!here> '))).toBe('a &lt;!here&gt; b');
  });

  it('cannot be forged by a string or a plain object (the type checker refuses it; a cast fails at run time)', () => {
    // @ts-expect-error a string is not Mrkdwn: it has to go through the tag
    expect(() => section('<!channel>')).toThrow();
    // @ts-expect-error nor is an object that looks like one
    expect(() => section({ toString: () => '<!channel>', length: 10 })).toThrow();
  });
});

describe('builders', () => {
  it('code spans escape & < > (Slack reads them even there) and cannot be closed by a backtick', () => {
    expect(String(code('/spec show <spec>'))).toBe('`/spec show &lt;spec&gt;`');
    expect(String(code('a` <!channel> `b'))).toBe('`aˋ &lt;!channel&gt; ˋb`');
    expect(String(code('*not bold* _kept_'))).toBe('`*not bold* _kept_`');
  });

  it('renders a phrase: spans as code spans, words escaped', () => {
    const user = '*x* `y` <!here>';
    expect(String(fromPhrase(phrase`No spec "${user}". Try \`/spec show <spec>\`.`))).toBe(
      'No spec "∗x∗ ˋyˋ &lt;!here&gt;". Try `/spec show &lt;spec&gt;`.',
    );
  });

  it('mentions only a user id, and shows anything else as text', () => {
    expect(String(mention('U0ADA'))).toBe('<@U0ADA>');
    expect(String(mention('U1> <!channel'))).toBe('U1&gt; &lt;!channel');
    expect(String(mention('here'))).toBe('here');
  });

  it('links only http(s), with the target escaped and the label as given', () => {
    expect(String(link('https://x.example/r?a=1&b=<2>|3', mrkdwn`${'<@U1>'}`))).toBe(
      '<https://x.example/r?a=1&amp;b=&lt;2&gt;%7C3|&lt;@U1&gt;>',
    );
    expect(String(link('javascript:alert(1)', mrkdwn`label`))).toBe('label');
    expect(String(link(null, mrkdwn`label`))).toBe('label');
  });

  it('writes a date token with a UTC fallback', () => {
    expect(String(date(new Date('2026-11-23T09:00:00Z')))).toBe('<!date^1795424400^{date_short_pretty} {time}|2026-11-23 09:00 UTC>');
  });
});

describe('cutting escaped text', () => {
  it('clip never leaves half an entity or half a token', () => {
    expect(String(clip(mrkdwn`${`${'a'.repeat(8)}&`}`, 10))).toBe('aaaaaaaa…');
    expect(String(clip(mrkdwn`aaaa ${date(new Date(0))}`, 12))).toBe('aaaa …');
    expect(String(clip(mrkdwn`${'a'.repeat(8)}😀😀`, 10))).toBe('aaaaaaaa…');
  });

  it('fit caps the escaped length, flattens lines, and never leaves a kept underscore before the ellipsis', () => {
    expect(String(fitMrkdwn('a&b', 10))).toBe('a&amp;b');
    expect(String(fitMrkdwn('a&b', 5))).toBe('a…');
    expect(String(fitMrkdwn('line\n> quote', 40))).toBe('line &gt; quote');
    expect(String(fitMrkdwn('ab_cd', 4))).toBe('abˍ…');
    expect(String(fitMrkdwn('ab_cd', 5))).toBe('ab_cd');
  });

  it('fit sends short plain text as it is and cuts it at exactly max characters, ellipsis included', () => {
    expect(String(fitMrkdwn('  Payments\tPlatform  ', 20))).toBe('Payments Platform');
    expect(String(fitMrkdwn('abcde', 5))).toBe('abcde');
    expect(String(fitMrkdwn('abcdef', 5))).toBe('abcd…');
    // counted as sent, in UTF-16 units: the emoji is two
    expect(String(fitMrkdwn('日本語😀', 5))).toBe('日本語😀');
    expect(String(fitMrkdwn('日本語😀x', 5))).toBe('日本語…');
  });
});
