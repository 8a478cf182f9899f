import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describeChanges } from '../../src/domain/changes';
import { contentHash, validateSpecContent, type SpecContent } from '../../src/domain/spec';
import { parseSpecDocument } from '../../src/domain/spec-file';

const fixture = JSON.parse(readFileSync(path.join(__dirname, '../../fixtures/payments-platform-spec.json'), 'utf8'));

function fixtureContent(): SpecContent {
  const parsed = parseSpecDocument(fixture);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.content;
}

describe('the spec document (fixture shape)', () => {
  it('parses the demo spec with exact weights in hundredths', () => {
    const content = fixtureContent();
    expect(content.competencies.map((c) => [c.id, c.weight])).toEqual([
      ['financial_systems_design', 30],
      ['distributed_systems_reliability', 25],
      ['postgres_schema_design', 20],
      ['production_ownership', 15],
      ['fastapi_kafka_systems', 10],
    ]);
    expect(validateSpecContent(content)).toEqual([]);
  });

  it('names the field of a malformed document', () => {
    const parsed = parseSpecDocument({ ...fixture, id: 'nope', competencies: [{ id: 'x', name: 'X', weight: '0.333' }] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      const paths = parsed.issues.map((issue) => issue.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['id', 'competencies.0.weight']));
    }
  });
});

describe('validateSpecContent', () => {
  it('finds every broken rule, each at its field', () => {
    const content = fixtureContent();
    content.competencies[0] = { ...content.competencies[0]!, id: 'Bad Id', name: ' ' };
    content.competencies[2] = { ...content.competencies[2]!, id: 'fastapi_kafka_systems', weight: 15 };
    const issues = validateSpecContent(content).map((issue) => [issue.path.join('.'), issue.message]);
    expect(issues).toEqual([
      ['competencies.0.id', expect.stringContaining('"Bad Id" is not a valid id')],
      ['competencies.0.name', 'The name is empty.'],
      ['competencies.4.id', 'The id "fastapi_kafka_systems" is used twice; ids must be unique.'],
      ['competencies.weights', 'Weights add up to 0.95; they must total 1.00 (add 0.05).'],
    ]);
  });

  it('refuses more competencies than a spec can hold', () => {
    const content = fixtureContent();
    content.competencies = Array.from({ length: 21 }, (_, index) => ({
      id: `c_${index}`,
      name: `C${index}`,
      definition: 'd',
      weight: index === 0 ? 80 : 1,
    }));
    expect(validateSpecContent(content).map((issue) => issue.message)).toContain(
      '21 competencies is more than the 20 a spec can hold; merge or remove some.',
    );
  });
});

describe('contentHash and describeChanges', () => {
  it('hashes the same content the same regardless of key order', () => {
    const content = fixtureContent();
    const reordered = Object.fromEntries(Object.entries(content).reverse()) as unknown as SpecContent;
    expect(contentHash(reordered)).toBe(contentHash(content));
    expect(contentHash({ ...content, title: 'Other' })).not.toBe(contentHash(content));
  });

  it('describes weight moves, additions, removals and renames', () => {
    const before = fixtureContent();
    const after: SpecContent = {
      ...before,
      competencies: [
        { ...before.competencies[0]!, weight: 35, name: 'Payments Design' },
        ...before.competencies.slice(1, 4),
        { id: 'kotlin', name: 'Kotlin', definition: 'JVM', weight: 5 },
      ],
    };
    expect(describeChanges(before, after)).toEqual([
      'financial_systems_design 0.30 → 0.35',
      'renamed financial_systems_design to "Payments Design"',
      'added kotlin (0.05)',
      'removed fastapi_kafka_systems',
    ]);
  });

  it('says in words what changed in must-haves: added, removed, reworded, required, reordered', () => {
    const before = fixtureContent();
    const [a, b, c, d] = before.mustHaves;
    const after: SpecContent = {
      ...before,
      mustHaves: [
        { ...b!, required: false },
        a!,
        { text: 'Go or Rust in production', required: true },
        d!,
        { text: 'Kafka', required: false },
      ],
    };
    expect(describeChanges(before, after)).toEqual([
      `reworded must-have 3: "${c!.text.slice(0, 60)}…" → "Go or Rust in production"`,
      'added must-have "Kafka" (nice to have)',
      `must-have "${b!.text.slice(0, 60)}…" now nice to have`,
      'reordered must-haves',
    ]);
    expect(describeChanges(before, { ...before, mustHaves: [a!, b!, d!] })).toEqual([`removed must-have "${c!.text.slice(0, 60)}…"`]);
  });

  it('says in words what changed in the interview questions and the behavioral round', () => {
    const before = fixtureContent();
    const after: SpecContent = {
      ...before,
      interviewQuestions: { ...before.interviewQuestions, candidateSees: 5, autoPublish: false },
      behavioralRound: { ...before.behavioralRound, prompts: 6, mode: 'text' },
    };
    expect(describeChanges(before, after)).toEqual([
      'candidate sees 3 → 5 interview questions',
      'auto-publish of interview questions turned off',
      'behavioral prompts 4 → 6',
      'behavioral round by voice → text',
    ]);
  });

  it('refuses counts outside 1–10, an unknown mode, empty or duplicate must-haves', () => {
    const content = fixtureContent();
    const messages = validateSpecContent({
      ...content,
      mustHaves: [{ text: ' ', required: true }, content.mustHaves[0]!, { ...content.mustHaves[0]!, required: false }],
      interviewQuestions: { ...content.interviewQuestions, candidateSees: 11 },
      behavioralRound: { ...content.behavioralRound, prompts: 0, mode: 'video' },
    }).map((issue) => issue.message);
    expect(messages).toEqual([
      'This must-have is empty; write it or remove it.',
      'This must-have is listed twice; remove one.',
      'A candidate sees 1 to 10 interview questions; 11 is outside that.',
      'A behavioral round has 1 to 10 prompts; 0 is outside that.',
      'A behavioral round is held by voice or in text; choose voice or text.',
    ]);
  });
});
