/**
 * Slack's per-channel limit as the fakes enforce it (the benchmark's SlackSink, the noisy drill's
 * Slack): a token bucket per channel, full at its first call, refilled at `ratePerSecond` up to `burst`.
 */
export class ChannelLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(readonly limit: { ratePerSecond: number; burst: number }) {}

  /**
   * Takes a token for `channel` at `at` (ms, any clock as long as it is always the same one).
   * Returns undefined when there was one; otherwise how early the call came (ms until a whole token
   * is there), and takes nothing.
   */
  take(channel: string, at: number): number | undefined {
    const bucket = this.buckets.get(channel) ?? { tokens: this.limit.burst, at };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((at - bucket.at) / 1000) * this.limit.ratePerSecond);
    bucket.at = at;
    this.buckets.set(channel, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return ((1 - bucket.tokens) / this.limit.ratePerSecond) * 1000;
  }
}

/** Retry-After as Slack sends it: whole seconds, at least 1. */
export const retryAfterSeconds = (earlyMs: number) => Math.max(1, Math.ceil(earlyMs / 1000));
