import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseScore, type CompetencyScore } from './scoring';
import { findUnstorableText } from './text';

/**
 * The body of the interview platform's webhook (docs/interview-webhook.md, "Body").
 * Parsing answers the contract's 400 (not of the schema, with field paths); impossibleScores
 * answers part of its 422 (well-formed but impossible), which is why the schema lets any finite
 * score through.
 */
export const INTERVIEW_EVENT_TYPES = ['interview.started', 'interview.completed', 'interview.rescored', 'interview.abandoned'] as const;

export type InterviewEventType = (typeof INTERVIEW_EVENT_TYPES)[number];

export interface Candidate {
  id: string;
  name: string;
  email?: string;
}

export interface EventScore {
  competencyId: string;
  /** as sent, e.g. 82.5; see impossibleScores before trusting it */
  score: number;
  rationale?: string;
}

interface EventBase {
  eventId: string;
  occurredAt: Date;
  interviewId: string;
  /** lower-cased, so the same spec compares equal however the platform cased it */
  specId: string;
  sequence: number;
}

// Fields a type does not carry are declared `?: undefined` so code that handles every type alike
// (the digest, the event log) can read `event.scores` without narrowing first.
interface Absent {
  candidate?: undefined;
  startedAt?: undefined;
  completedAt?: undefined;
  abandonedAt?: undefined;
  scores?: undefined;
  reportUrl?: undefined;
}

export type InterviewStarted = EventBase &
  Omit<Absent, 'candidate' | 'startedAt'> & { type: 'interview.started'; candidate: Candidate; startedAt: Date };

export type InterviewCompleted = EventBase &
  Omit<Absent, 'candidate' | 'startedAt' | 'completedAt' | 'scores' | 'reportUrl'> & {
    type: 'interview.completed';
    candidate: Candidate;
    startedAt: Date;
    completedAt: Date;
    scores: EventScore[];
    reportUrl?: string;
  };

export type InterviewRescored = EventBase & Omit<Absent, 'scores'> & { type: 'interview.rescored'; scores: EventScore[] };

export type InterviewAbandoned = EventBase & Omit<Absent, 'abandonedAt'> & { type: 'interview.abandoned'; abandonedAt: Date };

export type InterviewEvent = InterviewStarted | InterviewCompleted | InterviewRescored | InterviewAbandoned;

/** One reason a body is not of the schema; `path` is dotted, e.g. "data.scores.2.score" ("" for the body itself). */
export interface EventIssue {
  path: string;
  message: string;
}

export type InterviewEventParse = { ok: true; event: InterviewEvent } | { ok: false; issues: EventIssue[] };

/**
 * The largest sequence stored (PostgreSQL `integer`). Without this bound a larger whole number
 * passed the schema and failed the insert: a 500 the platform retried forever. Two billion events
 * for one interview is far beyond any real one, so the bound is a 400 rather than a wider column.
 */
export const MAX_SEQUENCE = 2_147_483_647;

const identifier = z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

// RFC 3339 as the contract's example writes it; an offset (or Z) is required because a local
// time would be read in the server's zone, which the platform cannot know.
const timestamp = z.iso.datetime({
  offset: true,
  error: (issue) => (issue.input === undefined ? 'is missing' : 'must be an ISO 8601 date-time with an offset, e.g. 2026-11-23T17:42:10Z'),
});

// Optional fields also accept null: many JSON encoders write absent optionals that way, and
// refusing a whole completed interview over it would lose a result for nothing.
const candidate = z.object({
  id: identifier,
  name: z.string().min(1, 'must not be empty'),
  // Not checked as an address: it is only displayed, and a strict check would reject real ones.
  email: z.string().nullish(),
});

const score = z.object({
  competency_id: identifier,
  // Any finite number: range and decimals are the contract's 422, not its 400 (impossibleScores).
  score: z.number(),
  rationale: z.string().nullish(),
});

const scores = z.array(score).min(1, 'must have at least one score');

const reportUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).nullish();

const commonData = z.object({
  interview_id: identifier,
  spec_id: z.uuid({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a UUID') }),
  sequence: z
    .number({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a whole number') })
    .min(0, 'must be 0 or more')
    .max(MAX_SEQUENCE, `must be at most ${MAX_SEQUENCE}`)
    // not .int(): it also refuses integers beyond 2^53 as "not an integer", a second, wrong issue
    .refine(Number.isInteger, 'must be a whole number'),
});

const envelope = <T extends z.ZodType, D extends z.ZodType>(type: T, data: D) =>
  z.object({ id: identifier, type, occurred_at: timestamp, data });

// One schema per type, chosen by `type` before parsing, rather than z.discriminatedUnion: that
// stops at an unknown `type`, whereas the fallback below still reports the common fields' problems
// in the same 400, so the platform does not fix them one round trip at a time.
const schemas = {
  'interview.started': envelope(z.literal('interview.started'), commonData.extend({ candidate, started_at: timestamp })),
  'interview.completed': envelope(
    z.literal('interview.completed'),
    commonData.extend({ candidate, started_at: timestamp, completed_at: timestamp, scores, report_url: reportUrl }),
  ),
  'interview.rescored': envelope(z.literal('interview.rescored'), commonData.extend({ scores })),
  'interview.abandoned': envelope(z.literal('interview.abandoned'), commonData.extend({ abandoned_at: timestamp })),
};

const unknownType = envelope(z.enum(INTERVIEW_EVENT_TYPES), commonData);

type Body<K extends InterviewEventType> = z.infer<(typeof schemas)[K]>;

export function parseInterviewEvent(json: unknown): InterviewEventParse {
  if (!isRecord(json)) return { ok: false, issues: [{ path: '', message: 'must be a JSON object' }] };
  const unstorable = findUnstorableText(json);
  if (unstorable)
    return {
      ok: false,
      issues: [{ path: unstorable.path.map(String).join('.'), message: `contains ${unstorable.problem}, which cannot be stored` }],
    };
  const type = json.type;
  if (!isEventType(type)) return { ok: false, issues: issuesOf(unknownType, json) ?? [] };

  switch (type) {
    case 'interview.started': {
      const parsed = schemas[type].safeParse(json, { error: plainWords });
      return parsed.success ? { ok: true, event: started(parsed.data) } : { ok: false, issues: toIssues(parsed.error) };
    }
    case 'interview.completed': {
      const parsed = schemas[type].safeParse(json, { error: plainWords });
      return parsed.success ? { ok: true, event: completed(parsed.data) } : { ok: false, issues: toIssues(parsed.error) };
    }
    case 'interview.rescored': {
      const parsed = schemas[type].safeParse(json, { error: plainWords });
      return parsed.success ? { ok: true, event: rescored(parsed.data) } : { ok: false, issues: toIssues(parsed.error) };
    }
    case 'interview.abandoned': {
      const parsed = schemas[type].safeParse(json, { error: plainWords });
      return parsed.success ? { ok: true, event: abandoned(parsed.data) } : { ok: false, issues: toIssues(parsed.error) };
    }
  }
}

/**
 * The contract's "scores from 0 to 100 with at most one decimal", as sentences for the 422.
 * Empty when every score is possible. Whether the scores cover the pinned version's competencies
 * is checked elsewhere (checkScoresAgainst), because only the store knows the pinned version.
 */
export function impossibleScores(event: InterviewEvent): string[] {
  const problems: string[] = [];
  for (const s of event.scores ?? []) {
    if (parseScore(s.score) !== undefined) continue;
    const inRange = Number.isFinite(s.score) && s.score >= 0 && s.score <= 100;
    problems.push(
      inRange
        ? `score ${s.score} for "${s.competencyId}" has more than one decimal`
        : `score ${s.score} for "${s.competencyId}" is outside 0–100`,
    );
  }
  return problems;
}

/**
 * Scores in tenths for exact arithmetic (scoring.ts). Call only once impossibleScores is empty:
 * an impossible score throws rather than being dropped, since dropping it would quietly turn into
 * a "missing score" or a wrong overall.
 */
export function toTenths(eventScores: readonly EventScore[]): (CompetencyScore & { rationale?: string })[] {
  return eventScores.map((s) => {
    const tenths = parseScore(s.score);
    if (tenths === undefined) throw new Error(`score ${s.score} for "${s.competencyId}" is not a possible score`);
    return s.rationale === undefined
      ? { competencyId: s.competencyId, score: tenths }
      : { competencyId: s.competencyId, score: tenths, rationale: s.rationale };
  });
}

/**
 * What the contract's "same body" compares (200 duplicate vs 409 conflict): sha256 hex of the raw
 * request bytes.
 *
 * Why raw bytes and not re-serialised JSON: the raw bytes are what the signature authenticated,
 * and a platform that re-delivers an event re-sends the payload it stored, byte for byte; only the
 * signature header (its t) changes between attempts, and that is not part of the body. Hashing
 * our own re-serialisation would instead tie "same" to details of our parser and schema: fields
 * we ignore today (forward compatibility) would drop out of the comparison, so two genuinely
 * different bodies could pass as duplicates and the second would be silently discarded.
 *
 * Is it right? Yes for the platform the contract describes. Its cost is the other direction: a
 * platform that re-serialised on every attempt (different key order or whitespace) would get a
 * 409 for a true duplicate. That error is loud ("alert a human") rather than lossy, which is the
 * side to err on; if it ever happens, the fix is a semantic comparison here, not in callers.
 */
export function canonicalBodyHash(rawBody: Buffer): string {
  return createHash('sha256').update(rawBody).digest('hex');
}

function base(body: Body<InterviewEventType>): EventBase {
  return {
    eventId: body.id,
    occurredAt: new Date(body.occurred_at),
    interviewId: body.data.interview_id,
    specId: body.data.spec_id.toLowerCase(),
    sequence: body.data.sequence,
  };
}

function started(body: Body<'interview.started'>): InterviewStarted {
  return {
    ...base(body),
    type: 'interview.started',
    candidate: toCandidate(body.data.candidate),
    startedAt: new Date(body.data.started_at),
  };
}

function completed(body: Body<'interview.completed'>): InterviewCompleted {
  const event: InterviewCompleted = {
    ...base(body),
    type: 'interview.completed',
    candidate: toCandidate(body.data.candidate),
    startedAt: new Date(body.data.started_at),
    completedAt: new Date(body.data.completed_at),
    scores: body.data.scores.map(toScore),
  };
  if (body.data.report_url != null) event.reportUrl = body.data.report_url;
  return event;
}

function rescored(body: Body<'interview.rescored'>): InterviewRescored {
  return { ...base(body), type: 'interview.rescored', scores: body.data.scores.map(toScore) };
}

function abandoned(body: Body<'interview.abandoned'>): InterviewAbandoned {
  return { ...base(body), type: 'interview.abandoned', abandonedAt: new Date(body.data.abandoned_at) };
}

function toCandidate(c: z.infer<typeof candidate>): Candidate {
  return c.email == null ? { id: c.id, name: c.name } : { id: c.id, name: c.name, email: c.email };
}

function toScore(s: z.infer<typeof score>): EventScore {
  return s.rationale == null
    ? { competencyId: s.competency_id, score: s.score }
    : { competencyId: s.competency_id, score: s.score, rationale: s.rationale };
}

function issuesOf(schema: z.ZodType, json: unknown): EventIssue[] | undefined {
  const parsed = schema.safeParse(json, { error: plainWords });
  return parsed.success ? undefined : toIssues(parsed.error);
}

function toIssues(error: z.ZodError): EventIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  object: 'an object',
  array: 'a list',
  boolean: 'true or false',
};

/**
 * Zod's default wording ("Invalid input: expected string, received undefined") is for developers;
 * the 400 goes to the platform's engineers and sometimes to a human reading an alert. Checks that
 * carry their own message keep it; this only words what they leave to zod.
 */
function plainWords(issue: z.core.$ZodRawIssue): string | undefined {
  // JSON has no undefined, so an undefined input is always a field that is not there.
  if (issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) return 'is missing';
  if (issue.code === 'invalid_type') {
    const name = TYPE_NAMES[issue.expected];
    return name === undefined ? undefined : `must be ${name}`;
  }
  if (issue.code === 'invalid_value') {
    return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
  }
  return undefined;
}

function isEventType(value: unknown): value is InterviewEventType {
  return typeof value === 'string' && (INTERVIEW_EVENT_TYPES as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
