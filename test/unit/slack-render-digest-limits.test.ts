import {
  DIGEST_SPECS_PER_MESSAGE,
  digestMessageCount,
  renderDigestMessages,
  renderDigestPart,
  renderDigestText,
} from '../../src/slack/render/digest';
import { spec, idle, view, texts, sections, header, expectWithinSlackLimits } from './digest-fixtures';

describe('a long digest', () => {
  const SPECS = 40;
  const slug = (i: number) => `spec-${String(i).padStart(2, '0')}`;
  // Names at the 100-character cap a spec allows, and titles longer than that.
  const long = (label: string) => `${label} ${'Distributed Ledger Reconciliation & Settlement '.repeat(3)}`.slice(0, 100);
  const big = view({
    late: true,
    specs: Array.from({ length: SPECS }, (_, i) =>
      i % 7 === 3
        ? idle({ specId: `id-${i}`, slug: slug(i), title: `Idle ${i}` })
        : spec({
            specId: `id-${i}`,
            slug: slug(i),
            title: `${long(`Title ${i}`)}${long('and more')}`,
            competencies: Array.from({ length: 20 }, (_, c) => ({ id: `c${c}`, name: long(`C${c}`), average: '75.5', n: 100 + c })),
            top: [0, 1, 2].map((t) => ({
              candidateName: long(`Candidate ${i}.${t}`),
              overall: '90.0',
              interviewId: `int-${i}-${t}`,
              reportUrl: `https://interviews.example.com/reports/${i}/${t}?tab=overview&ref=digest`,
            })),
            specUrl: `https://interviews.example.com/specs/${slug(i)}`,
          }),
    ),
  });
  const messages = renderDigestMessages(big);
  const parts = Math.ceil(SPECS / DIGEST_SPECS_PER_MESSAGE);

  it('is split into as many messages as the claim counted', () => {
    expect(digestMessageCount(SPECS)).toBe(parts);
    expect(digestMessageCount(big)).toBe(parts);
    expect(messages).toHaveLength(parts);
  });

  it('keeps every message within Slack’s limits', () => {
    for (const message of messages) expectWithinSlackLimits(message);
  });

  it('labels each part in its header and its fallback, and repeats the late note', () => {
    messages.forEach((message, index) => {
      expect(header(message)).toBe(`Weekly digest · Nov 16 – Nov 23 (part ${index + 1} of ${parts})`);
      expect(message.text).toMatch(new RegExp(`^Weekly digest Nov 16–23 \\(part ${index + 1} of ${parts}\\), sent late: 5 specs, `));
      expect(texts(message.blocks)[1]).toBe('Sent late: Panelist was catching up after downtime.');
    });
  });

  it('shows every spec exactly once, in order, never split across messages', () => {
    const seen = messages.flatMap((message, part) =>
      [...JSON.stringify(message.blocks).matchAll(/`(spec-\d\d)`/g)].map((match) => ({ slug: match[1], part })),
    );
    expect(seen.map((s) => s.slug)).toEqual(Array.from({ length: SPECS }, (_, i) => slug(i)));
    // A spec's blocks run from its divider to the next: all its competencies sit in the same message.
    for (const message of messages) {
      const fields = sections(message.blocks).flatMap((s) => s.fields ?? []);
      const activeSpecs = texts(message.blocks).filter((t) => t.includes('`spec-') && !t.includes('No interviews')).length;
      expect(fields).toHaveLength(activeSpecs * 20);
    }
  });

  it('shortens names only as far as the message needs', () => {
    const field = sections(messages[0]!.blocks).flatMap((s) => s.fields ?? [])[0]!.text;
    expect(field).toMatch(/^C0 Distributed Ledger .*… 75\.5 \(n=100\)$/);
    expect(field.length - ' 75.5 (n=100)'.length).toBeGreaterThanOrEqual(40);
    // One such spec alone has room for full names.
    const [alone] = renderDigestMessages(view({ specs: [big.specs[0]!] }));
    expect(sections(alone!.blocks).flatMap((s) => s.fields ?? [])[0]!.text).toBe(`${long('C0').replace(/&/g, '&amp;')} 75.5 (n=100)`);
  });

  it('lets a busy spec use the room its quiet neighbours leave', () => {
    const quietNeighbours = Array.from({ length: 4 }, (_, i) => idle({ specId: `q${i}`, slug: `quiet-${i}` }));
    const [message] = renderDigestMessages(view({ specs: [big.specs[0]!, ...quietNeighbours] }));
    expectWithinSlackLimits(message!);
    expect(sections(message!.blocks).flatMap((s) => s.fields ?? [])[0]!.text).toBe(`${long('C0').replace(/&/g, '&amp;')} 75.5 (n=100)`);
  });

  it('fits even the worst input: escaping-heavy names, more rows than allowed, huge links and counts', () => {
    const worst = view({
      late: true,
      specs: Array.from({ length: DIGEST_SPECS_PER_MESSAGE }, (_, i) =>
        spec({
          slug: `${'`'.repeat(500)}${i}`,
          title: '&'.repeat(5000),
          // more completed than started: the longest completion sentence, with its capped note
          started: 2 ** 30,
          completed: 2 ** 31,
          abandoned: 2 ** 31,
          averageScore: '9999999.9',
          competencies: Array.from({ length: 25 }, (_, c) => ({ id: `c${c}`, name: '&'.repeat(5000), average: '99999.9', n: 2 ** 31 })),
          top: Array.from({ length: 15 }, (_, t) => ({
            candidateName: '<'.repeat(5000),
            overall: '100.0',
            interviewId: `i${t}`,
            reportUrl: `https://interviews.example.com/${'&'.repeat(1900)}`,
          })),
          specUrl: `https://interviews.example.com/${'&'.repeat(1900)}`,
        }),
      ),
    });
    const [only] = renderDigestMessages(worst);
    expectWithinSlackLimits(only!);
    expect(texts(only!.blocks).join('\n')).toContain('…and 6 more competencies');
    expect(texts(only!.blocks).join('\n')).toContain('at least 1073741824 of the completed had started before this week');
  });
});

describe('the specs followed changed after the claim', () => {
  const specs = Array.from({ length: 7 }, (_, i) => spec({ specId: `s${i}`, slug: `spec-${i}` }));

  it('counts specs beyond the last part in a note instead of overflowing it', () => {
    const message = renderDigestPart(view({ specs }), 1, 1)!;
    expectWithinSlackLimits(message);
    expect(JSON.stringify(message)).not.toContain('`spec-5`');
    expect(texts(message.blocks).at(-1)).toBe('…and 2 more followed specs, added after this digest was prepared.');
  });

  it('has nothing to say for a part whose specs are gone, or a part that does not exist', () => {
    expect(renderDigestPart(view({ specs: specs.slice(0, 4) }), 2, 2)).toBeUndefined();
    expect(renderDigestPart(view({ specs }), 0, 2)).toBeUndefined();
    expect(renderDigestPart(view({ specs }), 3, 2)).toBeUndefined();
  });
});

describe('untrusted text', () => {
  const hostile = view({
    specs: [
      spec({
        title: '<@U1> *x* & _y_ ~z~',
        slug: 'slug`<!channel>`',
        competencies: [{ id: 'a', name: '<!here> *bold*\n> quoted & more', average: '80.0', n: 3 }],
        top: [
          {
            candidateName: '<@U1> *Boss* <https://evil.example|click>',
            overall: '<!channel>',
            interviewId: 'i',
            reportUrl: 'https://x.example/r?a=1&b=<2>|3',
          },
        ],
      }),
    ],
  });
  const serialized = JSON.stringify(renderDigestMessages(hostile));

  it('escapes < > & so nothing can mention, ping or link', () => {
    for (const raw of ['<@U1>', '<!channel>', '<!here>', '<https://evil']) expect(serialized).not.toContain(raw);
    expect(serialized).toContain('&lt;@U1&gt;');
    expect(serialized).toContain('&amp; ');
  });

  it('neutralises mrkdwn so a title cannot bold, italicise, strike or close the slug’s code span', () => {
    const heading = sections(renderDigestMessages(hostile)[0]!.blocks)[0]!.text!.text.split('\n')[0]!;
    expect(heading).toBe(
      '*&lt;@U1&gt; ∗x∗ &amp; ˍyˍ ∼z∼* · `slugˋ&lt;!channel&gt;ˋ` · <https://interviews.example.com/specs/spec-1|Open spec>',
    );
  });

  it('keeps a name on one line, and a link target free of delimiters', () => {
    expect(serialized).toContain('&lt;!here&gt; ∗bold∗ &gt; quoted &amp; more 80.0 (n=3)');
    expect(serialized).toContain('<https://x.example/r?a=1&amp;b=%3C2%3E%7C3|&lt;@U1&gt; ∗Boss∗ &lt;https://evil.example|click&gt;>');
    // Scores are the service's, but still strings: escaped, and capped like any other text.
    expect(serialized).toContain('· *&lt;!chan…*');
  });
});

describe('links', () => {
  it('drops any URL that is not http(s)', () => {
    const unsafe = view({
      specs: [
        spec({
          specUrl: 'javascript:alert(1)',
          top: [
            { candidateName: 'Ada Lovelace', overall: '91.2', interviewId: 'a', reportUrl: 'data:text/html,hi' },
            { candidateName: 'Grace Hopper', overall: '88.0', interviewId: 'b', reportUrl: '/relative/report' },
            { candidateName: null, overall: '80.0', interviewId: 'c', reportUrl: 'ftp://files.example.com/r' },
          ],
        }),
      ],
    });
    const all = texts(renderDigestMessages(unsafe)[0]!.blocks).join('\n');
    expect(all).not.toMatch(/javascript|data:|relative|ftp|Open spec/);
    expect(all).toContain('*Top candidates*\n1. Ada Lovelace · *91.2*\n2. Grace Hopper · *88.0*\n3. A candidate · *80.0*');
    expect(renderDigestText(unsafe)).not.toMatch(/javascript|data:|relative|ftp|Spec:/);
  });
});
