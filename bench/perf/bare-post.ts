import { WebClient } from '@slack/web-api';

/**
 * The anchor for Monday morning (figure 8): no database, no queue, no rendering; only Slack's own
 * Web API client, made as the app makes it (src/slack/sender.ts), posting POSTS messages with
 * CONCURRENCY in flight to the same fake Slack. Each message is the app's first digest of the
 * figure, as the fake Slack received it (BODY_JSON), so the payload is the size the app sends. Run
 * as a child process so that its CPU is its own. Prints one JSON line: wall ms from the first post to
 * the last answer, and the process's CPU ms meanwhile.
 */
async function main(): Promise<void> {
  const posts = Number(process.env.POSTS);
  const concurrency = Number(process.env.CONCURRENCY);
  const body = JSON.parse(process.env.BODY_JSON!) as { text: string; blocks: never[] };
  const client = new WebClient(process.env.SLACK_BOT_TOKEN, {
    slackApiUrl: process.env.SLACK_API_URL,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  });
  const post = (channel: string) =>
    client.chat.postMessage({
      channel,
      ...body,
      unfurl_links: false,
      metadata: { event_type: 'panelist_delivery', event_payload: { delivery_id: channel } },
    });
  // the client and its connections warmed, as the app's are by the time a Monday comes
  await Promise.all(Array.from({ length: concurrency }, (_, i) => post(`bare-warm-${i}`)));
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < posts) {
        next += 1;
        await post(`bare-${next}`);
      }
    }),
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(`${JSON.stringify({ posts, concurrency, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
