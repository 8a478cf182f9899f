import type { Config } from '../config';
import type { SpecService } from '../services/specs';
import { readDevelopmentSecret } from '../webhooks/development-secret';
import { signInterviewBody } from '../webhooks/signature';
import { demoEvents } from './demo-week';
import { PanelistError } from '../domain/errors';

export interface DemoOptions {
  spec: string;
  weeks: number;
  /** events a second */
  rate: number;
  /** the app's base URL; default this machine's PORT */
  url?: string;
}

/**
 * `panelist demo`: a few weeks of interviews for one spec, sent through the running app's own
 * webhook, signed as the platform signs them, so every part runs as it would for real. Sending
 * the same demo again changes nothing (every event answers "duplicate").
 */
export async function runDemo(
  config: Config,
  specs: SpecService,
  organizationId: string,
  options: DemoOptions,
  out: (line: string) => void,
): Promise<number> {
  const spec = await specs.versionTimeline(organizationId, options.spec);
  const secret = config.webhookSecrets[0] ?? (await developmentSecret(config));
  const url = `${(options.url ?? `http://127.0.0.1:${config.port}`).replace(/\/+$/, '')}/webhooks/interviews`;
  const events = demoEvents({ specId: spec.id, weeks: options.weeks, now: new Date(), versions: spec.versions });
  out(`Sending ${events.length} interview events for ${spec.slug} (${options.weeks} weeks) to ${url}, ${options.rate} a second…`);
  const answers = new Map<string, number>();
  const pause = 1000 / options.rate;
  for (const event of events) {
    const started = Date.now();
    const answer = await send(url, secret, event.body);
    answers.set(answer, (answers.get(answer) ?? 0) + 1);
    const wait = pause - (Date.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const summary = [...answers].map(([answer, n]) => `${n} ${answer}`).join(', ');
  out(`Done: ${summary || 'nothing to send'}.`);
  const refused = [...answers.keys()].filter((answer) => !['accepted', 'duplicate', 'parked'].includes(answer));
  if (refused.length > 0) {
    out('Some events were refused: check that this is the app whose secret you have, and its log.');
    return 1;
  }
  out(`Channels that follow ${spec.slug} got its completed interviews. Then try:`);
  out(`  npx panelist digests preview ${spec.slug}`);
  out(`  /spec show ${spec.slug}   (Slack; in Teams: show ${spec.slug})`);
  return 0;
}

async function developmentSecret(config: Config): Promise<string> {
  const secret = config.developmentWebhookSecretFile ? await readDevelopmentSecret(config.developmentWebhookSecretFile) : undefined;
  if (secret) return secret;
  throw new PanelistError(
    'invalid_input',
    'No webhook secret to sign with: set INTERVIEW_WEBHOOK_SECRET to the app’s, or start the app once with `npm start` (in development it makes its own secret, which the demo reads).',
  );
}

/** The webhook's answer in one word: its status field, or the HTTP status. */
async function send(url: string, secret: string, body: Record<string, unknown>): Promise<string> {
  const raw = JSON.stringify(body);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'interview-signature': signInterviewBody(secret, raw, Math.floor(Date.now() / 1000)),
      },
      body: raw,
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new PanelistError(
      'invalid_input',
      `Panelist is not answering at ${url}. Start it with \`npm start\`, or pass --url with its address.`,
    );
  }
  const answer = (await response.json().catch(() => ({}))) as { status?: unknown };
  return typeof answer.status === 'string' ? answer.status : `HTTP ${response.status}`;
}
