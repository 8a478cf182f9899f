import http from 'node:http';
import { signInterviewBody } from '../../src/webhooks/signature';
import { completed } from '../../test/support/interview-events';
import { slackSignature, slashCommandBody } from '../../test/support/slack-requests';
import { now } from './util';

export const SIGNING_SECRET = 'bench-signing-secret';
export const WEBHOOK_SECRET = 'bench-webhook-secret';
export const BOT_TOKEN = 'xoxb-bench-token';
export const BENCH_USER = 'UBENCH';

export interface Answer {
  status: number;
  body: string;
  /** performance.now() when the whole answer had arrived */
  at: number;
}

/** POSTs over keep-alive connections (one agent per load source), no retries, a hard timeout. */
export class Client {
  private readonly agent: http.Agent;

  constructor(
    private readonly baseUrl: string,
    maxSockets: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  post(path: string, headers: Record<string, string>, body: string, timeoutMs = 120_000): Promise<Answer> {
    const url = new URL(path, this.baseUrl);
    const payload = Buffer.from(body, 'utf8');
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          agent: this.agent,
          headers: { ...headers, 'content-length': String(payload.length) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), at: now() }));
          res.on('error', reject);
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${url.pathname} within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** A signed interview webhook, as the platform sends it. */
  webhook(raw: string): Promise<Answer> {
    return this.post(
      '/webhooks/interviews',
      { 'content-type': 'application/json', 'interview-signature': signInterviewBody(WEBHOOK_SECRET, raw, Math.floor(Date.now() / 1000)) },
      raw,
    );
  }

  /** `/spec <text>` signed as Slack signs it; the answer comes to `responseUrl`. */
  slash(text: string, responseUrl: string, channelId = 'CBENCH'): Promise<Answer> {
    const body = slashCommandBody({
      text,
      userId: BENCH_USER,
      userName: 'bench',
      channelId,
      responseUrl,
      triggerId: `trigger-${responseUrl.split('/').pop()}`,
    });
    const timestamp = Math.floor(Date.now() / 1000);
    return this.post(
      '/slack/events',
      {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, body),
      },
      body,
    );
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A completed interview's event body: now-ish times, a unique event and interview id. */
export function completedEvent(options: { eventId: string; interviewId: string; specId?: string }): string {
  const completedAt = new Date();
  const startedAt = new Date(completedAt.getTime() - 40 * 60 * 1000);
  return JSON.stringify(
    completed({
      id: options.eventId,
      interviewId: options.interviewId,
      specId: options.specId,
      candidateName: `Candidate ${options.interviewId}`,
      startedAt: startedAt.toISOString(),
      completedAt: completedAt.toISOString(),
    }),
  );
}

/** ivb<figure>n<number>, which the fake Slack finds in each message. */
export const interviewId = (figure: number, n: number) => `ivb${figure}n${String(n).padStart(6, '0')}`;
export const eventId = (figure: number, n: number) => `evt-b${figure}-${String(n).padStart(6, '0')}`;
