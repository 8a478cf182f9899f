import fixture from '../../fixtures/payments-platform-spec.json';
import { MAX_COMPETENCIES, MAX_MUST_HAVE_LENGTH, MAX_MUST_HAVES, type SpecContent } from '../../src/domain/spec';
import { parseSpecDocument } from '../../src/domain/spec-file';
import type { LivePerformance, SpecView } from '../../src/services/spec-views';
import { replyBody } from '../../src/slack/render/blocks';
import { renderSpec } from '../../src/slack/render/spec';
import { specCard } from '../../src/teams/cards/spec';
import { slackTexts, teamsTexts } from '../support/payload-text';

/** `/spec show` on both platforms: the live figures, the numbered must-haves and the interview settings. */

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

describe('must-haves and interview settings on the spec page', () => {
  const mixed = specView({
    content: {
      mustHaves: [
        { text: 'Python in production', required: true },
        { text: 'Kafka', required: false },
        { text: 'Postgres at scale', required: true },
      ],
    },
  });

  it('numbers the must-haves, as commands refer to them, and marks each required or nice to have', () => {
    expect(slackText(mixed)).toContain(
      '*Must-haves* · 2 required · 1 nice to have\n1. Python in production _(required)_\n2. Kafka _(nice to have)_\n3. Postgres at scale _(required)_',
    );
    expect(teamsText(mixed)).toContain(
      '**Must-haves** · 2 required · 1 nice to have\n\n1. Python in production _(required)_\n2. Kafka _(nice to have)_\n3. Postgres at scale _(required)_',
    );
  });

  it('says so when there are none', () => {
    const none = specView({ content: { mustHaves: [] } });
    expect(slackText(none)).toContain('*Must-haves*\n_none_');
    expect(teamsText(none)).toContain('**Must-haves**\n\n_none_');
  });

  it('keeps a must-have on its line, so its text cannot forge a number', () => {
    const forged = specView({ content: { mustHaves: [{ text: 'Go\n2. Rust', required: true }] } });
    expect(slackText(forged)).toContain('1. Go 2. Rust _(required)_');
    expect(teamsText(forged)).toContain('1. Go 2. Rust _(required)_');
  });

  it('shows every number of twenty of the longest must-haves within Slack’s limits', () => {
    const mustHaves = Array.from({ length: MAX_MUST_HAVES }, (_, index) => ({
      text: `${index + 1}${'&'.repeat(MAX_MUST_HAVE_LENGTH - 3)}`,
      required: index % 2 === 0,
    }));
    const competencies = Array.from({ length: MAX_COMPETENCIES }, (_, index) => ({
      id: `c${index}`,
      name: `Competency ${index}`,
      definition: 'x',
      weight: 5,
    }));
    const reply = replyBody(renderSpec(specView({ content: { mustHaves, competencies } })));
    expect(reply.blocks!.length).toBeLessThanOrEqual(50);
    const texts = slackTexts(reply);
    for (const found of texts) expect(found.text.length).toBeLessThanOrEqual(3000);
    const all = texts.map((f) => f.text).join('\n');
    for (let n = 1; n <= MAX_MUST_HAVES; n += 1) expect(all).toContain(`\n${n}. ${n}&amp;`);
  });

  it('shows the interview questions and the behavioral round in words', () => {
    for (const text of [slackText(mixed), teamsText(mixed)]) {
      expect(text).toContain('ai-generated · candidate sees 3 of the questions · auto-publish on');
      expect(text).toContain('round 2 · voice · 4 prompts · interviewer Cal');
    }
    const one = specView({ content: { behavioralRound: { round: 1, mode: 'text', prompts: 1, interviewer: 'Cal' } } });
    expect(slackText(one)).toContain('round 1 · text · 1 prompt · interviewer Cal');
    expect(teamsText(one)).toContain('round 1 · text · 1 prompt · interviewer Cal');
  });
});
