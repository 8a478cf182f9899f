import fixture from '../../fixtures/payments-platform-spec.json';
import type { SpecContent } from '../../src/domain/spec';
import { parseSpecDocument } from '../../src/domain/spec-file';
import type { LivePerformance, SpecView } from '../../src/services/spec-views';
import { replyBody } from '../../src/slack/render/blocks';
import { renderSpec } from '../../src/slack/render/spec';
import { specCard } from '../../src/teams/cards/spec';
import { slackTexts, teamsTexts } from '../support/payload-text';

/** `/spec show` on both platforms: the live figures. */

function fixtureContent(): SpecContent {
  const parsed = parseSpecDocument(fixture);
  if (!parsed.ok) throw new Error('fixture does not parse');
  return parsed.content;
}

function specView(overrides: { content?: Partial<SpecContent>; live?: Partial<LivePerformance> } = {}): SpecView {
  return {
    id: fixture.id,
    slug: fixture.slug,
    content: { ...fixtureContent(), ...overrides.content },
    version: {
      number: 3,
      authorPlatform: 'cli',
      authorId: 'cli',
      authorName: null,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      note: null,
      source: 'import',
      revertedFrom: null,
      externalVersion: null,
    },
    live: { interviews: 5, completed: 3, abandoned: 1, averageScore: '77.9', competencies: [], ...overrides.live },
  };
}

const slackText = (view: SpecView) =>
  slackTexts(replyBody(renderSpec(view)))
    .map((f) => f.text)
    .join('\n');
const teamsText = (view: SpecView) =>
  teamsTexts(specCard(view) as unknown as Record<string, unknown>)
    .map((f) => f.text)
    .join('\n');

describe('live performance on the spec page', () => {
  it('counts completion against the interviews started, as the platform’s page does (3 of 5 is 60%, not 75%)', () => {
    expect(slackText(specView())).toContain('Interviews *5* · completion *3 of 5 (60%)* · 1 abandoned · average score *77.9*');
    expect(teamsText(specView())).toContain('interviews **5** · completion **3 of 5 (60%)** · 1 abandoned · average score **77.9**');
    for (const text of [slackText(specView()), teamsText(specView())]) expect(text).not.toContain('75%');
  });

  it('shows 0 of 0 and no percentage before any interview started', () => {
    const empty = specView({ live: { interviews: 0, completed: 0, abandoned: 0, averageScore: null } });
    expect(slackText(empty)).toContain('Interviews *0* · completion *0 of 0 (—)* · 0 abandoned · average score *—*');
    expect(teamsText(empty)).toContain('completion **0 of 0 (—)** · 0 abandoned');
    for (const text of [slackText(empty), teamsText(empty)]) expect(text).not.toMatch(/NaN|Infinity/);
  });
});
