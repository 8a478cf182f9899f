import { runCli } from '../../src/cli/main';

/**
 * `npx panelist …` in this process against a test's database: `run` returns what it printed (and
 * fails the test unless it exits 0); `refusal` returns the error it was refused with.
 */
export function panelistCli(databaseUrl: () => string) {
  async function withDatabase<T>(work: () => Promise<T>): Promise<T> {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = databaseUrl();
    try {
      return await work();
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
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
