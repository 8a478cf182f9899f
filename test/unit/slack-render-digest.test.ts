import type { types } from '@slack/bolt';
import type { DigestSpecSection, DigestView } from '../../src/services/digest-views';
import {
  DIGEST_SPECS_PER_MESSAGE,
  MAX_MESSAGE_TEXT,
  digestMessageCount,
  renderDigestMessages,
  renderDigestPart,
  renderDigestText,
} from '../../src/slack/render/digest';

type KnownBlock = types.KnownBlock;
type Message = { text: string; blocks: KnownBlock[] };

function spec(overrides: Partial<DigestSpecSection> = {}): DigestSpecSection {
  return {
    specId: 'spec-1',
    slug: 'senior-backend-payments',
    title: 'Senior Backend Engineer — Payments Platform',
    started: 14,
    completed: 12,
    abandoned: 2,
    completionRate: 12 / 14,
    averageScore: '77.9',
    competencies: [
      { id: 'fsd', name: 'Financial Systems Design', average: '81.0', n: 12 },
      { id: 'poic', name: 'Production Ownership & Incident Culture', average: '74.5', n: 11 },
      { id: 'fka', name: 'FastAPI & Kafka Systems', average: null, n: 0 },
    ],
    previous: { started: 10, completed: 9, abandoned: 1, completionRate: 0.9, averageScore: '76.7' },
    top: [
      { candidateName: 'Ada Lovelace', overall: '91.2', interviewId: 'int_1', reportUrl: 'https://interviews.example.com/r/int_1' },
      { candidateName: 'Grace Hopper', overall: '88.0', interviewId: 'int_2', reportUrl: null },
      { candidateName: null, overall: '84.5', interviewId: 'int_3', reportUrl: 'https://interviews.example.com/r/int_3' },
    ],
    specUrl: 'https://interviews.example.com/specs/spec-1',
    ...overrides,
  };
}

const idle = (overrides: Partial<DigestSpecSection> = {}): DigestSpecSection =>
  spec({
    specId: 'spec-idle',
    slug: 'idle-spec',
    title: 'Idle Spec',
    started: 0,
    completed: 0,
    abandoned: 0,
    completionRate: null,
    averageScore: null,
    competencies: [{ id: 'x', name: 'Anything', average: null, n: 0 }],
    previous: { started: 3, completed: 2, abandoned: 0, completionRate: 1, averageScore: '70.0' },
    top: [],
    specUrl: null,
    ...overrides,
  });

function view(overrides: Partial<DigestView> = {}): DigestView {
  return {
    // Monday 09:00 in New York to the next: Nov 16 – Nov 23 as the channel sees it.
    periodStart: new Date('2026-11-16T14:00:00Z'),
    periodEnd: new Date('2026-11-23T14:00:00Z'),
    timeZone: 'America/New_York',
    late: false,
    quiet: false,
    specs: [spec(), idle()],
    ...overrides,
  };
}

/** Every text Slack measures, with the limit it applies to it. */
function measured(blocks: KnownBlock[]): { where: string; text: string; max: number }[] {
  const out: { where: string; text: string; max: number }[] = [];
  blocks.forEach((block, index) => {
    if (block.type === 'section') {
      if (block.text) out.push({ where: `section ${index}`, text: block.text.text, max: 3000 });
      for (const field of block.fields ?? []) out.push({ where: `field in ${index}`, text: field.text, max: 2000 });
    } else if (block.type === 'header') {
      out.push({ where: `header ${index}`, text: block.text.text, max: 150 });
    } else if (block.type === 'context') {
      for (const element of block.elements) {
        if ('text' in element && typeof element.text === 'string') out.push({ where: `context ${index}`, text: element.text, max: 3000 });
      }
    }
  });
  return out;
}

function texts(blocks: KnownBlock[]): string[] {
  return measured(blocks).map((t) => t.text);
}

function sections(blocks: KnownBlock[]): types.SectionBlock[] {
  return blocks.filter((b): b is types.SectionBlock => b.type === 'section');
}

function header(message: Message): string {
  const first = message.blocks[0];
  return first?.type === 'header' ? first.text.text : '';
}

function expectWithinSlackLimits(message: Message): void {
  expect(message.blocks.length).toBeLessThanOrEqual(50);
  for (const { where, text, max } of measured(message.blocks)) {
    expect({ where, length: text.length, ok: text.length > 0 && text.length <= max }).toEqual({ where, length: text.length, ok: true });
  }
  for (const section of sections(message.blocks)) expect((section.fields ?? []).length).toBeLessThanOrEqual(10);
  // Slack's undocumented cap on all the text in a message's blocks (msg_blocks_too_long).
  const total = measured(message.blocks).reduce((sum, t) => sum + t.text.length, 0);
  expect(total).toBeLessThanOrEqual(MAX_MESSAGE_TEXT);
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(3000);
}

describe('renderDigestMessages: a hand-made week', () => {
  const messages = renderDigestMessages(view());
  const message = messages[0]!;
  const all = texts(message.blocks);

  it('is one message with the period in the channel’s zone and no part label', () => {
    expect(messages).toHaveLength(1);
    expect(header(message)).toBe('Weekly digest · Nov 16 – Nov 23');
    expectWithinSlackLimits(message);
  });

  it('heads the spec with its title, slug, link, counts, rate and average, each with its change', () => {
    expect(sections(message.blocks)[0]?.text?.text).toBe(
      [
        '*Senior Backend Engineer — Payments Platform* · `senior-backend-payments` · <https://interviews.example.com/specs/spec-1|Open spec>',
        'started 14 (▲4) · completed 12 (▲3) · abandoned 2 (▲1)',
        // 12/14 = 85.7% → 86%, against 90%
        'completion rate 86% (▼4 pts) · average score 77.9 (▲1.2)',
      ].join('\n'),
    );
  });

  it('lists every competency with its average and n, escaping "&"', () => {
    expect(sections(message.blocks)[1]?.fields?.map((f) => f.text)).toEqual([
      'Financial Systems Design 81.0 (n=12)',
      'Production Ownership &amp; Incident Culture 74.5 (n=11)',
      'FastAPI &amp; Kafka Systems — (n=0)',
    ]);
  });

  it('ranks the top candidates, linking reports, "A candidate" where the name is withheld', () => {
    expect(sections(message.blocks)[2]?.text?.text).toBe(
      [
        '*Top candidates*',
        '1. <https://interviews.example.com/r/int_1|Ada Lovelace> · *91.2*',
        '2. Grace Hopper · *88.0*',
        '3. <https://interviews.example.com/r/int_3|A candidate> · *84.5*',
      ].join('\n'),
    );
  });

  it('gives a spec with no activity a single line, not zeros', () => {
    expect(message.blocks.slice(-2)).toEqual([
      { type: 'divider' },
      { type: 'section', text: { type: 'mrkdwn', text: '*Idle Spec* · `idle-spec`\nNo interviews this week.' } },
    ]);
    expect(all.join('\n')).not.toContain('Anything');
  });

  it('has no late note when on time', () => {
    expect(all.join('\n')).not.toContain('Sent late');
  });

  it('summarises the figures in the fallback, without names', () => {
    expect(message.text).toBe('Weekly digest Nov 16–23: 2 specs, 12 completed, 14 started, 2 abandoned');
  });

  it('shows no competency block while nothing has been scored', () => {
    const started = spec({
      completed: 0,
      abandoned: 0,
      completionRate: null,
      averageScore: null,
      competencies: [{ id: 'a', name: 'Financial Systems Design', average: null, n: 0 }],
      top: [],
    });
    const [only] = renderDigestMessages(view({ specs: [started] }));
    expect(texts(only!.blocks).join('\n')).not.toContain('Financial Systems Design');
    expect(sections(only!.blocks)).toHaveLength(1);
  });
});

describe('renderDigestText', () => {
  it('prints the same figures for a terminal', () => {
    expect(renderDigestText(view())).toBe(
      [
        'Weekly digest · Nov 16 – Nov 23',
        '',
        'Senior Backend Engineer — Payments Platform (senior-backend-payments)',
        '  Spec: https://interviews.example.com/specs/spec-1',
        '  started 14 (▲4) · completed 12 (▲3) · abandoned 2 (▲1)',
        '  completion rate 86% (▼4 pts) · average score 77.9 (▲1.2)',
        '  Competencies:',
        '    Financial Systems Design 81.0 (n=12)',
        '    Production Ownership & Incident Culture 74.5 (n=11)',
        '    FastAPI & Kafka Systems — (n=0)',
        '  Top candidates:',
        '    1. Ada Lovelace · 91.2  https://interviews.example.com/r/int_1',
        '    2. Grace Hopper · 88.0',
        '    3. A candidate · 84.5  https://interviews.example.com/r/int_3',
        '',
        'Idle Spec (idle-spec)',
        '  No interviews this week.',
      ].join('\n'),
    );
  });

  it('keeps terminal control sequences out', () => {
    const text = renderDigestText(view({ specs: [spec({ title: 'Evil\u001b[2J\u009b31m\u202eTitle' })] }));
    expect(text).not.toMatch(/[\u001b\u009b\u202e]/);
    expect(text).toContain('Evil [2J 31m Title');
  });
});

describe('dates', () => {
  it('shows the last day as the channel’s zone sees it', () => {
    // Ends Sunday 19:00 in Los Angeles, already Monday in UTC.
    const period = { periodStart: new Date('2026-11-16T03:00:00Z'), periodEnd: new Date('2026-11-23T03:00:00Z') };
    expect(header(renderDigestMessages(view({ ...period, timeZone: 'America/Los_Angeles' }))[0]!)).toBe('Weekly digest · Nov 15 – Nov 22');
    expect(header(renderDigestMessages(view({ ...period, timeZone: 'UTC' }))[0]!)).toBe('Weekly digest · Nov 16 – Nov 23');
  });

  it('names both months in the fallback when the week crosses one', () => {
    const crossing = view({ periodStart: new Date('2026-11-30T14:00:00Z'), periodEnd: new Date('2026-12-07T14:00:00Z') });
    expect(renderDigestMessages(crossing)[0]!.text).toMatch(/^Weekly digest Nov 30 – Dec 7: /);
  });

  it('falls back to UTC for a zone it does not know', () => {
    expect(header(renderDigestMessages(view({ timeZone: 'Mars/Olympus' }))[0]!)).toBe('Weekly digest · Nov 16 – Nov 23');
  });
});

describe('changes against the period before', () => {
  const headline = (section: DigestSpecSection) =>
    renderDigestText(view({ specs: [section] }))
      .split('\n')
      .filter((line) => /^  (started|completion rate) /.test(line));

  it('counts up, down and unchanged', () => {
    const figures = headline(spec({ started: 5, completed: 3, abandoned: 1, previous: { ...spec().previous, started: 2, completed: 7, abandoned: 1 } }));
    expect(figures[0]).toBe('  started 5 (▲3) · completed 3 (▼4) · abandoned 1 (±0)');
  });

  it('takes score changes from the strings exactly, in tenths', () => {
    const score = (now: string | null, before: string | null) =>
      headline(spec({ averageScore: now, previous: { ...spec().previous, averageScore: before } }))[1]!.replace(/^.* · /, '');
    // As floats these are 1.2000000000000028 and 0.19999999999999998.
    expect(score('77.9', '76.7')).toBe('average score 77.9 (▲1.2)');
    expect(score('0.3', '0.1')).toBe('average score 0.3 (▲0.2)');
    expect(score('70.1', '70.3')).toBe('average score 70.1 (▼0.2)');
    expect(score('80.0', '80.0')).toBe('average score 80.0 (±0.0)');
    expect(score('100.0', '9.5')).toBe('average score 100.0 (▲90.5)');
    expect(score('77.9', null)).toBe('average score 77.9');
    expect(score(null, '76.7')).toBe('average score —');
  });

  it('gives the completion rate in whole percent and its change in points', () => {
    const rate = (now: number | null, before: number | null) =>
      headline(spec({ completionRate: now, previous: { ...spec().previous, completionRate: before } }))[1]!.replace(/ · .*$/, '');
    expect(rate(0.75, 0.5)).toBe('  completion rate 75% (▲25 pts)');
    expect(rate(0.5, 0.75)).toBe('  completion rate 50% (▼25 pts)');
    expect(rate(1, 1)).toBe('  completion rate 100% (±0 pts)');
    // 0.145 × 100 is 14.499999999999998 as a float; on paper it rounds up.
    expect(rate(0.145, 0.1)).toBe('  completion rate 15% (▲5 pts)');
    expect(rate(0.8, null)).toBe('  completion rate 80%');
    expect(rate(null, 0.8)).toBe('  completion rate —');
  });

  it('puts the same change in the Slack message', () => {
    const [message] = renderDigestMessages(view({ specs: [spec({ averageScore: '70.1', previous: { ...spec().previous, averageScore: '70.3' } })] }));
    expect(sections(message!.blocks)[0]?.text?.text).toContain('average score 70.1 (▼0.2)');
  });
});

describe('privacy', () => {
  const hidden = view({
    specs: [spec({ top: spec().top.map((t) => ({ ...t, candidateName: null })) }), idle()],
  });

  it('never shows a withheld name, in any message, fallback or the plain text', () => {
    const everything = JSON.stringify(renderDigestMessages(hidden)) + renderDigestText(hidden);
    expect(everything).not.toMatch(/Ada|Lovelace|Grace|Hopper/);
    expect(everything.match(/A candidate/g)).toHaveLength(6);
  });

  it('treats a blank name as no name', () => {
    const blank = view({ specs: [spec({ top: [{ ...spec().top[0]!, candidateName: ' \n ' }] })] });
    expect(texts(renderDigestMessages(blank)[0]!.blocks).join('\n')).toContain('|A candidate> · *91.2*');
  });

  it('keeps names out of the fallback even when they are shown', () => {
    for (const message of renderDigestMessages(view())) expect(message.text).not.toMatch(/Ada|Grace/);
  });
});

describe('a quiet week', () => {
  const quiet = view({ quiet: true, specs: Array.from({ length: 12 }, (_, i) => idle({ specId: `s${i}`, slug: `idle-${i}` })) });

  it('is one short message, not a wall of zeros', () => {
    const messages = renderDigestMessages(quiet);
    expect(messages).toHaveLength(1);
    const text = 'Quiet week: no interviews for the specs this channel follows between Nov 16 and Nov 23.';
    expect(messages[0]).toEqual({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
    expect(digestMessageCount(quiet)).toBe(1);
    expect(renderDigestText(quiet)).toBe(text);
  });

  it('leaves the parts counted at claim time empty beyond the first', () => {
    expect(renderDigestPart(quiet, 1, 3)?.text).toMatch(/^Quiet week/);
    expect(renderDigestPart(quiet, 2, 3)).toBeUndefined();
  });

  it('still says when it is late', () => {
    const late = renderDigestMessages({ ...quiet, late: true })[0]!;
    expect(late.blocks).toHaveLength(2);
    expect(texts(late.blocks)[1]).toBe('Sent late: Panelist was catching up after downtime.');
    expect(renderDigestText({ ...quiet, late: true }).split('\n')[1]).toBe('Sent late: Panelist was catching up after downtime.');
  });
});

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
          started: 2 ** 31,
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
        top: [{ candidateName: '<@U1> *Boss* <https://evil.example|click>', overall: '<!channel>', interviewId: 'i', reportUrl: 'https://x.example/r?a=1&b=<2>|3' }],
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
    expect(heading).toBe('*&lt;@U1&gt; ∗x∗ &amp; ˍyˍ ∼z∼* · `slugˋ&lt;!channel&gt;ˋ` · <https://interviews.example.com/specs/spec-1|Open spec>');
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
