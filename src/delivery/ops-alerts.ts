import type { Logger } from 'pino';
import { deadLettersNotice } from '../conversation';
import type { Db } from '../store/db';
import type { ChatSender } from './sender';

/** OPS_SLACK_CHANNEL: "C0123" (the dead delivery's own workspace) or "T0123:C0123". */
export interface OpsChannel {
  workspaceId?: string;
  channelId: string;
}

export function parseOpsChannel(raw: string | undefined): OpsChannel | undefined {
  if (!raw) return undefined;
  const [first, second] = raw.split(':');
  return second ? { workspaceId: first, channelId: second } : { channelId: first! };
}

/**
 * Tells the ops channel about new dead letters. Runs with the sweeper (every 30 s), so the channel
 * hears within a minute, and keeps trying each round until Slack takes the message: a delivery is
 * marked alerted only after the alert was posted.
 */
export async function alertDeadLetters(
  db: Db,
  slack: ChatSender | undefined,
  ops: OpsChannel | undefined,
  logger: Logger,
): Promise<number> {
  if (!slack?.notifyChannel || !ops) return 0;
  const dead = await db.delivery.findMany({
    where: { status: 'failed', opsAlertedAt: null },
    orderBy: { updatedAt: 'asc' },
    take: 20,
  });
  if (dead.length === 0) return 0;
  const workspaceId = ops.workspaceId ?? dead.find((d) => d.platform === 'slack')?.workspaceId;
  if (!workspaceId) return 0;
  try {
    await slack.notifyChannel(workspaceId, ops.channelId, deadLettersNotice(dead));
  } catch (error) {
    logger.warn({ err: error }, 'could not alert the ops channel; will try again');
    return 0;
  }
  await db.delivery.updateMany({ where: { id: { in: dead.map((d) => d.id) } }, data: { opsAlertedAt: new Date() } });
  return dead.length;
}
