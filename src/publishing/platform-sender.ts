import { SendError, type ChannelTarget, type ChatSender, type DeliveryContent } from '../delivery/sender';
import { PLATFORM_ENDPOINT, SPEC_VERSION_KIND } from '../services/spec-publication';
import { signWebhookBody } from '../webhooks/signature';
import { keepAliveAgents, postJson, PostTimeout, type PostAnswer } from './http-post';
import { specVersionEvent } from './spec-version-event';

export interface PlatformEndpoint {
  url: string;
  secret: string;
  /** one POST, answer included; past it the attempt counts as failed (outcome unknown) and is retried */
  timeoutMs: number;
}

/** A Retry-After beyond this is taken as this: the delivery still tries again within the hour. */
const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * The interview platform's endpoint as a sender in the delivery pipeline: `post` is one signed POST
 * of a spec version (docs/spec-webhook.md). The pipeline's retries and dead letters do the rest, by
 * the kind of each failure: 5xx, a timeout or a dropped connection may have been processed
 * (outcome unknown; the platform dedupes on the event id), a refused connection was not, a 429 waits
 * for its Retry-After, and any other answer (another 4xx, a redirect) is a dead letter. The platform
 * cannot be asked what it received, so a lost answer is always sent again.
 */
export class PlatformSender implements ChatSender {
  readonly platform = PLATFORM_ENDPOINT;

  private readonly url: URL;
  private readonly agents = keepAliveAgents();

  constructor(private readonly endpoint: PlatformEndpoint) {
    this.url = new URL(endpoint.url);
  }

  async post(_target: ChannelTarget, deliveryId: string, content: DeliveryContent): Promise<string> {
    if (content.kind !== SPEC_VERSION_KIND) {
      throw new SendError('permanent', `the interview platform takes spec versions only, not ${content.kind}`);
    }
    const body = JSON.stringify(specVersionEvent(deliveryId, content.version));
    const signature = signWebhookBody(this.endpoint.secret, body, Math.floor(Date.now() / 1000));
    let answer: PostAnswer;
    try {
      answer = await postJson(this.url, { 'Content-Type': 'application/json', 'Panelist-Signature': signature }, body, {
        timeoutMs: this.endpoint.timeoutMs,
        agents: this.agents,
      });
    } catch (error) {
      throw unreachable(error);
    }
    if (answer.status >= 200 && answer.status < 300) return deliveryId;
    throw refused(answer);
  }

  async update(): Promise<void> {
    // A delivery's content never changes for a version (versions are immutable), so deliver() never asks.
    throw new SendError('permanent', 'a published spec version never changes; there is nothing to update');
  }

  async findPosted(): Promise<string | undefined> {
    // The platform cannot be asked what it received: a POST whose answer was lost is sent again
    // with the same event id, and the platform's dedupe on that id keeps it once.
    return undefined;
  }
}

function refused({ status, snippet, retryAfter, location }: PostAnswer): SendError {
  const said = snippet ? `: ${snippet}` : '';
  if (status === 429) {
    return new SendError('rate_limited', `the platform answered 429 (slow down)${said}`, parseRetryAfter(retryAfter));
  }
  if (status >= 500) return new SendError('unknown_outcome', `the platform answered ${status}${said}`);
  if (status >= 300 && status < 400) {
    return new SendError(
      'permanent',
      `the platform answered ${status}, a redirect${location ? ` to ${location}` : ''}; Panelist does not follow redirects: set PLATFORM_WEBHOOK_URL to the final address`,
    );
  }
  return new SendError('permanent', `the platform refused the version with ${status}${said}`);
}

/** No answer: a timeout or a dropped connection may have reached the platform; a refused connection never did. */
function unreachable(error: unknown): SendError {
  if (error instanceof PostTimeout)
    return new SendError('unknown_outcome', `the platform did not answer within ${error.timeoutMs / 1000} s`);
  const e = error as Error & { code?: string };
  const neverSent = e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN';
  return new SendError(neverSent ? 'transient' : 'unknown_outcome', `could not reach the platform: ${e.code ?? e.message}`);
}

/** Retry-After as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  // An HTTP date always names its weekday and month; anything else (a "-5") is no date, whatever Date.parse makes of it.
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : /^[A-Za-z]{3}, /.test(trimmed) ? Date.parse(trimmed) - now : Number.NaN;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
}
