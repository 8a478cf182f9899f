import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';
import type { DigestService } from '../services/digests';
import type { Db } from '../store/db';
import type { SqlRunner } from '../store/sql-runner';
import type { ChatSender } from './sender';

export interface DeliveryPolicy {
  maxAttempts: number;
  /** first retry delay; doubles per attempt, with full jitter, capped at five minutes */
  retryBaseMs: number;
}

/** A platform's per-channel limit: one message every intervalMs, `burst` back to back after a quiet spell. */
export interface ChannelPace {
  intervalMs: number;
  burst: number;
}

export interface DeliverDeps {
  db: Db;
  /** the run's own statements (src/store/delivery-sql.ts): plain `pg` in the app */
  sql: SqlRunner;
  digests: DigestService;
  /** the platforms this process can send to; deliveries for others are never taken (see worker.ts) */
  senders: Record<string, ChatSender>;
  /** each platform's per-channel limit, kept by the database for all replicas at once */
  pacing: Record<string, ChannelPace>;
  /**
   * Platforms that are not paced but lined up: one delivery at a time per channel, each only once
   * the ones before it are finished (the interview platform, where a channel is a spec and the
   * line its versions: src/store/version-line.ts). Their `pacing` is never read.
   */
  inLine: ReadonlySet<string>;
  policy: DeliveryPolicy;
  logger: Logger;
  metrics?: Metrics;
}

/** Where no limit is known: Slack's, one message a second per channel. */
const DEFAULT_PACE: ChannelPace = { intervalMs: 1_000, burst: 1 };

export function paceOf(deps: DeliverDeps, platform: string): ChannelPace {
  return deps.pacing[platform] ?? DEFAULT_PACE;
}
