// prisma/migrations must build exactly the database prisma/schema.prisma describes. Both sides are
// compared by Prisma's wasm schema engine with a throwaway in-memory PGlite as the shadow database
// (scripts/prisma/diff.mjs), so this runs offline and needs no Postgres.
//
// The diff runs in a child Node process: scripts/prisma is ES modules (as is the wasm engine), and
// Jest 30 on Node 20 cannot import() ES modules from a CommonJS-transformed test without
// --experimental-vm-modules. The child imports the exported function and prints its result.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(__dirname, '..', '..');
const DIFF_SCRIPT = path.join(ROOT, 'scripts', 'prisma', 'diff.mjs');
const SCHEMA = path.join(ROOT, 'prisma', 'schema.prisma');
const MIGRATIONS = path.join(ROOT, 'prisma', 'migrations');

// Each diff boots the wasm engine and initialises a wasm Postgres: several seconds.
const TIMEOUT = 120_000;

type RunResult = { code: number; stdout: string; stderr: string };

function run(args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Calls the exported diffMigrationsToSchema() of scripts/prisma/diff.mjs in a child process. */
async function diffMigrationsToSchema(options: { schemaPath: string; migrationsDir: string }): Promise<string> {
  const program = [
    `import { diffMigrationsToSchema } from ${JSON.stringify(pathToFileURL(DIFF_SCRIPT).href)};`,
    'const sql = await diffMigrationsToSchema(JSON.parse(process.argv[1]));',
    'process.stdout.write(JSON.stringify(sql));',
  ].join('\n');
  const result = await run(['--input-type=module', '-e', program, JSON.stringify(options)]);
  if (result.code !== 0) {
    throw new Error(`diffMigrationsToSchema failed (exit ${result.code}):\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as string;
}

describe('prisma/migrations', () => {
  let tmp: string;
  let schemaWithExtraField: string;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'panelist-migrations-'));
    const schema = await readFile(SCHEMA, 'utf8');
    const changed = schema.replace(
      /^model Organization \{\n/m,
      (head) => `${head}  migrationProbe String? @map("migration_probe_column")\n`,
    );
    if (changed === schema) throw new Error('could not find model Organization in prisma/schema.prisma');
    schemaWithExtraField = path.join(tmp, 'schema.prisma');
    await writeFile(schemaWithExtraField, changed);
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  test(
    'build exactly the database described by prisma/schema.prisma',
    async () => {
      const sql = await diffMigrationsToSchema({ schemaPath: SCHEMA, migrationsDir: MIGRATIONS });
      // A non-empty diff is the SQL of the missing migration: run `npm run db:migration -- <name>`.
      expect(sql).toBe('');
    },
    TIMEOUT,
  );

  test(
    'are reported as behind a schema with a field they do not create',
    async () => {
      const sql = await diffMigrationsToSchema({ schemaPath: schemaWithExtraField, migrationsDir: MIGRATIONS });
      expect(sql).toMatch(/ALTER TABLE "organization" ADD COLUMN\s+"migration_probe_column" TEXT;/);
    },
    TIMEOUT,
  );

  test(
    'npm run db:diff -- --exit-code exits 2 and prints that SQL',
    async () => {
      const result = await run([DIFF_SCRIPT, '--schema', schemaWithExtraField, '--exit-code']);
      expect(result).toMatchObject({ code: 2, stderr: '' });
      expect(result.stdout).toContain('"migration_probe_column"');
    },
    TIMEOUT,
  );
});
