/**
 * The demo's interviews, as the platform would report them: pure and deterministic. An event's id
 * and bytes depend only on the week it falls in, its place in that week and the spec version it is
 * scored with, so running the demo again sends the same events (answered "duplicate") and adds
 * only those whose time has come since.
 */
export interface DemoVersion {
  number: number;
  createdAt: Date;
  competencyIds: string[];
}

export interface DemoEvent {
  at: Date;
  body: Record<string, unknown>;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;
const INTERVIEWS_PER_WEEK = 9;

const CANDIDATES = [
  'Ada Okafor',
  'Bruno Silva',
  'Chen Wei',
  'Dana Levi',
  'Elif Yilmaz',
  'Farah Haddad',
  'Gustav Berg',
  'Hana Sato',
  'Ivan Petrov',
  'Jasmine Ortiz',
  'Kofi Mensah',
  'Lena Fischer',
  'Mateo Rossi',
  'Nadia Rahman',
  'Owen Price',
  'Priya Nair',
];

/** Monday 00:00 UTC of the week `at` falls in. */
export function weekStart(at: Date): Date {
  const day = (at.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() - day));
}

/**
 * Every event of the last `weeks` weeks (this one included) whose time is not after `now`, oldest
 * first. Each week: nine interviews, most completed, one or two abandoned, one still going; one
 * completed interview a week is rescored a day later. Scores drift upwards over the weeks.
 */
export function demoEvents(options: { specId: string; weeks: number; now: Date; versions: DemoVersion[] }): DemoEvent[] {
  const events: DemoEvent[] = [];
  const thisWeek = weekStart(options.now).getTime();
  for (let w = options.weeks - 1; w >= 0; w -= 1) {
    const week = new Date(thisWeek - w * WEEK_MS);
    for (let n = 0; n < INTERVIEWS_PER_WEEK; n += 1) events.push(...interview(options, week, n, options.weeks - 1 - w));
  }
  return events.filter((event) => event.at <= options.now).sort((a, b) => a.at.getTime() - b.at.getTime());
}

function interview(options: { specId: string; versions: DemoVersion[] }, week: Date, n: number, weekIndex: number): DemoEvent[] {
  const weekKey = week.toISOString().slice(0, 10);
  const random = seeded(`${options.specId}:${weekKey}:${n}`);
  const startedAt = new Date(
    week.getTime() + (n % 5) * 86_400_000 + (9 + Math.floor(random() * 8)) * 3_600_000 + Math.floor(random() * 60) * 60_000,
  );
  const version = versionAt(options.versions, startedAt);
  // The version is part of the ids: after an edit the same slot is a different interview, not a conflicting event.
  const interviewId = `int_demo_${weekKey}_${n}_v${version.number}`;
  const name = CANDIDATES[Math.floor(random() * CANDIDATES.length)]!;
  const candidate = { id: `cand_demo_${weekKey}_${n}`, name, email: `${name.toLowerCase().replace(/\s+/g, '.')}@example.com` };
  const base = (type: string, sequence: number, at: Date, data: Record<string, unknown>): DemoEvent => ({
    at,
    body: {
      id: `evt_${interviewId}_${sequence}`,
      type,
      occurred_at: at.toISOString(),
      data: { interview_id: interviewId, spec_id: options.specId, sequence, ...data },
    },
  });
  const events = [base('interview.started', 1, startedAt, { candidate, started_at: startedAt.toISOString() })];
  const fate = random();
  if (n === INTERVIEWS_PER_WEEK - 1) return events; // still going
  if (fate < 0.18) {
    const abandonedAt = new Date(startedAt.getTime() + (5 + Math.floor(random() * 20)) * 60_000);
    return [...events, base('interview.abandoned', 2, abandonedAt, { abandoned_at: abandonedAt.toISOString() })];
  }
  const completedAt = new Date(startedAt.getTime() + (35 + Math.floor(random() * 20)) * 60_000);
  const level = 58 + weekIndex * 2.5 + random() * 22;
  const scores = version.competencyIds.map((id) => ({ competency_id: id, score: clampScore(level + (random() - 0.5) * 24) }));
  events.push(
    base('interview.completed', 2, completedAt, {
      candidate,
      started_at: startedAt.toISOString(),
      completed_at: completedAt.toISOString(),
      scores,
      report_url: `https://interviews.example.com/r/${interviewId}`,
    }),
  );
  if (n === 1) {
    const rescoredAt = new Date(completedAt.getTime() + 86_400_000);
    const corrected = scores.map((s, i) => (i === 0 ? { ...s, score: clampScore(s.score + 6) } : s));
    events.push(base('interview.rescored', 3, rescoredAt, { scores: corrected }));
  }
  return events;
}

/** The version the platform would score with: the one current when the interview started, else the first. */
function versionAt(versions: readonly DemoVersion[], at: Date): DemoVersion {
  const sorted = [...versions].sort((a, b) => a.number - b.number);
  const current = sorted.filter((v) => v.createdAt <= at).pop();
  return current ?? sorted[0]!;
}

function clampScore(score: number): number {
  return Math.round(Math.min(100, Math.max(0, score)) * 10) / 10;
}

/** mulberry32 over a string hash: the same seed gives the same interview on every run and machine. */
function seeded(seed: string): () => number {
  let state = 2166136261;
  for (const character of seed) state = Math.imul(state ^ character.charCodeAt(0), 16777619);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
