import type { Tx } from './db';

export interface NewDigestSchedule {
  organizationId: string;
  platform: string;
  workspaceId: string;
  channelId: string;
  weekday: number;
  minuteOfDay: number;
  timeZone: string;
  nextRunAt: Date;
}

/**
 * Inserts the channel's schedule unless it has one. One atomic statement, because two subscribes
 * in one channel at once would both find no schedule and the second insert would abort its
 * transaction.
 */
export async function insertDigestScheduleIfAbsent(tx: Tx, schedule: NewDigestSchedule): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO digest_schedule (id, organization_id, platform, workspace_id, channel_id, weekday, minute_of_day, time_zone, next_run_at)
    VALUES (gen_random_uuid(), ${schedule.organizationId}::uuid, ${schedule.platform}, ${schedule.workspaceId}, ${schedule.channelId},
            ${schedule.weekday}, ${schedule.minuteOfDay}, ${schedule.timeZone}, ${schedule.nextRunAt})
    ON CONFLICT (platform, channel_id) DO NOTHING`;
}
