import cron from 'node-cron';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';
import type { DigestService } from '../services/digests';

/**
 * node-cron is only a clock: every minute it asks Postgres which digests are due. Every replica
 * runs one; the digest table's unique key makes each digest happen once, and a replica that was
 * down catches up on its first tick (the schedule's next_run_at is in the past).
 */
export function startDigestClock(digests: DigestService, logger: Logger, metrics?: Metrics): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const tick = () => {
    // A slow tick is never overlapped by the next one on the same replica.
    if (running) return;
    running = digests
      .claimDue(new Date())
      .then((claimed) => {
        for (const digest of claimed) {
          logger.info({ digestId: digest.id, scheduledFor: digest.scheduledFor, late: digest.late }, 'digest claimed and queued');
          metrics?.digestRuns.inc({ late: String(digest.late) });
          metrics?.digestLateness.observe(digest.latenessMs / 1000);
        }
      })
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
