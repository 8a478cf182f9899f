import { channelsOf, deliveryStatuses, makeEvent, setupDelivery, type DrillEvent } from './load';
import { bump, deliveryLines, expectedPairs, pool, samples, shuffle, statusLine, waitForDrain, type DrillResult } from './tally';

/**
 * Duplicate storm: every event three times, the copies shuffled together in small windows so they
 * are in flight at the same moment (32 requests in flight). Exactly one 202 and two 200 per event,
 * exactly one message per interview per subscribed channel.
 */
export async function duplicateStorm(options: { quick: boolean; log: (line: string) => void }): Promise<DrillResult> {
  const started = Date.now();
  const count = options.quick ? 1_000 : 10_000;
  const setup = await setupDelivery({ specCount: 10, channelsPerSpec: 1, name: 'storm' });
  try {
    const events = new Map<string, DrillEvent>();
    const sends: DrillEvent[] = [];
    const WINDOW = 10; // events whose 30 copies are shuffled together
    for (let first = 0; first < count; first += WINDOW) {
      const window: DrillEvent[] = [];
      for (let i = first; i < Math.min(first + WINDOW, count); i += 1) {
        const event = makeEvent(setup, 'storm', i);
        events.set(event.interviewId, event);
        window.push(event, event, event);
      }
      sends.push(...shuffle(window));
    }
    options.log(`  sending ${sends.length} requests (${count} events × 3), 32 in flight`);
    const statuses = new Map<number, number>();
    const perEvent = new Map<string, number[]>();
    const sendStart = Date.now();
    await pool(sends.length, 32, async (index) => {
      const event = sends[index]!;
      const { status } = await setup.rig.webhook(event.raw);
      bump(statuses, status);
      perEvent.set(event.eventId, [...(perEvent.get(event.eventId) ?? []), status]);
    });
    const sendSeconds = (Date.now() - sendStart) / 1000;
    const accepted = [...perEvent.values()].filter((list) => list.some((s) => s === 202 || s === 200)).length;
    const badEvents = [...perEvent].filter(
      ([, list]) => list.filter((s) => s === 202).length !== 1 || list.filter((s) => s === 200).length !== 2,
    );

    const expected = expectedPairs(events.keys(), channelsOf(setup, events));
    const { delivered, drainSeconds } = await waitForDrain(setup.rig.slack, expected, {
      timeoutMs: options.quick ? 120_000 : 240_000,
      log: options.log,
    });
    const pass =
      statuses.get(202) === count &&
      statuses.get(200) === 2 * count &&
      badEvents.length === 0 &&
      delivered.missing.length === 0 &&
      delivered.twice.length === 0 &&
      delivered.unexpected === 0 &&
      setup.rig.errorLineCount === 0;
    return {
      name: 'duplicate storm',
      pass,
      seconds: (Date.now() - started) / 1000,
      lines: [
        ['requests sent', sends.length],
        ['answers', statusLine(statuses)],
        [`expected`, `202×${count} 200×${2 * count}`],
        ['events not answered 202 once + 200 twice', badEvents.length],
        ...deliveryLines(count, accepted, delivered),
        ['channels (10 specs, one channel each)', setup.specs.length],
        [
          'send time / drain after last answer',
          `${sendSeconds.toFixed(1)} s (${((3 * count) / sendSeconds).toFixed(0)} req/s) / ${drainSeconds.toFixed(1)} s`,
        ],
        ['deliveries in the database', await deliveryStatuses(setup.rig.databaseUrl)],
        ['app log lines at error+', setup.rig.errorLineCount],
        ['app log', setup.rig.logFile],
      ],
      notes: [
        ...samples(
          'events answered otherwise',
          badEvents.map(([id, list]) => `${id}: ${list.join('/')}`),
        ),
        ...samples('missing', delivered.missing),
        ...samples('twice', delivered.twice),
        ...samples('app errors', setup.rig.errorLines, 3),
      ],
    };
  } finally {
    await setup.rig.close();
  }
}
