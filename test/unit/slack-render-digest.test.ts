import type { DigestSpecSection } from '../../src/services/digest-views';
import { digestMessageCount, renderDigestMessages, renderDigestPart, renderDigestText } from '../../src/slack/render/digest';
import { spec, idle, view, texts, sections, header, expectWithinSlackLimits } from './digest-fixtures';

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
        // 12 completed ÷ 14 started = 85.7% → 86%, against 9 ÷ 10 = 90%
        'completion 86% (▼4 pts): 12 completed ÷ 14 started this week · average score 77.9 (▲1.2)',
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
        '  completion 86% (▼4 pts): 12 completed ÷ 14 started this week · average score 77.9 (▲1.2)',
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
      .filter((line) => /^ {2}(started|completion) /.test(line));

  it('counts up, down and unchanged', () => {
    const figures = headline(
      spec({ started: 5, completed: 3, abandoned: 1, previous: { ...spec().previous, started: 2, completed: 7, abandoned: 1 } }),
    );
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

  type Week = { started: number; completed: number; abandoned: number };
  const rate = (now: Week, before: Week) =>
    headline(spec({ ...now, previous: { ...spec().previous, ...before } }))[1]!.replace(/ · average score .*$/, '');

  it('counts completion against the interviews started, as the platform’s page does, not against those that ended', () => {
    // 3 ÷ (3 + 1 abandoned) would be 75%; the page shows 3 of 5, 60%. The week before: 1 ÷ 2, not 1 ÷ 1.
    expect(rate({ started: 5, completed: 3, abandoned: 1 }, { started: 2, completed: 1, abandoned: 0 })).toBe(
      '  completion 60% (▲10 pts): 3 completed ÷ 5 started this week',
    );
  });

  it('gives the completion in whole percent, half up, and its change in points', () => {
    const week = (started: number, completed: number) => ({ started, completed, abandoned: 0 });
    expect(rate(week(4, 3), week(4, 2))).toBe('  completion 75% (▲25 pts): 3 completed ÷ 4 started this week');
    expect(rate(week(4, 2), week(4, 3))).toBe('  completion 50% (▼25 pts): 2 completed ÷ 4 started this week');
    expect(rate(week(7, 7), week(2, 2))).toBe('  completion 100% (±0 pts): 7 completed ÷ 7 started this week');
    // 29 of 200 is 14.5%, which a float (0.145 × 100 = 14.499…) would round down; on paper it rounds up.
    expect(rate(week(200, 29), week(10, 1))).toBe('  completion 15% (▲5 pts): 29 completed ÷ 200 started this week');
    expect(rate(week(8, 1), week(0, 0))).toBe('  completion 13%: 1 completed ÷ 8 started this week');
  });

  it('shows no percentage, and no change, when nothing started; never NaN', () => {
    expect(rate({ started: 0, completed: 0, abandoned: 2 }, { started: 5, completed: 4, abandoned: 0 })).toBe(
      '  completion —: 0 completed ÷ 0 started this week',
    );
    expect(rate({ started: 0, completed: 2, abandoned: 0 }, { started: 5, completed: 4, abandoned: 0 })).toBe(
      '  completion —: 2 completed ÷ 0 started this week',
    );
    expect(renderDigestText(view({ specs: [spec({ started: 0, completed: 0, abandoned: 1 })] }))).not.toMatch(/NaN|Infinity/);
  });

  it('caps a week at 100% when completions of interviews started earlier outnumber its starts, and says so', () => {
    expect(rate({ started: 5, completed: 6, abandoned: 0 }, { started: 4, completed: 2, abandoned: 0 })).toBe(
      '  completion 100% (▲50 pts): 6 completed ÷ 5 started this week, capped at 100%: at least 1 of the completed had started before this week',
    );
    // the week before is capped the same way, so the change compares like with like
    expect(rate({ started: 4, completed: 3, abandoned: 0 }, { started: 1, completed: 3, abandoned: 0 })).toBe(
      '  completion 75% (▼25 pts): 3 completed ÷ 4 started this week',
    );
  });

  it('puts the same change in the Slack message', () => {
    const [message] = renderDigestMessages(
      view({ specs: [spec({ averageScore: '70.1', previous: { ...spec().previous, averageScore: '70.3' } })] }),
    );
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
