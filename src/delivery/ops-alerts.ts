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
 * hears within a minute. Each dead letter is claimed before the post (ops_alerted_at set only where
 * still null), so overlapping sweeps and other replicas never announce it twice; if Slack does not
 * take the post, the claim is given back and the next round tries again.
 */
export async function alertDeadLetters(
  db: Db,
  slack: ChatSender | undefined,
  ops: OpsChannel | undefined,
  logger: Logger,
): Promise<number> {
  if (!slack?.notifyChannel || !ops) return 0;
  const candidates = await db.delivery.findMany({
    where: { status: 'failed', opsAlertedAt: null },
    orderBy: { updatedAt: 'asc' },
    take: 20,
    select: { id: true, platform: true, workspaceId: true },
  });
  if (candidates.length === 0) return 0;
  const workspaceId = ops.workspaceId ?? candidates.find((d) => d.platform === 'slack')?.workspaceId ?? (await soleSlackWorkspace(db));
  if (!workspaceId) return 0;
  // PostgreSQL re-checks `opsAlertedAt: null` on a row another sweep claimed meanwhile: it is skipped.
  const dead = await db.delivery.updateManyAndReturn({
    where: { id: { in: candidates.map((d) => d.id) }, opsAlertedAt: null },
    data: { opsAlertedAt: new Date() },
  });
  if (dead.length === 0) return 0;
  try {
    await slack.notifyChannel(workspaceId, ops.channelId, deadLettersNotice(dead));
  } catch (error) {
    logger.warn({ err: error }, 'could not alert the ops channel; will try again');
    await db.delivery.updateMany({ where: { id: { in: dead.map((d) => d.id) } }, data: { opsAlertedAt: null } });
    return 0;
  }
  return dead.length;
}

/**
 * Where "C0123" (no workspace named) is when no dead letter is a Slack message (a Teams message, a
 * spec version for the platform): the one Slack workspace there is, as in single-token mode.
 * With several, OPS_SLACK_CHANNEL must name its workspace (T0123:C0123).
 */
async function soleSlackWorkspace(db: Db): Promise<string | undefined> {
  const workspaces = await db.slackWorkspace.findMany({ select: { teamId: true }, take: 2 });
  return workspaces.length === 1 ? workspaces[0]!.teamId : undefined;
}
