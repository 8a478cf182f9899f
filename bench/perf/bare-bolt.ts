import { App, ExpressReceiver, LogLevel } from '@slack/bolt';

/**
 * The anchor for `/spec show`: a bare Bolt app on the same ExpressReceiver with the same signing
 * secret, whose /spec handler only acknowledges. Run as a child process, like the app, so neither
 * shares an event loop with the load generator.
 */
async function main(): Promise<void> {
  const receiver = new ExpressReceiver({
    signingSecret: process.env.SLACK_SIGNING_SECRET!,
    endpoints: '/slack/events',
    logLevel: LogLevel.ERROR,
  });
  const app = new App({
    receiver,
    token: process.env.SLACK_BOT_TOKEN,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  });
  app.command('/spec', async ({ ack }) => {
    await ack();
  });
  await receiver.start(Number(process.env.PORT));
  const stop = () => {
    void receiver.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
