import { sleep } from './rig';
import { underLoad } from './under-load';
import type { DrillResult } from './tally';

/**
 * PostgreSQL stopped for a few seconds under load, then started again on the same data directory
 * and port. Webhooks must answer 503 meanwhile (counted); the senders retry them.
 */
export async function postgresRestart(options: { quick: boolean; log: (line: string) => void }): Promise<DrillResult> {
  return underLoad({
    ...options,
    name: 'PostgreSQL stopped and restarted under load',
    tag: 'pg',
    senders: 8,
    allowed: [503],
    mustSee: 503,
    drainTimeoutMs: 200_000,
    async disrupt(setup) {
      await sleep(3_000);
      const stopping = Date.now();
      await setup.rig.stopPg();
      const stoppedIn = (Date.now() - stopping) / 1000;
      options.log(`  PostgreSQL stopped (took ${stoppedIn.toFixed(1)} s); down for ${options.quick ? 5 : 10} s`);
      await sleep(options.quick ? 5_000 : 10_000);
      const readyWhileDown = await setup.rig.get('/readyz').catch(() => 0);
      const starting = Date.now();
      await setup.rig.startPg();
      const startedIn = (Date.now() - starting) / 1000;
      // readiness comes back by itself
      let readyAfter = -1;
      for (let waited = 0; waited < 60_000 && setup.rig.alive; waited += 250) {
        if ((await setup.rig.get('/readyz').catch(() => 0)) === 200) {
          readyAfter = (Date.now() - starting) / 1000;
          break;
        }
        await sleep(250);
      }
      options.log(`  PostgreSQL started in ${startedIn.toFixed(1)} s; /readyz 200 after ${readyAfter.toFixed(1)} s`);
      const crashed = [...setup.rig.crashes];
      if (!setup.rig.alive) {
        options.log(`  the app died while PostgreSQL was down (${crashed.join('; ')}); restarting it as a supervisor would`);
        await setup.rig.startApp();
      }
      await sleep(5_000);
      return [
        ['/readyz while PostgreSQL was down', readyWhileDown],
        ['/readyz 200 again after start', readyAfter < 0 ? 'never (60 s)' : `${readyAfter.toFixed(1)} s`],
      ];
    },
  });
}
