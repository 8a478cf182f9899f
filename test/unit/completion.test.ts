import { completionFigure, completionOf, weeklyCompletion } from '../../src/domain/completion';

describe('completion, as the interview platform’s page counts it', () => {
  it('is completed ÷ started: abandoned and unfinished interviews count against it', () => {
    // completed ÷ (completed + abandoned) would be 3 ÷ 4 = 75%
    expect(completionOf({ started: 5, completed: 3 })).toEqual({ started: 5, completed: 3, percent: 60, startedBefore: 0 });
    expect(completionFigure({ started: 5, completed: 3 })).toBe('3 of 5 (60%)');
    // the platform's own page: "Interviews 1 · 0 completed · Completion 0% · 0 of 1"
    expect(completionFigure({ started: 1, completed: 0 })).toBe('0 of 1 (0%)');
  });

  it('has no percentage when nothing started, never NaN', () => {
    expect(completionOf({ started: 0, completed: 0 }).percent).toBeNull();
    expect(completionFigure({ started: 0, completed: 0 })).toBe('0 of 0 (—)');
    expect(completionOf({ started: 0, completed: 2 })).toEqual({ started: 0, completed: 2, percent: null, startedBefore: 2 });
  });

  it('rounds to whole percent half up, exactly', () => {
    const percent = (completed: number, started: number) => completionOf({ started, completed }).percent;
    expect(percent(1, 8)).toBe(13); // 12.5
    expect(percent(29, 200)).toBe(15); // 14.5, which 0.145 × 100 as a float would round down
    expect(percent(1, 3)).toBe(33);
    expect(percent(2, 3)).toBe(67);
    expect(percent(199, 200)).toBe(100); // 99.5
    expect(percent(1999, 2000)).toBe(100); // 99.95
    expect(percent(1, 201)).toBe(0); // 0.497…
  });

  it('stops at 100% when more completed than started, and counts the completions that started earlier', () => {
    expect(completionOf({ started: 5, completed: 6 })).toEqual({ started: 5, completed: 6, percent: 100, startedBefore: 1 });
  });
});

describe('weeklyCompletion', () => {
  it('says what it divides, and the change in points against the week before by the same rule', () => {
    expect(weeklyCompletion({ started: 5, completed: 3 }, { started: 2, completed: 1 })).toBe(
      'completion 60% (▲10 pts): 3 completed ÷ 5 started this week',
    );
    expect(weeklyCompletion({ started: 5, completed: 3 }, { started: 0, completed: 4 })).toBe(
      'completion 60%: 3 completed ÷ 5 started this week',
    );
  });

  it('explains a capped week', () => {
    expect(weeklyCompletion({ started: 2, completed: 5 }, { started: 2, completed: 2 })).toBe(
      'completion 100% (±0 pts): 5 completed ÷ 2 started this week, capped at 100%: at least 3 of the completed had started before this week',
    );
  });
});
