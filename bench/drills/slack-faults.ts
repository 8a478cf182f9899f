import { FakeSlack, type Fault } from '../../test/support/fake-slack';
import { channelsOf, deliveryStatuses, makeEvent, sendAsPlatform, setupDelivery, type DrillEvent } from './load';
import { bump, deliveryLines, expectedPairs, pool, samples, statusLine, waitForDrain, type DrillResult } from './tally';

const OK: Fault = { kind: 'delay', ms: 0 };

/**
 * A fake Slack whose chat.postMessage answers 429 (Retry-After: 1) 20% of the time and 500 10% of
 * the time, independently per call: the method's fault queue is kept filled with a random sequence
 * in which a zero delay stands for "answer normally". A 500 here means the post did not land.
 */
export class FlakySlack extends FakeSlack {
  readonly script: Fault[] = [];

  constructor(
    private readonly rateLimited: number,
    private readonly serverError: number,
  ) {
    super();
    this.topUp(50_000);
  }

  topUp(count: number): void {
    const faults: Fault[] = [];
    for (let i = 0; i < count; i += 1) {
      const roll = Math.random();
      faults.push(
        roll < this.rateLimited
          ? { kind: 'status', status: 429, retryAfter: 1 }
          : roll < this.rateLimited + this.serverError
            ? { kind: 'status', status: 500 }
            : OK,
      );
    }
    this.script.push(...faults);
    for (let i = 0; i < faults.length; i += 5_000) this.fail('chat.postMessage', ...faults.slice(i, i + 5_000));
  }

  /** What the posts so far were answered: 429s, 500s and normal answers. */
  served(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const fault of this.script.slice(0, this.callsTo('chat.postMessage').length)) {
      bump(counts, fault.kind === 'status' ? String(fault.status) : 'ok');
    }
    return counts;
  }
}

export async function slackFaults(options: { quick: boolean; log: (line: string) => void }): Promise<DrillResult> {
  const started = Date.now();
  const count = options.quick ? 300 : 1_000;
  const slack = new FlakySlack(0.2, 0.1);
  const setup = await setupDelivery({ specCount: 10, channelsPerSpec: 2, slack, name: 'slack-faults' });
  try {
    const events = new Map<string, DrillEvent>();
    const statuses = new Map<number, number>();
    let accepted = 0;
    await pool(count, 16, async (index) => {
      const event = makeEvent(setup, 'flaky', index);
      events.set(event.interviewId, event);
      const status = await sendAsPlatform(setup.rig, event, statuses);
      if (status === 202 || status === 200) accepted += 1;
    });
    const expected = expectedPairs(events.keys(), channelsOf(setup, events));
    const { delivered, drainSeconds } = await waitForDrain(slack, expected, {
      timeoutMs: options.quick ? 150_000 : 200_000,
      settleMs: 5_000,
      log: options.log,
    });
    const served = slack.served();
    const posts = slack.callsTo('chat.postMessage').length;
    const pass = accepted === count && delivered.missing.length === 0 && delivered.twice.length === 0 && delivered.unexpected === 0;
    return {
      name: 'Slack answering 20% 429 and 10% 500',
      pass,
      seconds: (Date.now() - started) / 1000,
      lines: [
        ['webhook answers', statusLine(statuses)],
        ...deliveryLines(count, accepted, delivered),
        ['chat.postMessage calls', posts],
        ['answered 429 / 500 / ok', `${served.get('429') ?? 0} / ${served.get('500') ?? 0} / ${served.get('ok') ?? 0}`],
        ['conversations.history calls (looking for lost posts)', slack.callsTo('conversations.history').length],
        ['drain after the last event', `${drainSeconds.toFixed(1)} s`],
        ['deliveries in the database', await deliveryStatuses(setup.rig.databaseUrl)],
        ['app log lines at error+', setup.rig.errorLineCount],
        ['app log', setup.rig.logFile],
      ],
      notes: [
        ...samples('missing', delivered.missing),
        ...samples('twice', delivered.twice),
        ...samples('app errors', setup.rig.errorLines, 3),
      ],
    };
  } finally {
    await setup.rig.close();
  }
}
