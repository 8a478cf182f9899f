import { lastOccurrence, nextOccurrence, periodEndingAt, type DigestTime } from '../domain/digest-schedule';
import type { Competency } from '../domain/spec';
import type { Db, Tx } from '../store/db';
import { createDeliveries } from '../store/deliveries';
import { BUCKET_MS } from '../store/rollups';
import { specSection } from './digest-data';
import type { DigestView } from './digest-views';
import { ALL_SPECS } from './permissions';
import { findSpec } from './spec-lookup';

export const DIGEST_KIND = 'digest';
/** A digest later than this after its scheduled time is marked late. */
const LATE_AFTER_MS = 10 * 60 * 1000;

export interface DigestOptions {
  /** how many messages a digest of n specs needs (the renderer's split), so each part is one delivery */
  messagesFor(specCount: number): number;
  /** e.g. https://interviews.example.com/specs/{id} — SPEC_URL_TEMPLATE */
  specUrlTemplate?: string;
}

/**
 * The weekly digest. Postgres decides what is due and who sends it: a digest row per
 * (schedule, period) under a unique key, claimed in a transaction that also queues its deliveries.
 * Replicas racing for the same period insert one row; a replica back from downtime claims only the
 * latest period (late), once.
 */
export class DigestService {
  constructor(
    private readonly db: Db,
    private readonly options: DigestOptions,
  ) {}

  /**
   * Claims every digest due at `now`. The scheduler passes `onlyDue` (schedules whose next time has
   * come, skipping locked ones); `npx panelist digests run --at` considers every enabled schedule.
   */
  async claimDue(now: Date, mode: { onlyDue: boolean } = { onlyDue: true }): Promise<ClaimedDigest[]> {
    return this.db.$transaction(async (tx) => {
      const schedules = mode.onlyDue
        ? await tx.$queryRaw<ScheduleRow[]>`
            SELECT * FROM digest_schedule WHERE enabled AND next_run_at <= ${now}
            ORDER BY next_run_at LIMIT 500 FOR UPDATE SKIP LOCKED`
        : await tx.$queryRaw<ScheduleRow[]>`SELECT * FROM digest_schedule WHERE enabled FOR UPDATE`;
      const claimed: ClaimedDigest[] = [];
      for (const schedule of schedules) {
        const time: DigestTime = { weekday: schedule.weekday, minuteOfDay: schedule.minute_of_day, timeZone: schedule.time_zone };
        const occurrence = lastOccurrence(time, now);
        const latenessMs = now.getTime() - occurrence.getTime();
        const id = await this.claimOne(tx, schedule, time, occurrence, latenessMs > LATE_AFTER_MS);
        if (id) claimed.push({ id, scheduledFor: occurrence, latenessMs, late: latenessMs > LATE_AFTER_MS });
        if (mode.onlyDue) {
          await tx.digestSchedule.update({ where: { id: schedule.id }, data: { nextRunAt: nextOccurrence(time, now) } });
        }
      }
      return claimed;
    });
  }

  private async claimOne(tx: Tx, schedule: ScheduleRow, time: DigestTime, occurrence: Date, late: boolean): Promise<string | undefined> {
    const subscriptions = await tx.subscription.findMany({
      where: { platform: schedule.platform, channelId: schedule.channel_id },
      orderBy: [{ private: 'desc' }, { createdAt: 'asc' }],
    });
    if (subscriptions.length === 0) return undefined;
    const specs = await specsFollowed(tx, schedule.organization_id, subscriptions.map((s) => s.scope));
    const parts = Math.max(1, this.options.messagesFor(specs.length));
    const period = periodEndingAt(time, occurrence);
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO digest (id, schedule_id, period_start, period_end, late, parts)
      VALUES (gen_random_uuid(), ${schedule.id}::uuid, ${period.start}, ${period.end}, ${late}, ${parts})
      ON CONFLICT (schedule_id, period_end) DO NOTHING RETURNING id`;
    const digest = inserted[0];
    if (!digest) return undefined;
    const target = subscriptions[0]!;
    for (let part = 1; part <= parts; part += 1) {
      await createDeliveries(tx, DIGEST_KIND, `${digest.id}:${part}`, [
        { subscriptionId: target.id, platform: schedule.platform, workspaceId: schedule.workspace_id, channelId: schedule.channel_id },
      ]);
    }
    return digest.id;
  }

  /** The digest as its channel will see it (names hidden if any of the channel's subscriptions is private). */
  async view(digestId: string): Promise<DigestView | undefined> {
    const digest = await this.db.digest.findUnique({ where: { id: digestId }, include: { schedule: true } });
    if (!digest) return undefined;
    const subscriptions = await this.db.subscription.findMany({ where: { platform: digest.schedule.platform, channelId: digest.schedule.channelId } });
    const specs = await specsFollowed(this.db, digest.schedule.organizationId, subscriptions.map((s) => s.scope));
    return this.build(specs, { start: digest.periodStart, end: digest.periodEnd }, {
      timeZone: digest.schedule.timeZone,
      late: digest.late,
      hideNames: subscriptions.length === 0 || subscriptions.some((s) => s.private),
    });
  }

  /** `digests preview <spec> --at`: the seven days before `at` (on the quarter hour), names shown. */
  async preview(organizationId: string, reference: string, at: Date, timeZone = 'UTC'): Promise<DigestView> {
    const spec = await findSpec(this.db, organizationId, reference);
    const specs = await specsFollowed(this.db, organizationId, [spec.id]);
    const end = new Date(Math.floor(at.getTime() / BUCKET_MS) * BUCKET_MS);
    const start = new Date(end.getTime() - 7 * 24 * 3600 * 1000);
    return this.build(specs, { start, end }, { timeZone, late: false, hideNames: false });
  }

  private async build(
    specs: SpecInfo[],
    period: { start: Date; end: Date },
    options: { timeZone: string; late: boolean; hideNames: boolean },
  ): Promise<DigestView> {
    const sections = await Promise.all(
      specs.map((spec) =>
        specSection(this.db, spec, period, {
          hideNames: options.hideNames,
          specUrl: this.options.specUrlTemplate ? this.options.specUrlTemplate.replace('{id}', spec.id).replace('{slug}', spec.slug) : null,
        }),
      ),
    );
    return {
      periodStart: period.start,
      periodEnd: period.end,
      timeZone: options.timeZone,
      late: options.late,
      quiet: sections.every((section) => !section.active),
      specs: sections.map(({ active: _active, ...section }) => section),
    };
  }
}

export interface ClaimedDigest {
  id: string;
  scheduledFor: Date;
  latenessMs: number;
  late: boolean;
}

interface ScheduleRow {
  id: string;
  organization_id: string;
  platform: string;
  workspace_id: string;
  channel_id: string;
  weekday: number;
  minute_of_day: number;
  time_zone: string;
}

interface SpecInfo {
  id: string;
  slug: string;
  title: string;
  competencies: Competency[];
}

async function specsFollowed(db: Db | Tx, organizationId: string, scopes: string[]): Promise<SpecInfo[]> {
  const all = scopes.includes(ALL_SPECS);
  const specs = await db.spec.findMany({
    where: all ? { organizationId } : { organizationId, id: { in: scopes } },
    orderBy: { slug: 'asc' },
  });
  const versions = await db.specVersion.findMany({
    where: { OR: specs.map((spec) => ({ specId: spec.id, number: spec.currentVersion })) },
    select: { specId: true, title: true, competencies: true },
  });
  return specs.map((spec) => {
    const version = versions.find((v) => v.specId === spec.id);
    return { id: spec.id, slug: spec.slug, title: version?.title ?? spec.slug, competencies: (version?.competencies as unknown as Competency[]) ?? [] };
  });
}
