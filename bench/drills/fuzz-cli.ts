import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chance, pick, randomWord } from './fuzz-inputs';
import { ROOT } from './support';

/** What a driver or a crash says; none of it may reach the operator. */
const DRIVER_TEXT = /prisma|invalid input syntax|expired transaction|SQLSTATE|\bP\d{4}\b|\n\s+at \S+ \(|TypeError|ReferenceError/i;

interface CliAnswer {
  code: number | null;
  output: string;
}

/** The operator CLI as built for the drill (dist-bench), against the rig's database. */
function runCli(databaseUrl: string, args: string[]): Promise<CliAnswer> {
  const entry = path.join(ROOT, 'dist-bench/src/cli/main.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(entry)}).cliMain(process.argv.slice(1))`, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Hostile CLI arguments and spec files: each run must end with an exit code and words only. */
export async function fuzzCli(databaseUrl: string, runs: number): Promise<{ runs: number; exits: Map<number, number>; bad: string[] }> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'panelist-fuzz-cli-'));
  const exits = new Map<number, number>();
  const bad: string[] = [];
  try {
    const files = {
      notJson: '{"id": ',
      badId: JSON.stringify({ id: randomWord(), slug: 'x', title: 'x', competencies: [] }),
      deep: `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
      nul: JSON.stringify({ id: randomUUID(), slug: 'nul\u0000', title: 'x' }),
      empty: '',
      array: JSON.stringify([null, 1, 'x', {}]),
    };
    const paths: string[] = [];
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(scratch, `${name}.json`);
      await writeFile(file, text);
      paths.push(file);
    }
    const argumentSets: (() => string[])[] = [
      () => [
        'deliveries',
        'retry',
        pick(['1', '-1', "'; DROP TABLE delivery; --", randomWord(60), randomUUID(), `${randomUUID()}x`, '%', '']),
      ],
      () => ['specs', 'import', pick([...paths, path.join(scratch, 'missing.json'), scratch])],
      () => [
        'digests',
        'preview',
        pick(['nope', randomWord(300), '58fd', '%']),
        '--at',
        pick(['2026-11-23T09:00:00Z', 'yesterday', '9'.repeat(30)]),
      ],
      () => ['specs', 'list', '--org', pick(['nope', randomWord(200), '%'])],
      () => [pick(['deliveries', 'specs', 'db', 'digests']), randomWord(), '--frobnicate'],
      () => [
        'admins',
        pick(['add', 'remove']),
        pick(['teams', 'slack', randomWord()]),
        pick(['1', "'; --", randomWord(300), randomUUID(), '\u0000']),
      ],
      () => [
        'api-keys',
        pick(['create', 'revoke', 'list', 'rotate']),
        ...(chance(0.9) ? [pick(['fuzz-key', '', "'; --", '-x', randomWord(80), 'a'.repeat(65), '\u0000'])] : []),
        ...(chance(0.3) ? ['--org', pick(['default', 'nope', randomWord(40)])] : []),
      ],
    ];
    for (let i = 0; i < runs; i += 1) {
      // argv cannot carry NUL (the operating system's strings end there): what a shell could send
      const args = pick(argumentSets)().map((arg) => arg.replaceAll('\u0000', '\u0001'));
      const answer = await runCli(databaseUrl, args);
      exits.set(answer.code ?? -1, (exits.get(answer.code ?? -1) ?? 0) + 1);
      if (answer.code === null || answer.code > 2 || DRIVER_TEXT.test(answer.output)) {
        bad.push(`cli ${JSON.stringify(args).slice(0, 120)} → exit ${answer.code}: ${JSON.stringify(answer.output.slice(0, 200))}`);
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { runs, exits, bad };
}
