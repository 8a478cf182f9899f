import { randomUUID } from 'node:crypto';

export const DEMO_SPEC_ID = '58fd32b5-4151-4e1b-aa1c-ab2538f8b850';

/** The contract's example scores: overall 77.85, shown as 77.9. */
export const EXAMPLE_SCORES = [
  { competency_id: 'financial_systems_design', score: 82, rationale: 'Designed an idempotent refund state machine' },
  { competency_id: 'distributed_systems_reliability', score: 74 },
  { competency_id: 'postgres_schema_design', score: 90 },
  { competency_id: 'production_ownership', score: 65 },
  { competency_id: 'fastapi_kafka_systems', score: 70 },
];

/** Scores for the demo spec's five competencies, in its order. */
export const demoScores = (values: number[]) => EXAMPLE_SCORES.map(({ competency_id }, i) => ({ competency_id, score: values[i]! }));

const candidate = { id: 'cand_19', name: 'Ada Lovelace', email: 'ada@example.com' };

interface Options {
  interviewId?: string;
  specId?: string;
  sequence?: number;
  id?: string;
  scores?: { competency_id: string; score: number; rationale?: string }[];
  candidateName?: string;
  startedAt?: string;
  completedAt?: string;
  abandonedAt?: string;
}

function base(type: string, options: Options, sequence: number) {
  return {
    id: options.id ?? `evt_${randomUUID()}`,
    type,
    occurred_at: new Date().toISOString(),
    data: {
      interview_id: options.interviewId ?? `int_${randomUUID().slice(0, 8)}`,
      spec_id: options.specId ?? DEMO_SPEC_ID,
      sequence: options.sequence ?? sequence,
    },
  };
}

const who = (options: Options) => (options.candidateName ? { ...candidate, name: options.candidateName } : candidate);

export function started(options: Options = {}) {
  const event = base('interview.started', options, 1);
  return { ...event, data: { ...event.data, candidate: who(options), started_at: options.startedAt ?? '2026-11-23T17:01:00Z' } };
}

export function completed(options: Options = {}) {
  const event = base('interview.completed', options, 3);
  return {
    ...event,
    data: {
      ...event.data,
      candidate: who(options),
      started_at: options.startedAt ?? '2026-11-23T17:01:00Z',
      completed_at: options.completedAt ?? '2026-11-23T17:42:10Z',
      scores: options.scores ?? EXAMPLE_SCORES,
      report_url: `https://interviews.example.com/r/${event.data.interview_id}`,
    },
  };
}

export function rescored(options: Options = {}) {
  const event = base('interview.rescored', options, 4);
  return { ...event, data: { ...event.data, scores: options.scores ?? EXAMPLE_SCORES } };
}

export function abandoned(options: Options = {}) {
  const event = base('interview.abandoned', options, 2);
  return { ...event, data: { ...event.data, abandoned_at: options.abandonedAt ?? '2026-11-23T17:20:00Z' } };
}
