import { DEFAULT_DIGEST_TIME, nextOccurrence, type DigestTime } from '../domain/digest-schedule';
import type { Db, Tx } from '../store/db';
import { insertDigestScheduleIfAbsent } from '../store/digest-schedule-rows';
import type { ActorContext, ChannelRef } from './actor';
import { recordAudit } from './audit';

export interface ScheduleInfo {
  time: DigestTime;
  enabled: boolean;
  nextRunAt: Date | null;
}

/** A channel's digest time: Monday 09:00 in the subscriber's zone unless the channel chose another. */
export class DigestScheduleService {
  constructor(private readonly db: Db) {}

  async set(context: ActorContext, channel: ChannelRef, time: Omit<DigestTime, 'timeZone'> & { timeZone?: string }): Promise<ScheduleInfo> {
    return this.db.$transaction(async (tx) => {
      const existing = await tx.digestSchedule.findUnique({
        where: { platform_channelId: { platform: channel.platform, channelId: channel.channelId } },
      });
      const full: DigestTime = {
        weekday: time.weekday,
        minuteOfDay: time.minuteOfDay,
        timeZone: time.timeZone ?? existing?.timeZone ?? defaultZone(context),
      };
      const nextRunAt = nextOccurrence(full, new Date());
      const data = { ...full, enabled: true, nextRunAt, updatedAt: new Date() };
      await tx.digestSchedule.upsert({
        where: { platform_channelId: { platform: channel.platform, channelId: channel.channelId } },
        create: {
          organizationId: context.organizationId,
          platform: channel.platform,
          workspaceId: channel.workspaceId,
          channelId: channel.channelId,
          ...data,
        },
        update: data,
      });
      await recordAudit(tx, context, { action: 'digest.schedule', detail: { channel: channel.channelId, ...full } });
      return { time: full, enabled: true, nextRunAt };
    });
  }

  async disable(context: ActorContext, channel: ChannelRef): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const changed = await tx.digestSchedule.updateMany({
        where: { platform: channel.platform, channelId: channel.channelId, enabled: true },
        data: { enabled: false, updatedAt: new Date() },
      });
      if (changed.count > 0) await recordAudit(tx, context, { action: 'digest.off', detail: { channel: channel.channelId } });
      return changed.count > 0;
    });
  }

  async describe(channel: ChannelRef): Promise<ScheduleInfo | undefined> {
    const schedule = await this.db.digestSchedule.findUnique({
      where: { platform_channelId: { platform: channel.platform, channelId: channel.channelId } },
    });
    if (!schedule) return undefined;
    return {
      time: { weekday: schedule.weekday, minuteOfDay: schedule.minuteOfDay, timeZone: schedule.timeZone },
      enabled: schedule.enabled,
      nextRunAt: schedule.enabled ? schedule.nextRunAt : null,
    };
  }
}

/** Called when a channel first subscribes: it gets the default weekly time if it has none. */
export async function ensureDigestSchedule(tx: Tx, context: ActorContext, channel: ChannelRef): Promise<void> {
  const time: DigestTime = { ...DEFAULT_DIGEST_TIME, timeZone: defaultZone(context) };
  await insertDigestScheduleIfAbsent(tx, {
    organizationId: context.organizationId,
    platform: channel.platform,
    workspaceId: channel.workspaceId,
    channelId: channel.channelId,
    weekday: time.weekday,
    minuteOfDay: time.minuteOfDay,
    timeZone: time.timeZone,
    nextRunAt: nextOccurrence(time, new Date()),
  });
}

function defaultZone(context: ActorContext): string {
  return context.actor.timeZone ?? 'UTC';
}
