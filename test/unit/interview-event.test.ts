import { canonicalBodyHash, impossibleScores, parseInterviewEvent, toTenths, type InterviewEvent } from '../../src/domain/interview-event';

/** The contract's example body, verbatim (shared/contracts/interview-events.md). */
const contractExample = `{
  "id": "evt_2QeJ8b1",
  "type": "interview.completed",
  "occurred_at": "2026-11-23T17:42:10Z",
  "data": {
    "interview_id": "int_7f3a",
    "spec_id": "58fd32b5-4151-4e1b-aa1c-ab2538f8b850",
    "sequence": 3,
    "candidate": { "id": "cand_19", "name": "Ada Lovelace", "email": "ada@example.com" },
    "started_at": "2026-11-23T17:01:00Z",
    "completed_at": "2026-11-23T17:42:10Z",
    "scores": [
      { "competency_id": "financial_systems_design", "score": 82, "rationale": "Designed an idempotent refund state machine…" },
      { "competency_id": "distributed_systems_reliability", "score": 74 },
      { "competency_id": "postgres_schema_design", "score": 90 },
      { "competency_id": "production_ownership", "score": 65 },
      { "competency_id": "fastapi_kafka_systems", "score": 70 }
    ],
    "report_url": "https://interviews.example.com/r/int_7f3a"
  }
}`;

// biome-ignore lint/suspicious/noExplicitAny: fixtures are edited freely to make bad events
type Json = Record<string, any>;
const completedBody = (): Json => JSON.parse(contractExample);
const common = (type: string, data: Json): Json => ({
  id: 'evt_1',
  type,
  occurred_at: '2026-11-23T17:01:00+01:00',
  data: { interview_id: 'int_7f3a', spec_id: '58fd32b5-4151-4e1b-aa1c-ab2538f8b850', sequence: 0, ...data },
});
const startedBody = () => common('interview.started', { candidate: { id: 'cand_19', name: 'Ada' }, started_at: '2026-11-23T17:01:00Z' });
const rescoredBody = () => common('interview.rescored', { scores: [{ competency_id: 'a', score: 80.5 }] });
const abandonedBody = () => common('interview.abandoned', { abandoned_at: '2026-11-23T17:20:00Z' });

const event = (json: unknown): InterviewEvent => {
  const parsed = parseInterviewEvent(json);
  if (!parsed.ok) throw new Error(`expected it to parse: ${JSON.stringify(parsed.issues)}`);
  return parsed.event;
};
const issues = (json: unknown) => {
  const parsed = parseInterviewEvent(json);
  if (parsed.ok) throw new Error('expected it to be refused');
  return parsed.issues;
};
const without = (json: Json, path: string): Json => {
  const keys = path.split('.');
  const last = keys.pop()!;
  let target: Json = json;
  for (const key of keys) target = target[key];
  delete target[last];
  return json;
};

describe('parseInterviewEvent', () => {
  it("parses the contract's example into a completed event in camelCase", () => {
    const parsed = event(JSON.parse(contractExample));
    expect(parsed).toEqual({
      eventId: 'evt_2QeJ8b1',
      type: 'interview.completed',
      occurredAt: new Date('2026-11-23T17:42:10Z'),
      interviewId: 'int_7f3a',
      specId: '58fd32b5-4151-4e1b-aa1c-ab2538f8b850',
      sequence: 3,
      candidate: { id: 'cand_19', name: 'Ada Lovelace', email: 'ada@example.com' },
      startedAt: new Date('2026-11-23T17:01:00Z'),
      completedAt: new Date('2026-11-23T17:42:10Z'),
      scores: [
        { competencyId: 'financial_systems_design', score: 82, rationale: 'Designed an idempotent refund state machine…' },
        { competencyId: 'distributed_systems_reliability', score: 74 },
        { competencyId: 'postgres_schema_design', score: 90 },
        { competencyId: 'production_ownership', score: 65 },
        { competencyId: 'fastapi_kafka_systems', score: 70 },
      ],
      reportUrl: 'https://interviews.example.com/r/int_7f3a',
    });
    expect(impossibleScores(parsed)).toEqual([]);
  });

  it('parses the other three types', () => {
    const started = event(startedBody());
    expect(started.type).toBe('interview.started');
    expect(started.candidate).toEqual({ id: 'cand_19', name: 'Ada' });
    expect(started.startedAt).toEqual(new Date('2026-11-23T17:01:00Z'));
    expect(started.occurredAt).toEqual(new Date('2026-11-23T16:01:00Z'));
    expect(started.sequence).toBe(0);

    expect(event(rescoredBody())).toMatchObject({ type: 'interview.rescored', scores: [{ competencyId: 'a', score: 80.5 }] });
    expect(event(abandonedBody())).toMatchObject({
      type: 'interview.abandoned',
      abandonedAt: new Date('2026-11-23T17:20:00Z'),
    });
  });

  it('ignores unknown fields, and treats null optionals as absent', () => {
    const body = completedBody();
    body.delivery_attempt = 2;
    body.data.locale = 'en-GB';
    body.data.candidate.email = null;
    body.data.candidate.pronouns = 'she/her';
    body.data.report_url = null;
    body.data.scores[0].rationale = null;
    body.data.scores[0].confidence = 0.9;
    const parsed = event(body);
    expect(parsed).not.toHaveProperty('deliveryAttempt');
    expect(parsed.candidate).toEqual({ id: 'cand_19', name: 'Ada Lovelace' });
    expect(parsed.reportUrl).toBeUndefined();
    expect(parsed.scores?.[0]).toEqual({ competencyId: 'financial_systems_design', score: 82 });
  });

  it('lower-cases the spec id', () => {
    const body = completedBody();
    body.data.spec_id = '58FD32B5-4151-4E1B-AA1C-AB2538F8B850';
    expect(event(body).specId).toBe('58fd32b5-4151-4e1b-aa1c-ab2538f8b850');
  });

  it.each([
    ['common', completedBody, 'id'],
    ['common', completedBody, 'occurred_at'],
    ['common', completedBody, 'data'],
    ['common', completedBody, 'data.interview_id'],
    ['common', completedBody, 'data.spec_id'],
    ['common', completedBody, 'data.sequence'],
    ['interview.started', startedBody, 'data.candidate'],
    ['interview.started', startedBody, 'data.candidate.id'],
    ['interview.started', startedBody, 'data.candidate.name'],
    ['interview.started', startedBody, 'data.started_at'],
    ['interview.completed', completedBody, 'data.candidate'],
    ['interview.completed', completedBody, 'data.started_at'],
    ['interview.completed', completedBody, 'data.completed_at'],
    ['interview.completed', completedBody, 'data.scores'],
    ['interview.completed', completedBody, 'data.scores.2.score'],
    ['interview.completed', completedBody, 'data.scores.2.competency_id'],
    ['interview.rescored', rescoredBody, 'data.scores'],
    ['interview.abandoned', abandonedBody, 'data.abandoned_at'],
  ])('%s: a missing %s is reported at %s', (_type, body, path) => {
    expect(issues(without(body(), path))).toEqual([{ path, message: 'is missing' }]);
  });

  it('reports every bad field at once', () => {
    const body = completedBody();
    delete body.data.candidate.name;
    body.data.sequence = 'three';
    body.data.scores[1].score = '74';
    expect(issues(body)).toEqual([
      { path: 'data.sequence', message: 'must be a whole number' },
      { path: 'data.candidate.name', message: 'is missing' },
      { path: 'data.scores.1.score', message: 'must be a number' },
    ]);
  });

  it('refuses an empty score list', () => {
    const body = completedBody();
    body.data.scores = [];
    expect(issues(body)).toEqual([{ path: 'data.scores', message: 'must have at least one score' }]);
  });

  it('refuses a spec id that is not a UUID', () => {
    const body = completedBody();
    body.data.spec_id = 'senior-backend-payments';
    expect(issues(body)).toEqual([{ path: 'data.spec_id', message: 'must be a UUID' }]);
  });

  it('refuses a sequence that is not a whole number of 0 or more', () => {
    const body = completedBody();
    body.data.sequence = 3.5;
    expect(issues(body)).toEqual([{ path: 'data.sequence', message: 'must be a whole number' }]);
    body.data.sequence = -1;
    expect(issues(body)).toEqual([{ path: 'data.sequence', message: 'must be 0 or more' }]);
    body.data.sequence = 2 ** 53;
    expect(issues(body)).toEqual([{ path: 'data.sequence', message: 'must be at most 2147483647' }]);
    // the largest the integer column holds, and one more
    body.data.sequence = 2_147_483_647;
    expect(parseInterviewEvent(body).ok).toBe(true);
    body.data.sequence = 2_147_483_648;
    expect(issues(body)).toEqual([{ path: 'data.sequence', message: 'must be at most 2147483647' }]);
  });

  it('refuses an empty or overlong id', () => {
    const body = completedBody();
    body.id = '';
    expect(issues(body)).toEqual([{ path: 'id', message: 'must not be empty' }]);
    body.id = 'x'.repeat(201);
    expect(issues(body)).toEqual([{ path: 'id', message: 'must be at most 200 characters' }]);
    body.id = 'x'.repeat(200);
    expect(event(body).eventId).toHaveLength(200);
  });

  it('refuses date-times without an offset or that are not dates', () => {
    const body = completedBody();
    body.occurred_at = '2026-11-23T17:42:10';
    body.data.started_at = '2026-02-30T17:01:00Z';
    body.data.completed_at = 1_795_000_000;
    expect(issues(body).map((i) => i.path)).toEqual(['occurred_at', 'data.started_at', 'data.completed_at']);
    expect(issues(body)[0]!.message).toContain('ISO 8601');
  });

  it('refuses a report_url that is not http(s)', () => {
    for (const url of ['ftp://interviews.example.com/r/1', 'javascript:alert(1)', 'interviews.example.com/r/1']) {
      const body = completedBody();
      body.data.report_url = url;
      expect(issues(body)).toEqual([{ path: 'data.report_url', message: 'must be an http or https URL' }]);
    }
    const body = completedBody();
    body.data.report_url = 'http://localhost:3000/r/1';
    expect(event(body).reportUrl).toBe('http://localhost:3000/r/1');
  });

  it('refuses an unknown type with an issue on type, still checking the common fields', () => {
    const body = completedBody();
    body.type = 'interview.paused';
    expect(issues(body)).toEqual([
      {
        path: 'type',
        message: 'must be one of interview.started, interview.completed, interview.rescored, interview.abandoned',
      },
    ]);
    body.data.spec_id = 'nope';
    expect(issues(body).map((i) => i.path)).toEqual(['type', 'data.spec_id']);
    delete body.type;
    expect(issues(body)[0]).toEqual({ path: 'type', message: 'is missing' });
  });

  it('refuses a body that is not an object', () => {
    for (const json of [null, [], 'evt', 42]) {
      expect(issues(json)).toEqual([{ path: '', message: 'must be a JSON object' }]);
    }
  });
});

describe('impossibleScores', () => {
  it('names 100.5, -1 and 82.55 while the schema accepts them', () => {
    const body = completedBody();
    body.data.scores[0].score = 100.5;
    body.data.scores[1].score = -1;
    body.data.scores[2].score = 82.55;
    const parsed = parseInterviewEvent(body);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(impossibleScores(parsed.event)).toEqual([
      'score 100.5 for "financial_systems_design" is outside 0–100',
      'score -1 for "distributed_systems_reliability" is outside 0–100',
      'score 82.55 for "postgres_schema_design" has more than one decimal',
    ]);
  });

  it('accepts the edges and one decimal', () => {
    const body = rescoredBody();
    body.data.scores = [0, 100, 82.5, 0.1].map((score, i) => ({ competency_id: `c${i}`, score }));
    expect(impossibleScores(event(body))).toEqual([]);
  });

  it('has nothing to say about events without scores', () => {
    expect(impossibleScores(event(startedBody()))).toEqual([]);
    expect(impossibleScores(event(abandonedBody()))).toEqual([]);
  });
});

describe('toTenths', () => {
  it('turns possible scores into tenths, keeping rationales', () => {
    expect(
      toTenths([
        { competencyId: 'a', score: 82, rationale: 'why' },
        { competencyId: 'b', score: 82.5 },
        { competencyId: 'c', score: 0.1 },
      ]),
    ).toEqual([
      { competencyId: 'a', score: 820, rationale: 'why' },
      { competencyId: 'b', score: 825 },
      { competencyId: 'c', score: 1 },
    ]);
  });

  it('throws on an impossible score rather than dropping it', () => {
    expect(() => toTenths([{ competencyId: 'a', score: 82.55 }])).toThrow('82.55');
  });
});

describe('canonicalBodyHash', () => {
  it('is the sha256 of the raw bytes, so a re-sent body matches and a re-serialised one does not', () => {
    const raw = Buffer.from(contractExample);
    expect(canonicalBodyHash(raw)).toMatch(/^[0-9a-f]{64}$/);
    expect(canonicalBodyHash(Buffer.from(contractExample))).toBe(canonicalBodyHash(raw));
    expect(canonicalBodyHash(Buffer.from(JSON.stringify(JSON.parse(contractExample))))).not.toBe(canonicalBodyHash(raw));
  });
});
