import { runCli } from '../../src/cli/main';

/**
 * `npx panelist …` in this process against a test's database (and `env`, e.g. the fake Slack the
 * app uses): `run` returns what it printed (and fails the test unless it exits 0); `refusal`
 * returns the error it was refused with. The environment is put back after each command.
 */
export function panelistCli(databaseUrl: () => string, env: () => Record<string, string> = () => ({})) {
  async function withDatabase<T>(work: () => Promise<T>): Promise<T> {
    const saved = { ...process.env };
    Object.assign(process.env, env(), { DATABASE_URL: databaseUrl() });
    try {
      return await work();
    } finally {
      process.env = saved;
    }
  }
  return {
    async run(...args: string[]): Promise<string[]> {
      const lines: string[] = [];
      const code = await withDatabase(() => runCli(args, (line) => lines.push(line)));
      expect(code).toBe(0);
      return lines;
    },
    async refusal(...args: string[]): Promise<Error> {
      const outcome = await withDatabase(() =>
        runCli(args, () => undefined).then(
          () => undefined,
          (error: unknown) => error as Error,
        ),
      );
      if (!outcome) throw new Error(`panelist ${args.join(' ')} was not refused`);
      return outcome;
    },
  };
}
