import cron from 'node-cron';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';
import type { ClaimedDigest, DigestService } from '../services/digests';

/**
 * node-cron is only a clock: every minute it asks Postgres which digests are due. Every replica
 * runs one; the digest table's unique key makes each digest happen once, and a replica that was
 * down catches up on its first tick (the schedule's next_run_at is in the past). A tick claims
 * batch after batch until nothing is due, so a Monday 09:00 with thousands of channels is claimed
 * within the tick, shared with the other replicas.
 */
export function startDigestClock(digests: DigestService, logger: Logger, metrics?: Metrics): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  // Thousands of digests can fall due at once: one info line per batch, the digests themselves at debug.
  const claimed = (batch: ClaimedDigest[]) => {
    const late = batch.filter((digest) => digest.late).length;
    logger.info({ claimed: batch.length, late }, 'digests claimed and queued');
    for (const digest of batch) {
      logger.debug({ digestId: digest.id, scheduledFor: digest.scheduledFor, late: digest.late }, 'digest claimed and queued');
      metrics?.digestRuns.inc({ late: String(digest.late) });
      metrics?.digestLateness.observe(digest.latenessMs / 1000);
    }
  };
  const tick = () => {
    // A slow tick is never overlapped by the next one on the same replica.
    if (running) return;
    running = digests
      .claimDue(new Date(), { onlyDue: true }, claimed)
      .then(() => undefined)
      .catch((error: unknown) => logger.error({ err: error }, 'digest tick failed; the next tick retries'))
      .finally(() => {
        running = undefined;
      });
  };
  const task = cron.schedule('* * * * *', tick, { name: 'digest-clock' });
  tick();
  return {
    async stop() {
      await task.stop();
      await running;
    },
  };
}
