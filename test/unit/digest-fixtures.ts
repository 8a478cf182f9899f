import type { types } from '@slack/bolt';
import type { DigestChart, DigestSpecSection, DigestView } from '../../src/services/digest-views';
import { MAX_MESSAGE_TEXT } from '../../src/slack/render/digest';

/** A hand-made digest week and the checks Slack applies to a message, for the digest renderer's tests. */

export type KnownBlock = types.KnownBlock;
export type Message = { text: string; blocks: KnownBlock[] };

export function spec(overrides: Partial<DigestSpecSection> = {}): DigestSpecSection {
  return {
    specId: 'spec-1',
    slug: 'senior-backend-payments',
    title: 'Senior Backend Engineer — Payments Platform',
    started: 14,
    completed: 12,
    abandoned: 2,
    averageScore: '77.9',
    competencies: [
      { id: 'fsd', name: 'Financial Systems Design', average: '81.0', n: 12 },
      { id: 'poic', name: 'Production Ownership & Incident Culture', average: '74.5', n: 11 },
      { id: 'fka', name: 'FastAPI & Kafka Systems', average: null, n: 0 },
    ],
    previous: { started: 10, completed: 9, abandoned: 1, averageScore: '76.7' },
    top: [
      { candidateName: 'Ada Lovelace', overall: '91.2', interviewId: 'int_1', reportUrl: 'https://interviews.example.com/r/int_1' },
      { candidateName: 'Grace Hopper', overall: '88.0', interviewId: 'int_2', reportUrl: null },
      { candidateName: null, overall: '84.5', interviewId: 'int_3', reportUrl: 'https://interviews.example.com/r/int_3' },
    ],
    specUrl: 'https://interviews.example.com/specs/spec-1',
    ...overrides,
  };
}

/** A section's chart: eight weeks and its competencies, in words, with a picture unless `imageUrl` is undefined. */
export function chart(overrides: Partial<DigestChart> = {}): DigestChart {
  const weeks = Array.from({ length: 8 }, (_, i) => ({
    start: new Date(Date.UTC(2026, 8, 28 + 7 * i, 14)),
    averageScore: i === 2 ? null : `${70 + i}.${i}`,
  }));
  return {
    weeks,
    competencies: [{ id: 'fsd', name: 'Financial Systems Design', thisWeek: '81.0', lastWeek: '74.0' }],
    altText:
      'Average score by week, oldest first: Sep 28 70.0, Oct 5 71.1, Oct 12 none, … By competency, this week (last week): Financial Systems Design 81.0 (74.0).',
    imageUrl: 'https://panelist.example.com/charts/digests/d1/s1.png?expires=1&signature=abc',
    ...overrides,
  };
}

export const idle = (overrides: Partial<DigestSpecSection> = {}): DigestSpecSection =>
  spec({
    specId: 'spec-idle',
    slug: 'idle-spec',
    title: 'Idle Spec',
    started: 0,
    completed: 0,
    abandoned: 0,
    averageScore: null,
    competencies: [{ id: 'x', name: 'Anything', average: null, n: 0 }],
    previous: { started: 3, completed: 2, abandoned: 0, averageScore: '70.0' },
    top: [],
    specUrl: null,
    ...overrides,
  });

export function view(overrides: Partial<DigestView> = {}): DigestView {
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
export function measured(blocks: KnownBlock[]): { where: string; text: string; max: number }[] {
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
    } else if (block.type === 'image') {
      out.push({ where: `image ${index}`, text: block.alt_text, max: 2000 });
    }
  });
  return out;
}

export function texts(blocks: KnownBlock[]): string[] {
  return measured(blocks).map((t) => t.text);
}

export function sections(blocks: KnownBlock[]): types.SectionBlock[] {
  return blocks.filter((b): b is types.SectionBlock => b.type === 'section');
}

export function header(message: Message): string {
  const first = message.blocks[0];
  return first?.type === 'header' ? first.text.text : '';
}

export function expectWithinSlackLimits(message: Message): void {
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
