import { digestCard } from '../../src/teams/cards/digest';
import { teamsTexts } from '../support/payload-text';
import { spec, view } from './digest-fixtures';

const cardText = (sections: Parameters<typeof spec>[0][]) =>
  teamsTexts(digestCard(view({ specs: sections.map((s) => spec(s)) }), 1, 1) as unknown as Record<string, unknown>)
    .map((f) => f.text)
    .join('\n');

describe('the Teams digest card', () => {
  it('counts completion against the interviews started in the week, with the change against the week before', () => {
    // 3 ÷ (3 + 1 abandoned) would be 75%; the platform's page counts 3 ÷ 5 started, 60% (the week before 1 ÷ 2, 50%)
    const text = cardText([
      { started: 5, completed: 3, abandoned: 1, previous: { started: 2, completed: 1, abandoned: 0, averageScore: '70.0' } },
    ]);
    expect(text).toContain('started 5 (▲3) · completed 3 (▲2) · abandoned 1 (▲1)');
    expect(text).toContain('completion 60% (▲10 pts): 3 completed ÷ 5 started this week · average score 77.9');
    expect(text).not.toContain('75%');
  });

  it('shows no percentage when nothing started, and explains a capped week', () => {
    expect(cardText([{ started: 0, completed: 0, abandoned: 1 }])).toContain('completion —: 0 completed ÷ 0 started this week');
    expect(cardText([{ started: 0, completed: 0, abandoned: 1 }])).not.toMatch(/NaN|Infinity/);
    expect(cardText([{ started: 1, completed: 2, abandoned: 0 }])).toContain(
      'completion 100% (▲10 pts): 2 completed ÷ 1 started this week, capped at 100%: at least 1 of the completed had started before this week',
    );
  });
});
