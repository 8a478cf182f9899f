import { SendError, type ChannelTarget, type ChatSender, type DeliveryContent } from '../delivery/sender';
import { PLATFORM_ENDPOINT, SPEC_VERSION_KIND } from '../services/spec-publication';
import { signWebhookBody } from '../webhooks/signature';
import { specVersionEvent } from './spec-version-event';

export interface PlatformEndpoint {
  url: string;
  secret: string;
  /** one POST, answer included; past it the attempt counts as failed (outcome unknown) and is retried */
  timeoutMs: number;
}

/** What an error message quotes of the platform's answer, at most. */
const SNIPPET_CHARS = 200;
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

  constructor(private readonly endpoint: PlatformEndpoint) {}

  /** The host the versions go to, for the start-up log (never the path, which may carry a token). */
  get host(): string {
    return new URL(this.endpoint.url).host;
  }

  async post(_target: ChannelTarget, deliveryId: string, content: DeliveryContent): Promise<string> {
    if (content.kind !== SPEC_VERSION_KIND) {
      throw new SendError('permanent', `the interview platform takes spec versions only, not ${content.kind}`);
    }
    const body = JSON.stringify(specVersionEvent(deliveryId, content.version));
    const signature = signWebhookBody(this.endpoint.secret, body, Math.floor(Date.now() / 1000));
    let status: number;
    let answer: string;
    let retryAfter: string | null;
    let location: string | null;
    try {
      const response = await fetch(this.endpoint.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Panelist-Signature': signature },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.endpoint.timeoutMs),
      });
      ({ status } = response);
      retryAfter = response.headers.get('retry-after');
      location = response.headers.get('location');
      answer = await readSnippet(response);
    } catch (error) {
      throw unreachable(error, this.endpoint.timeoutMs);
    }
    if (status >= 200 && status < 300) return deliveryId;
    throw refused(status, answer, retryAfter, location);
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

function refused(status: number, answer: string, retryAfter: string | null, location: string | null): SendError {
  const said = answer ? `: ${answer}` : '';
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

/** fetch failed: a timeout or a dropped connection may have reached the platform; a refused connection never did. */
function unreachable(error: unknown, timeoutMs: number): SendError {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return new SendError('unknown_outcome', `the platform did not answer within ${timeoutMs / 1000} s`);
  const code = e.cause?.code;
  const reason = code ?? e.cause?.message ?? e.message;
  const neverSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  return new SendError(neverSent ? 'transient' : 'unknown_outcome', `could not reach the platform: ${reason}`);
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

/** The start of the answer's body on one line, for the error message; the rest is not read. */
async function readSnippet(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < SNIPPET_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // The status decides; a body cut off (or timed out) only shortens the error message.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > SNIPPET_CHARS ? `${line.slice(0, SNIPPET_CHARS)}…` : line;
}
