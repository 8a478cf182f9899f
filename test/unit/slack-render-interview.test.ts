import type { types } from '@slack/bolt';
import fixture from '../../fixtures/payments-platform-spec.json';
import type { InterviewResultView } from '../../src/services/interview-views';
import { MAX_BLOCKS, MAX_SECTION_TEXT, renderInterviewResult, renderInterviewResultText, scoreBar } from '../../src/slack/render/interview';

type KnownBlock = types.KnownBlock;

const CONTRACT_SCORES = [82, 74, 90, 65, 70];

/** The contract's example event, as the service would hand it to a renderer. */
function contractView(overrides: Partial<InterviewResultView> = {}): InterviewResultView {
  return {
    interviewId: 'int_7f3a',
    spec: { id: fixture.id, slug: fixture.slug, title: fixture.title },
    version: 3,
    candidateName: 'Ada Lovelace',
    status: 'completed',
    overall: '77.9',
    competencies: fixture.competencies.map((c, index) => {
      const score = CONTRACT_SCORES[index] ?? 0;
      return { id: c.id, name: c.name, weight: Number(c.weight).toFixed(2), score: score.toFixed(1), scoreValue: score };
    }),
    reportUrl: 'https://interviews.example.com/r/int_7f3a',
    completedAt: new Date('2026-11-23T17:42:10Z'),
    rescored: false,
    ...overrides,
  };
}

/** Every text object Slack will measure, with the limit it applies to it. */
function measuredTexts(blocks: KnownBlock[]): { where: string; text: string; max: number }[] {
  const out: { where: string; text: string; max: number }[] = [];
  blocks.forEach((block, index) => {
    if (block.type === 'section') {
      if (block.text) out.push({ where: `section ${index}`, text: block.text.text, max: MAX_SECTION_TEXT });
      for (const field of block.fields ?? []) out.push({ where: `field in ${index}`, text: field.text, max: 2000 });
    } else if (block.type === 'header') {
      out.push({ where: `header ${index}`, text: block.text.text, max: 150 });
    } else if (block.type === 'context') {
      for (const element of block.elements) {
        if ('text' in element && typeof element.text === 'string')
          out.push({ where: `context ${index}`, text: element.text, max: MAX_SECTION_TEXT });
      }
    }
  });
  return out;
}

function mrkdwnTexts(blocks: KnownBlock[]): string[] {
  return measuredTexts(blocks).map((t) => t.text);
}

function sections(blocks: KnownBlock[]): types.SectionBlock[] {
  return blocks.filter((b): b is types.SectionBlock => b.type === 'section');
}

describe('renderInterviewResult: the contract example', () => {
  const message = renderInterviewResult(contractView());
  const all = mrkdwnTexts(message.blocks).join('\n');

  it('leads with the candidate, spec, overall score and pinned version', () => {
    const head = sections(message.blocks)[0]?.text?.text ?? '';
    expect(head).toContain('*Ada Lovelace*');
    expect(head).toContain('Senior Backend Engineer — Payments Platform');
    expect(head).toContain('`senior-backend-payments`');
    expect(head).toContain('*77.9* / 100');
    expect(head).toContain('scored with v3');
    expect(head).not.toContain('rescored');
  });

  it('shows every competency with its bar, score and weight', () => {
    expect(all).toContain('`▰▰▰▰▰▰▰▰▱▱` *82.0* · Financial Systems Design · weight 0.30');
    expect(all).toContain('`▰▰▰▰▰▰▰▱▱▱` *74.0* · Distributed Systems Reliability · weight 0.25');
    expect(all).toContain('`▰▰▰▰▰▰▰▰▰▱` *90.0* · Postgres Schema Design for Scale · weight 0.20');
    // 65 rounds half up to 7 cells; "&" is escaped as Slack requires.
    expect(all).toContain('`▰▰▰▰▰▰▰▱▱▱` *65.0* · Production Ownership &amp; Incident Culture · weight 0.15');
    expect(all).toContain('`▰▰▰▰▰▰▰▱▱▱` *70.0* · FastAPI &amp; Event-Driven Architecture · weight 0.10');
  });

  it('links the report and dates the completion', () => {
    const context = message.blocks.at(-1);
    expect(context?.type).toBe('context');
    expect(all).toContain('<https://interviews.example.com/r/int_7f3a|Open the full report>');
    expect(all).toContain('<!date^1795455730^');
  });

  it('has the one-line fallback used for notifications', () => {
    expect(message.text).toBe('Ada Lovelace scored 77.9/100 for senior-backend-payments (v3)');
  });

  it('marks a rescored interview in the message and the fallback', () => {
    const rescored = renderInterviewResult(contractView({ rescored: true, overall: '79.1' }));
    expect(sections(rescored.blocks)[0]?.text?.text).toContain('*79.1* / 100 · scored with v3 · _rescored_');
    expect(rescored.text).toBe('Ada Lovelace scored 79.1/100 for senior-backend-payments (v3, rescored)');
  });

  it('renders the same content as plain text for the CLI', () => {
    expect(renderInterviewResultText(contractView())).toBe(
      [
        'Ada Lovelace — Senior Backend Engineer — Payments Platform (senior-backend-payments)',
        'Overall 77.9 / 100 · scored with v3',
        '▰▰▰▰▰▰▰▰▱▱   82.0  Financial Systems Design · weight 0.30',
        '▰▰▰▰▰▰▰▱▱▱   74.0  Distributed Systems Reliability · weight 0.25',
        '▰▰▰▰▰▰▰▰▰▱   90.0  Postgres Schema Design for Scale · weight 0.20',
        '▰▰▰▰▰▰▰▱▱▱   65.0  Production Ownership & Incident Culture · weight 0.15',
        '▰▰▰▰▰▰▰▱▱▱   70.0  FastAPI & Event-Driven Architecture · weight 0.10',
        'Report: https://interviews.example.com/r/int_7f3a',
      ].join('\n'),
    );
  });
});

describe('privacy', () => {
  it('never shows a name the view withholds, in blocks, fallback or plain text', () => {
    const view = contractView({ candidateName: null });
    const message = renderInterviewResult(view);
    const everything = JSON.stringify(message) + renderInterviewResultText(view);
    expect(everything).not.toMatch(/Ada|Lovelace/);
    expect(message.text).toBe('A candidate scored 77.9/100 for senior-backend-payments (v3)');
    expect(sections(message.blocks)[0]?.text?.text).toMatch(/^\*A candidate\*/);
    expect(renderInterviewResultText(view)).toMatch(/^A candidate — /);
  });

  it('treats a blank name as no name', () => {
    expect(renderInterviewResult(contractView({ candidateName: ' \n ' })).text).toMatch(/^A candidate scored/);
  });
});

describe('Slack limits', () => {
  // Worst case for length: every name at the 100-character cap, made of "&" so escaping quintuples it.
  const longName = (index: number): string => `${String(index).padStart(2, '0')}${'&'.repeat(98)}`;
  const view = contractView({
    candidateName: '&'.repeat(500),
    spec: { id: fixture.id, slug: 's'.repeat(300), title: '<'.repeat(1000) },
    competencies: Array.from({ length: 20 }, (_, index) => ({
      id: `c${index}`,
      name: longName(index),
      weight: '0.05',
      score: '100.0',
      scoreValue: 100,
    })),
    reportUrl: `https://interviews.example.com/r/${'x'.repeat(1900)}`,
    rescored: true,
  });
  const message = renderInterviewResult(view);

  it('stays within the block count, section text, fields and fallback limits', () => {
    expect(message.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    for (const { where, text, max } of measuredTexts(message.blocks)) {
      expect({ where, length: text.length, ok: text.length > 0 && text.length <= max }).toEqual({ where, length: text.length, ok: true });
    }
    for (const section of sections(message.blocks)) expect((section.fields ?? []).length).toBeLessThanOrEqual(10);
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });

  it('still shows all 20 competencies, none cut short', () => {
    const all = mrkdwnTexts(message.blocks).join('\n');
    for (let index = 0; index < 20; index++) {
      expect(all).toContain(`\`▰▰▰▰▰▰▰▰▰▰\` *100.0* · ${String(index).padStart(2, '0')}${'&amp;'.repeat(98)} · weight 0.05`);
    }
  });

  it('caps a competency name longer than a spec allows instead of overflowing', () => {
    const huge = contractView({
      competencies: Array.from({ length: 25 }, (_, index) => ({
        id: `c${index}`,
        name: '&'.repeat(5000),
        weight: '0.04',
        score: '50.0',
        scoreValue: 50,
      })),
    });
    const rendered = renderInterviewResult(huge);
    expect(rendered.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    for (const { text, max } of measuredTexts(rendered.blocks)) expect(text.length).toBeLessThanOrEqual(max);
    expect(mrkdwnTexts(rendered.blocks).join('\n')).toContain('…and 5 more competencies not shown');
  });
});

describe('untrusted text', () => {
  const view = contractView({
    candidateName: '<!channel> *Boss* <@U1>',
    competencies: [
      { id: 'a', name: '<@U1> *bold* _it_ ~gone~ `code` & co', weight: '0.50', score: '80.0', scoreValue: 80 },
      { id: 'b', name: 'Two\nlines > quoted', weight: '0.50', score: '60.0', scoreValue: 60 },
    ],
  });
  const message = renderInterviewResult(view);
  const serialized = JSON.stringify(message);

  it('escapes < > & so names cannot mention, ping or link', () => {
    expect(serialized).not.toContain('<@U1>');
    expect(serialized).not.toContain('<!channel>');
    expect(serialized).toContain('&lt;@U1&gt;');
    expect(serialized).toContain('&lt;!channel&gt;');
    expect(message.text).toBe('&lt;!channel&gt; ∗Boss∗ &lt;@U1&gt; scored 77.9/100 for senior-backend-payments (v3)');
    // The only raw "<" left are the ones the renderer writes itself: the date token and the report link.
    const rawTokens =
      mrkdwnTexts(message.blocks)
        .join('\n')
        .match(/<[^>]*>/g) ?? [];
    expect(rawTokens.every((token) => token.startsWith('<!date^') || token.startsWith('<https://'))).toBe(true);
  });

  it('does not let * _ ~ ` in a name format the message', () => {
    const all = mrkdwnTexts(message.blocks).join('\n');
    expect(all).not.toMatch(/\*bold\*|_it_|~gone~|`code`|\*Boss\*/);
    expect(all).toContain('∗bold∗ ˍitˍ ∼gone∼ ˋcodeˋ &amp; co');
  });

  it('keeps a name with a newline on its own row', () => {
    const all = mrkdwnTexts(message.blocks).join('\n');
    expect(all).toContain('*60.0* · Two lines &gt; quoted · weight 0.50');
    expect(renderInterviewResultText(view)).toContain('  60.0  Two lines > quoted · weight 0.50');
  });
});

describe('report link', () => {
  it.each(['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'data:text/html,<b>x</b>', '/r/int_7f3a', 'ftp://example.com/r', 'not a url'])(
    'drops %p',
    (reportUrl) => {
      const view = contractView({ reportUrl });
      const serialized = JSON.stringify(renderInterviewResult(view)) + renderInterviewResultText(view);
      expect(serialized).not.toMatch(/javascript|data:|ftp:|Open the full report|Report:/i);
    },
  );

  it('keeps the link intact when its URL has Slack delimiters in it', () => {
    const message = renderInterviewResult(contractView({ reportUrl: 'https://example.com/r?a=1&b=x|y' }));
    expect(JSON.stringify(message)).toContain('<https://example.com/r?a=1&amp;b=x%7Cy|Open the full report>');
  });

  it('shows no link when there is none', () => {
    const message = renderInterviewResult(contractView({ reportUrl: null }));
    expect(JSON.stringify(message)).not.toContain('Open the full report');
  });
});

describe('interviews that did not complete', () => {
  it('says an abandoned interview has no score, without empty rows', () => {
    const view = contractView({
      status: 'abandoned',
      overall: null,
      reportUrl: null,
      completedAt: null,
      competencies: contractView().competencies.map((c) => ({ ...c, score: null, scoreValue: null })),
    });
    const message = renderInterviewResult(view);
    expect(sections(message.blocks)[0]?.text?.text).toContain('Abandoned — no score · spec v3');
    expect(sections(message.blocks)).toHaveLength(1);
    expect(message.text).toBe('Ada Lovelace abandoned the interview for senior-backend-payments (v3)');
    expect(renderInterviewResultText(view).split('\n')).toHaveLength(2);
  });

  it('says a started interview is in progress', () => {
    const view = contractView({ status: 'started', overall: null, reportUrl: null, completedAt: null });
    const message = renderInterviewResult(view);
    expect(sections(message.blocks)[0]?.text?.text).toContain('In progress — not scored yet');
    expect(message.text).toBe('Ada Lovelace started the interview for senior-backend-payments (v3)');
  });

  it('shows an unscored competency of a completed interview as not scored', () => {
    const competencies = contractView().competencies.map((c, index) => (index === 0 ? { ...c, score: null, scoreValue: null } : c));
    const all = mrkdwnTexts(renderInterviewResult(contractView({ competencies })).blocks).join('\n');
    expect(all).toContain('`—` not scored · Financial Systems Design · weight 0.30');
  });
});

describe('scoreBar', () => {
  it.each([
    [0, '▱▱▱▱▱▱▱▱▱▱'],
    [4.9, '▱▱▱▱▱▱▱▱▱▱'],
    [5, '▰▱▱▱▱▱▱▱▱▱'],
    [14.9, '▰▱▱▱▱▱▱▱▱▱'],
    [15, '▰▰▱▱▱▱▱▱▱▱'],
    [94.9, '▰▰▰▰▰▰▰▰▰▱'],
    [95, '▰▰▰▰▰▰▰▰▰▰'],
    [100, '▰▰▰▰▰▰▰▰▰▰'],
  ])('%p → %s', (value, bar) => {
    expect(scoreBar(value)).toBe(bar);
  });

  it('draws no bar for a missing or impossible score rather than a misleading one', () => {
    expect(scoreBar(null)).toBe('—');
    expect(scoreBar(Number.NaN)).toBe('—');
    expect(scoreBar(-3)).toBe('▱▱▱▱▱▱▱▱▱▱');
    expect(scoreBar(140)).toBe('▰▰▰▰▰▰▰▰▰▰');
  });
});
