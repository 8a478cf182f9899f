import os from 'node:os';
import { fuzz } from './drills/fuzz';
import { killNine } from './drills/kill';
import { noisyNeighbour } from './drills/noisy';
import { postgresRestart } from './drills/pg-restart';
import { replicas } from './drills/replicas';
import { closeAllRigs, killAllChildrenNow } from './drills/rig';
import { slackFaults } from './drills/slack-faults';
import { duplicateStorm } from './drills/storm';
import { teamsFaults, teamsKill } from './drills/teams-faults';
import { printResult, type DrillResult } from './drills/tally';

/**
 * `npm run drills [-- --quick] [-- --only <name>[,<name>]]`: fault drills against the real app (a
 * child process), its own PostgreSQL and a fake Slack (and a fake Bot Connector and Graph for Teams). Each prints what was sent, what arrived,
 * what is missing and what arrived twice; the exit code is 1 when any drill fails.
 */
type Drill = (options: { quick: boolean; log: (line: string) => void }) => Promise<DrillResult>;

const DRILLS: Record<string, Drill> = {
  storm: duplicateStorm,
  kill: killNine,
  'slack-faults': slackFaults,
  'teams-faults': teamsFaults,
  'teams-kill': teamsKill,
  'pg-restart': postgresRestart,
  fuzz,
  noisy: noisyNeighbour,
  replicas,
};

/** Minutes a drill may take (quick, full) when the default of 4 / 8 is too short for what it waits out. */
const CEILINGS: Record<string, [number, number]> = {
  // a 300-message backlog at Slack's 1/s
  noisy: [4, 10],
  // three app processes to start, then posts cut off by kill -9 wait out their 2-minute lease
  replicas: [7, 10],
};

function parseArgs(argv: string[]): { quick: boolean; only: string[] } {
  const quick = argv.includes('--quick');
  const at = argv.indexOf('--only');
  const only = at >= 0 ? (argv[at + 1] ?? '').split(',').filter(Boolean) : Object.keys(DRILLS);
  const unknown = only.filter((name) => !DRILLS[name]);
  if (unknown.length > 0 || (at >= 0 && only.length === 0)) {
    console.error(`unknown drill ${unknown.join(', ') || '(none given)'}; drills: ${Object.keys(DRILLS).join(', ')}`);
    process.exit(2);
  }
  return { quick, only };
}

async function main(): Promise<void> {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const log = (line: string) => console.log(line);
  console.log(
    `Panelist fault drills${quick ? ' (--quick)' : ''}: ${only.join(', ')}\n` +
      `${new Date().toISOString()} · ${os.cpus().length} cores · ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB · node ${process.version} · load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  const results: DrillResult[] = [];
  for (const name of only) {
    console.log(`\n-- ${name}`);
    const started = Date.now();
    // Each drill gets a hard ceiling, so a hang becomes a FAIL instead of a stuck run.
    const ceiling = (CEILINGS[name] ?? [4, 8])[quick ? 0 : 1]! * 60_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        DRILLS[name]!({ quick, log }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`did not finish within ${ceiling / 60_000} min`)), ceiling);
        }),
      ]);
      results.push(result);
    } catch (error) {
      results.push({
        name,
        pass: false,
        seconds: (Date.now() - started) / 1000,
        lines: [['error', error instanceof Error ? error.message : String(error)]],
        notes: [],
      });
      await closeAllRigs();
    } finally {
      clearTimeout(timer);
    }
    printResult(results[results.length - 1]!);
  }
  console.log('\n== summary');
  for (const result of results) console.log(`  ${result.pass ? 'PASS' : 'FAIL'}  ${result.name} (${result.seconds.toFixed(0)} s)`);
  process.exitCode = results.every((result) => result.pass) ? 0 : 1;
}

// Never leave an app or a PostgreSQL behind: on Ctrl-C stop them, on any exit kill the app.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the apps and databases the drills started`);
    void closeAllRigs().finally(() => process.exit(130));
  });
}
process.on('exit', killAllChildrenNow);

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await closeAllRigs();
    // the fake Slack's keep-alive sockets and pg clients must not hold the process open
    setTimeout(() => process.exit(), 500).unref();
  });
