import { sleep, type Rig } from './rig';
import { underLoad } from './under-load';
import type { DrillResult } from './tally';

/**
 * kill -9 of the app five times under load, restarted each time on the same port and database. The
 * senders retry what got no answer with the same event id, as the platform does.
 */
export async function killNine(options: { quick: boolean; log: (line: string) => void }): Promise<DrillResult> {
  return underLoad({
    ...options,
    name: 'kill -9 ×5 under load',
    tag: 'kill',
    senders: 8,
    allowed: [],
    // Recovery of a post in flight waits for its lease (≤ 2 min) and the sweeper: give it room.
    drainTimeoutMs: 200_000,
    disrupt: (setup) => killAndRestart(setup.rig, { kills: 5, gapMs: [1_000, options.quick ? 3_000 : 6_000], log: options.log }),
  });
}

/**
 * SIGKILL of `rig`'s app `kills` times, `gapMs` (uniform between the two) apart, each time started
 * again on the same port 0.2–1 s later, as a supervisor would. Returns the lines a drill prints.
 */
export async function killAndRestart(
  rig: Rig,
  options: { kills: number; gapMs: [number, number]; log: (line: string) => void },
): Promise<[string, string | number][]> {
  const downtimes: string[] = [];
  await sleep(2_000);
  for (let kill = 1; kill <= options.kills; kill += 1) {
    await sleep(options.gapMs[0] + Math.random() * (options.gapMs[1] - options.gapMs[0]));
    const before = rig.slack.posted().length;
    await rig.killApp();
    const down = Date.now();
    await sleep(200 + Math.random() * 800);
    await rig.startApp();
    downtimes.push(`${((Date.now() - down) / 1000).toFixed(1)}s`);
    options.log(`  kill ${kill}: SIGKILL with ${before} messages posted; back after ${downtimes[downtimes.length - 1]}`);
  }
  await sleep(2_000);
  return [
    ['SIGKILLs', options.kills],
    ['down each time (until /healthz 200)', downtimes.join(' ')],
  ];
}
