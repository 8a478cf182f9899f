/**
 * Per-channel pacing under the chat platform's limit (Slack: about one message per second per
 * channel, short bursts allowed): a token bucket per channel, refilled at `ratePerSecond` up to
 * `burst`. A 429 empties the bucket until its Retry-After has passed. Kept in memory: across
 * replicas the platform's 429s (with Retry-After) are the backstop.
 */
export class ChannelPacer {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number; blockedUntil: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds to wait before the next send to this channel may start (0 = now); takes the token. */
  reserve(channel: string): number {
    const now = this.now();
    const bucket = this.buckets.get(channel) ?? { tokens: this.burst, updatedAt: now, blockedUntil: 0 };
    const refill = ((now - bucket.updatedAt) / 1000) * this.ratePerSecond;
    bucket.tokens = Math.min(this.burst, bucket.tokens + refill);
    bucket.updatedAt = now;
    bucket.tokens -= 1;
    this.buckets.set(channel, bucket);
    const untilToken = bucket.tokens >= 0 ? 0 : Math.ceil((-bucket.tokens / this.ratePerSecond) * 1000);
    return Math.max(untilToken, bucket.blockedUntil - now);
  }

  /** The platform said "slow down": nothing goes to this channel until then. */
  block(channel: string, forMs: number): void {
    const now = this.now();
    const bucket = this.buckets.get(channel) ?? { tokens: 0, updatedAt: now, blockedUntil: 0 };
    bucket.tokens = Math.min(bucket.tokens, 0);
    bucket.blockedUntil = Math.max(bucket.blockedUntil, now + forMs);
    this.buckets.set(channel, bucket);
  }

  async wait(channel: string): Promise<void> {
    const delay = this.reserve(channel);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
