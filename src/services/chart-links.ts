import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/db';
import { chartLinkSecret, pinnedChartImage } from '../store/digest-chart-rows';

/**
 * Links to digest charts on PUBLIC_URL, which Slack fetches when it takes the message and Teams
 * clients fetch when they show the card. A link names a digest and a spec, expires a fixed time after
 * the digest's week, and carries an HMAC over both: it is the same for every attempt and replica, and
 * nobody can make one for another digest or stretch its life.
 */
export const CHART_LINK_LIFETIME_DAYS = 90;
export const CHART_ROUTE = '/charts/digests/:digestId/:specId.png';

export type ChartLinkAnswer = { kind: 'image'; png: Buffer; expiresAt: Date } | { kind: 'forged' | 'expired' | 'missing'; message: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ChartLinks {
  private secret?: Promise<Buffer>;

  constructor(
    private readonly db: Db,
    private readonly publicUrl: string,
  ) {}

  /** When a digest's chart links stop working: from the end of its week, so every attempt signs the same link. */
  static expiryOf(periodEnd: Date): Date {
    return new Date(periodEnd.getTime() + CHART_LINK_LIFETIME_DAYS * 86_400_000);
  }

  async linkFor(digestId: string, specId: string, expiresAt: Date): Promise<string> {
    const expires = String(Math.floor(expiresAt.getTime() / 1000));
    const signature = await this.sign(digestId, specId, expires);
    const base = this.publicUrl.replace(/\/+$/, '');
    return `${base}/charts/digests/${digestId}/${specId}.png?expires=${expires}&signature=${signature}`;
  }

  /** What a request for a chart link gets: the PNG, or why not, in words. */
  async open(digestId: string, specId: string, expires: unknown, signature: unknown, now = new Date()): Promise<ChartLinkAnswer> {
    const valid =
      typeof expires === 'string' &&
      /^\d{1,12}$/.test(expires) &&
      typeof signature === 'string' &&
      safeEqual(signature, await this.sign(digestId, specId, expires));
    if (!valid) return { kind: 'forged', message: 'This chart link is not valid: it was changed or not made by Panelist.' };
    const expiresAt = new Date(Number(expires) * 1000);
    if (expiresAt <= now) {
      return {
        kind: 'expired',
        message: `This chart link expired on ${expiresAt.toISOString().slice(0, 10)}; the digest message still has the numbers in words.`,
      };
    }
    const png = UUID.test(digestId) && UUID.test(specId) ? await pinnedChartImage(this.db, digestId, specId) : undefined;
    return png ? { kind: 'image', png, expiresAt } : { kind: 'missing', message: 'There is no chart for this digest and spec.' };
  }

  private async sign(digestId: string, specId: string, expires: string): Promise<string> {
    if (!this.secret) {
      const reading = chartLinkSecret(this.db, () => randomBytes(32));
      // a failed read is not kept: the next link asks again
      reading.catch(() => {
        if (this.secret === reading) this.secret = undefined;
      });
      this.secret = reading;
    }
    return createHmac('sha256', await this.secret)
      .update(`digest-chart\n${digestId}\n${specId}\n${expires}`)
      .digest('base64url');
  }
}

function safeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
