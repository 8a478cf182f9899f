import { Client } from 'pg';
import { completed } from '../../test/support/interview-events';
import type { FakeSlack } from '../../test/support/fake-slack';
import { Rig, sleep, specDocuments } from './rig';
import { bump } from './tally';

/** A rig with `specCount` specs, each followed by `channelsPerSpec` channels of its own. */
export interface DeliverySetup {
  rig: Rig;
  specs: { id: string; slug: string; channels: string[] }[];
}

export async function setupDelivery(options: {
  specCount: number;
  channelsPerSpec: number;
  env?: Record<string, string>;
  slack?: FakeSlack;
  name: string;
}): Promise<DeliverySetup> {
  const documents = specDocuments(options.specCount);
  const rig = await Rig.start({ name: options.name, env: options.env, slack: options.slack, specs: documents });
  try {
    const specs = documents.map((doc, s) => ({
      id: doc.id,
      slug: doc.slug,
      channels: Array.from({ length: options.channelsPerSpec }, (_, c) => `CDRILL${s}X${c}`),
    }));
    for (const spec of specs) await rig.subscribe(spec.channels, spec.slug);
    return { rig, specs };
  } catch (error) {
    await rig.close();
    throw error;
  }
}

export interface DrillEvent {
  eventId: string;
  interviewId: string;
  specIndex: number;
  raw: string;
}

/**
 * A distinct `interview.completed` for interview `<tag>_<index>`, spread over the specs (event i
 * goes to spec i mod the number of specs). `completedAt` dates it (started 40 minutes before);
 * otherwise the fixture's fixed times.
 */
export function makeEvent(setup: DeliverySetup, tag: string, index: number, completedAt?: Date): DrillEvent {
  const specIndex = index % setup.specs.length;
  const interviewId = `int_${tag}_${index}`;
  const eventId = `evt_${tag}_${index}`;
  const times = completedAt
    ? { completedAt: completedAt.toISOString(), startedAt: new Date(completedAt.getTime() - 40 * 60_000).toISOString() }
    : {};
  const body = completed({ id: eventId, interviewId, specId: setup.specs[specIndex]!.id, candidateName: `Candidate ${index}`, ...times });
  return { eventId, interviewId, specIndex, raw: JSON.stringify(body) };
}

export function channelsOf(setup: DeliverySetup, events: Map<string, DrillEvent>) {
  return (interview: string) => setup.specs[events.get(interview)!.specIndex]!.channels;
}

/** Where a webhook goes: a rig's app, or several apps behind something that picks one per try. */
export interface WebhookTarget {
  webhook(raw: string): Promise<{ status: number }>;
}

/**
 * Sends one event as the platform would: the same bytes (freshly signed) again after no answer or a
 * 503, with backoff, until any other answer or `giveUpMs`. Returns the last status (0 = never answered).
 */
export async function sendAsPlatform(
  rig: WebhookTarget,
  event: DrillEvent,
  statuses: Map<number, number>,
  giveUpMs = 90_000,
): Promise<number> {
  const deadline = Date.now() + giveUpMs;
  let delay = 100;
  for (;;) {
    const { status } = await rig.webhook(event.raw);
    bump(statuses, status);
    if (status !== 0 && status !== 503) return status;
    if (Date.now() > deadline) return status;
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 1_000);
  }
}

/**
 * `senders` loops, each posting new events until `stop()` is called; each event is retried as the
 * platform would. Returns what was sent and how it was answered.
 */
export function continuousLoad(setup: DeliverySetup, tag: string, senders: number) {
  const events = new Map<string, DrillEvent>();
  const answered = new Map<string, number>();
  const statuses = new Map<number, number>();
  let next = 0;
  let stopping = false;
  const loops = Array.from({ length: senders }, async () => {
    while (!stopping) {
      const event = makeEvent(setup, tag, next++);
      events.set(event.interviewId, event);
      answered.set(event.interviewId, await sendAsPlatform(setup.rig, event, statuses));
    }
  });
  return {
    events,
    answered,
    statuses,
    get sent() {
      return next;
    },
    async stop() {
      stopping = true;
      await Promise.all(loops);
    },
  };
}

/** Interviews among `ids` the database holds as completed (the "has its interview" check). */
export async function completedInterviews(databaseUrl: string, ids: string[]): Promise<Set<string>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ id: string }>(`SELECT id FROM interview WHERE id = ANY($1) AND status = 'completed'`, [ids]);
    return new Set(result.rows.map((row) => row.id));
  } finally {
    await client.end();
  }
}

/** Deliveries by status (dead letters show as failed), for the notes. */
export async function deliveryStatuses(databaseUrl: string): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ status: string; n: string }>(
      `SELECT status, count(*) AS n FROM delivery GROUP BY status ORDER BY status`,
    );
    const counts = result.rows.map((row) => `${row.status}×${row.n}`).join(' ') || '-';
    // What a stuck delivery is waiting for: its turn, lease and job, for the drill's report.
    const stuck = await client.query<{ row: string }>(
      `SELECT concat_ws(' ', d.channel_id, d.kind, 'turn', to_char(d.send_at, 'HH24:MI:SS.MS'), 'next', to_char(d.next_attempt_at, 'HH24:MI:SS.MS'),
                        'lease', to_char(d.lease_until, 'HH24:MI:SS'), 'attempts', d.attempts, 'job', coalesce(j.task_identifier, 'none'),
                        'run', to_char(j.run_at, 'HH24:MI:SS.MS'), 'locked', to_char(j.locked_at, 'HH24:MI:SS'), 'tries', j.attempts, d.last_error) AS row
       FROM delivery d LEFT JOIN graphile_worker.jobs j ON j.key = 'delivery:' || d.id::text
       WHERE d.status = 'pending' ORDER BY d.channel_id, d.send_at NULLS LAST LIMIT 4`,
    );
    const pace = await client.query<{ row: string }>(
      `SELECT concat_ws(' ', channel_id, 'tat', to_char(tat, 'HH24:MI:SS.MS'), 'sent_tat', to_char(sent_tat, 'HH24:MI:SS.MS'), 'now', to_char(now(), 'HH24:MI:SS.MS')) AS row
       FROM channel_pace WHERE channel_id IN (SELECT channel_id FROM delivery WHERE status = 'pending')`,
    );
    return [counts, ...stuck.rows.map((r) => `(${r.row})`), ...pace.rows.map((r) => `[${r.row}]`)].join(' ');
  } finally {
    await client.end();
  }
}
