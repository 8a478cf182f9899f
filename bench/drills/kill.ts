import { sleep } from './rig';
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
    async disrupt(setup) {
      const downtimes: string[] = [];
      await sleep(2_000);
      for (let kill = 1; kill <= 5; kill += 1) {
        await sleep(1_000 + Math.random() * (options.quick ? 2_000 : 5_000));
        const before = setup.rig.slack.posted().length;
        await setup.rig.killApp();
        const down = Date.now();
        await sleep(200 + Math.random() * 800);
        await setup.rig.startApp();
        downtimes.push(`${((Date.now() - down) / 1000).toFixed(1)}s`);
        options.log(`  kill ${kill}: SIGKILL with ${before} messages posted; back after ${downtimes[downtimes.length - 1]}`);
      }
      await sleep(2_000);
      return [
        ['SIGKILLs', 5],
        ['down each time (until /healthz 200)', downtimes.join(' ')],
      ];
    },
  });
}
