import { Client } from 'pg';
import { parseJson, type FakeSlack } from '../../test/support/fake-slack';
import type { Rig } from './rig';

/** Weekly digests in a drill: scheduled as users schedule them, made due, and checked "each once". */

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * Each channel picks its digest time with `/spec digest <day> <HH:MM> UTC`, as a user would: the
 * latest quarter hour (UTC), so this week's occurrence has just passed and the app schedules the next
 * a week on. Returns that occurrence: the end of the period every digest of the drill must cover.
 * A digest claimed more than 10 minutes after it is marked late (and says so); that is expected.
 */
export async function chooseDigestTime(rig: Rig, channels: string[]): Promise<Date> {
  const occurrence = new Date(Math.floor(Date.now() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS);
  const day = DAYS[(occurrence.getUTCDay() + 6) % 7]!;
  const time = occurrence.toISOString().slice(11, 16);
  for (const channelId of channels) {
    const ack = await rig.spec(`digest ${day} ${time} UTC`, { channelId });
    const text = await rig.reply(ack.responseId);
    if (!text.includes('weekly digest now comes'))
      throw new Error(`/spec digest ${day} ${time} UTC in ${channelId}: ${ack.status} ${text}`);
  }
  return occurrence;
}

/**
 * As if each schedule had been set a week earlier: its next_run_at moves to `at`, and the replicas'
 * clocks claim it at their first tick after that (every minute on the minute, and whenever one starts).
 */
export async function makeDigestsDue(databaseUrl: string, due: { channel: string; at: Date }[]): Promise<void> {
  await withClient(databaseUrl, async (db) => {
    for (const { channel, at } of due) {
      const { rowCount } = await db.query(`UPDATE digest_schedule SET next_run_at = $2 WHERE channel_id = $1`, [channel, at]);
      if (rowCount !== 1) throw new Error(`no digest schedule for ${channel}`);
    }
  });
}

export async function digestsClaimed(databaseUrl: string): Promise<number> {
  return withClient(databaseUrl, async (db) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM digest`)).rows[0]!.n);
}

export interface DigestOutcome {
  /** scheduled channels without exactly one digest, or whose digest is for another period */
  wrongRows: string[];
  /** schedules whose next run did not move past the drill (a claim that did not advance it) */
  notAdvanced: string[];
  /** every part of every digest, as "<delivery id> <channel>" (the key PostsPerDelivery counts) */
  parts: Set<string>;
  /** digest parts without their delivery row */
  partsWithoutDelivery: string[];
  /** digest parts that will not be posted (e.g. cancelled: nothing to show), with their status */
  partsNotSent: string[];
  late: number;
  /** when each digest was claimed (its row's created_at) */
  claimedAt: Date[];
}

/** The digests of `channels` in the database: one per schedule, for the period ending at `occurrence`, and each part's delivery. */
export async function digestOutcome(databaseUrl: string, channels: string[], occurrence: Date): Promise<DigestOutcome> {
  return withClient(databaseUrl, async (db) => {
    const { rows } = await db.query<{
      channel_id: string;
      next_run_at: Date;
      id: string | null;
      period_end: Date | null;
      parts: number | null;
      late: boolean | null;
      created_at: Date | null;
    }>(
      `SELECT s.channel_id, s.next_run_at, d.id, d.period_end, d.parts, d.late, d.created_at
         FROM digest_schedule s LEFT JOIN digest d ON d.schedule_id = s.id WHERE s.channel_id = ANY($1)`,
      [channels],
    );
    const deliveries = await db.query<{ id: string; channel_id: string; subject_id: string; status: string }>(
      `SELECT id, channel_id, subject_id, status FROM delivery WHERE kind = 'digest'`,
    );
    const bySubject = new Map(deliveries.rows.map((d) => [d.subject_id, d]));
    const outcome: DigestOutcome = {
      wrongRows: [],
      notAdvanced: [],
      parts: new Set(),
      partsWithoutDelivery: [],
      partsNotSent: [],
      late: 0,
      claimedAt: [],
    };
    for (const channel of channels) {
      const mine = rows.filter((r) => r.channel_id === channel);
      const digests = mine.filter((r) => r.id !== null);
      if (digests.length !== 1 || digests[0]!.period_end!.getTime() !== occurrence.getTime()) {
        outcome.wrongRows.push(`${channel}: ${digests.map((d) => d.period_end!.toISOString()).join(', ') || 'no digest'}`);
      }
      if (mine.length > 0 && mine[0]!.next_run_at.getTime() <= Date.now())
        outcome.notAdvanced.push(`${channel}: next run ${mine[0]!.next_run_at.toISOString()}`);
      for (const digest of digests) {
        if (digest.late) outcome.late += 1;
        outcome.claimedAt.push(digest.created_at!);
        for (let part = 1; part <= digest.parts!; part += 1) {
          const delivery = bySubject.get(`${digest.id}:${part}`);
          if (!delivery) outcome.partsWithoutDelivery.push(`${channel} ${digest.id}:${part}`);
          else if (delivery.status !== 'sent' && delivery.status !== 'pending')
            outcome.partsNotSent.push(`${channel} part ${part}: ${delivery.status}`);
          else outcome.parts.add(`${delivery.id} ${channel}`);
        }
      }
    }
    return outcome;
  });
}

/**
 * chat.postMessage calls per "<delivery id> <channel>" (from the message metadata), whatever their
 * answer: "posted once" means one call, not one surviving message. Each call is read once.
 */
export class PostsPerDelivery {
  readonly counts = new Map<string, number>();
  private read = 0;

  constructor(private readonly slack: FakeSlack) {}

  update(): Map<string, number> {
    const calls = this.slack.calls;
    for (; this.read < calls.length; this.read += 1) {
      const call = calls[this.read]!;
      if (call.method !== 'chat.postMessage') continue;
      const metadata = parseJson(call.args.metadata) as { event_payload?: { delivery_id?: unknown } } | undefined;
      const id = metadata?.event_payload?.delivery_id;
      if (typeof id !== 'string') continue;
      const key = `${id} ${String(call.args.channel)}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
    return this.counts;
  }
}

async function withClient<T>(databaseUrl: string, work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}
