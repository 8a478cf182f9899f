import type { Logger } from 'pino';
import type { Config } from '../config';
import { createDigestService, deliveryDeps } from '../composition';
import { drainDueJobs } from '../delivery/worker';
import type { Db } from '../store/db';

/**
 * `panelist digests run [--at]`: claims what is due exactly as the clock does (the same unique
 * key, so a second run claims nothing), then sends what is queued, unless Slack is not configured
 * here, in which case the running app's worker sends it.
 */
export async function runDigests(
  config: Config,
  db: Db,
  databaseUrl: string,
  at: Date,
  logger: Logger,
  out: (line: string) => void,
): Promise<number> {
  const digests = createDigestService(config, db, undefined, { logger });
  const claimed = await digests.claimDue(at, { onlyDue: false });
  out(
    claimed.length === 0
      ? `no digests due at ${at.toISOString()} that were not already sent`
      : `claimed ${claimed.length} digest(s): ${claimed.map((d) => `${d.id}${d.late ? ' (late)' : ''}`).join(' ')}`,
  );
  if (claimed.length === 0) return 0;
  if (config.slack.kind === 'off') {
    out('queued; the running Panelist sends them (Slack is not configured for this command)');
    return 0;
  }
  await drainDueJobs(deliveryDeps(config, db, digests, logger), databaseUrl);
  out('sent');
  return 0;
}
