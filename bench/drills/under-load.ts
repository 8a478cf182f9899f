import type { FakeSlack } from '../../test/support/fake-slack';
import { channelsOf, completedInterviews, continuousLoad, deliveryStatuses, setupDelivery, type DeliverySetup } from './load';
import { deliveryLines, expectedPairs, samples, statusLine, waitForDrain, type DrillResult } from './tally';

/**
 * The shape of the kill -9 and PostgreSQL drills: senders post events continuously (retrying as the
 * platform does), `disrupt` breaks something meanwhile, then the load stops and the drill checks that
 * every event answered 202/200 has its completed interview and exactly one message per channel.
 */
export async function underLoad(options: {
  name: string;
  tag: string;
  quick: boolean;
  log: (line: string) => void;
  senders: number;
  slack?: FakeSlack;
  env?: Record<string, string>;
  /** statuses a sender may see besides 202/200 without failing the drill (e.g. 503 while PG is down) */
  allowed: number[];
  /** a status the disruption must provoke at least once (503 while PostgreSQL is down) */
  mustSee?: number;
  disrupt(setup: DeliverySetup): Promise<[string, string | number][]>;
  drainTimeoutMs: number;
}): Promise<DrillResult> {
  const started = Date.now();
  const setup = await setupDelivery({ specCount: 4, channelsPerSpec: 2, env: options.env, slack: options.slack, name: options.tag });
  try {
    const load = continuousLoad(setup, options.tag, options.senders);
    const disruption = await options.disrupt(setup);
    const crashes = [...setup.rig.crashes];
    if (!setup.rig.alive) {
      // a crash is a finding; restart as a supervisor would, to see whether anything is lost
      options.log(`  the app is not running (${crashes.join('; ')}); restarting it`);
      await setup.rig.startApp();
    }
    options.log(`  disruption over; stopping the senders (${load.sent} events so far)`);
    await load.stop();
    const accepted = [...load.answered].filter(([, status]) => status === 202 || status === 200).map(([id]) => id);
    const unanswered = [...load.answered].filter(([, status]) => status === 0 || status === 503).map(([id]) => id);
    const expected = expectedPairs(accepted, channelsOf(setup, load.events));
    options.log(`  ${accepted.length} events accepted; waiting for ${expected.size} messages`);
    const { delivered, drainSeconds } = await waitForDrain(setup.rig.slack, expected, {
      timeoutMs: options.drainTimeoutMs,
      log: options.log,
    });
    const stored = await completedInterviews(setup.rig.databaseUrl, accepted);
    const lostInterviews = accepted.filter((id) => !stored.has(id));
    const otherStatuses = [...load.statuses].filter(([status]) => ![0, 200, 202, ...options.allowed].includes(status));
    // An event whose answer never came may still have been committed: its message is not a duplicate.
    const extra = delivered.unexpected;
    const health = setup.rig.alive ? await setup.rig.get('/healthz').catch(() => 0) : 0;
    const pass =
      lostInterviews.length === 0 &&
      delivered.missing.length === 0 &&
      delivered.twice.length === 0 &&
      otherStatuses.length === 0 &&
      unanswered.length === 0 &&
      crashes.length === 0 &&
      (options.mustSee === undefined || (load.statuses.get(options.mustSee) ?? 0) > 0) &&
      health === 200;
    return {
      name: options.name,
      pass,
      seconds: (Date.now() - started) / 1000,
      lines: [
        ...disruption,
        ['answers (all tries)', statusLine(load.statuses)],
        ['events never answered (gave up)', unanswered.length],
        ...deliveryLines(load.sent, accepted.length, delivered),
        ['accepted events without a completed interview', lostInterviews.length],
        ['messages for events never answered (fine)', extra],
        ['drain after load stopped', `${drainSeconds.toFixed(1)} s`],
        ['deliveries in the database', await deliveryStatuses(setup.rig.databaseUrl)],
        ['/healthz at the end', health],
        ['app crashes (exits not caused by the drill)', crashes.length === 0 ? 0 : crashes.join('; ')],
        ['app log lines at error+', setup.rig.errorLineCount],
        ['app log', setup.rig.logFile],
      ],
      notes: [
        ...samples(
          'unexpected answers',
          otherStatuses.map(([status, n]) => `${status}×${n}`),
        ),
        ...samples('accepted but no interview', lostInterviews),
        ...samples('missing', delivered.missing),
        ...samples('twice', delivered.twice),
        ...samples('app errors', setup.rig.errorLines, 3),
      ],
    };
  } finally {
    await setup.rig.close();
  }
}
