import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * The operator CLI as an operator runs it: `node bin/panelist.js …` in the project folder, against a
 * database of this file's own (DATABASE_URL), reading what it prints and its exit code.
 */

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = 'fixtures/payments-platform-spec.json';
const SPEC_ID = '58fd32b5-4151-4e1b-aa1c-ab2538f8b850';
const SLUG = 'senior-backend-payments';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

let database: TestDatabase;
let sql: Client;
let scratch: string;
let fixture: Record<string, unknown>;

function cli(...args: string[]): Promise<CliRun> {
  return cliWith({}, ...args);
}

function cliWith(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/panelist.js', ...args], {
      cwd: ROOT,
      // only what a shell would carry, plus the database: nothing from the test runner's env leaks in
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, DATABASE_URL: database.url, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A spec document derived from the fixture, written to the scratch folder; returns its path. */
async function writeSpec(name: string, document: unknown): Promise<string> {
  const file = path.join(scratch, name);
  await writeFile(file, typeof document === 'string' ? document : JSON.stringify(document, null, 2));
  return file;
}

function withWeights(document: Record<string, unknown>, weights: Record<string, string>): Record<string, unknown> {
  const competencies = (document.competencies as { id: string; weight: string }[]).map((c) => ({
    ...c,
    weight: weights[c.id] ?? c.weight,
  }));
  return { ...document, competencies };
}

async function counts(): Promise<{ specs: number; versions: number; audit: number; current: number | null }> {
  const { rows } = await sql.query<{ specs: string; versions: string; audit: string; current: number | null }>(`
    SELECT (SELECT count(*) FROM spec) AS specs,
           (SELECT count(*) FROM spec_version) AS versions,
           (SELECT count(*) FROM audit_event) AS audit,
           (SELECT current_version FROM spec WHERE id = '${SPEC_ID}') AS current`);
  const row = rows[0]!;
  return { specs: Number(row.specs), versions: Number(row.versions), audit: Number(row.audit), current: row.current };
}

beforeAll(async () => {
  // bin/panelist.js runs dist/: build it from the sources under test (tsc 7 takes about 2 s)
  const build = spawnSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npx tsc -p tsconfig.build.json failed:\n${build.stdout}${build.stderr}`);

  database = await createTestDatabase();
  sql = new Client({ connectionString: database.url });
  await sql.connect();
  scratch = await mkdtemp(path.join(tmpdir(), 'panelist-cli-'));
  fixture = JSON.parse(await readFile(path.join(ROOT, FIXTURE), 'utf8')) as Record<string, unknown>;
}, 60_000);

afterAll(async () => {
  await sql?.end();
  await database?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

// The tests below run in order against one database: each builds on the state the previous left.
describe('panelist specs import / specs list', () => {
  it('imports the fixture as v1', async () => {
    const run = await cli('specs', 'import', FIXTURE);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.trim()).toBe(`${SLUG}: created v1`);
    expect(await counts()).toEqual({ specs: 1, versions: 1, audit: 1, current: 1 });
  });

  it('lists the imported spec with its version, id and title', async () => {
    const run = await cli('specs', 'list');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([`${SLUG}\tv1\t${SPEC_ID}\tSenior Backend Engineer — Payments Platform`]);
  });

  it('makes no new version when the same file is imported again', async () => {
    const run = await cli('specs', 'import', FIXTURE);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.trim()).toBe(`${SLUG}: unchanged at v1`);
    expect(await counts()).toEqual({ specs: 1, versions: 1, audit: 1, current: 1 });
    expect((await cli('specs', 'list')).stdout).toContain(`${SLUG}\tv1\t`);
  });

  it('makes exactly one new version from a changed file', async () => {
    const changed = await writeSpec(
      'changed.json',
      withWeights(fixture, { financial_systems_design: '0.35', fastapi_kafka_systems: '0.05' }),
    );
    const run = await cli('specs', 'import', changed);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.trim()).toBe(`${SLUG}: updated to v2`);
    expect(await counts()).toEqual({ specs: 1, versions: 2, audit: 2, current: 2 });

    const { rows } = await sql.query<{ competencies: { id: string; weight: number }[]; source: string; author_platform: string }>(
      `SELECT competencies, source, author_platform FROM spec_version WHERE spec_id = $1 AND number = 2`,
      [SPEC_ID],
    );
    expect(rows[0]).toMatchObject({ source: 'import', author_platform: 'cli' });
    expect(Object.fromEntries(rows[0]!.competencies.map((c) => [c.id, c.weight]))).toEqual({
      financial_systems_design: 35,
      distributed_systems_reliability: 25,
      postgres_schema_design: 20,
      production_ownership: 15,
      fastapi_kafka_systems: 5,
    });

    const again = await cli('specs', 'import', changed);
    expect(again.stdout.trim()).toBe(`${SLUG}: unchanged at v2`);
    expect(await counts()).toEqual({ specs: 1, versions: 2, audit: 2, current: 2 });
  });

  it('refuses weights totalling 0.95 with exit 1, says the sum, and writes nothing', async () => {
    const before = await counts();
    const unbalanced = await writeSpec('unbalanced.json', withWeights(fixture, { financial_systems_design: '0.25' }));
    const run = await cli('specs', 'import', unbalanced);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Weights add up to 0.95; they must total 1.00 (add 0.05)');
    expect(await counts()).toEqual(before);
  });

  it('refuses a whole array when one document is bad: the good one is not imported either', async () => {
    const before = await counts();
    const good = { ...fixture, id: '0b7a3f7e-5c1d-4a55-9d7e-2f7f1f0c1a01', slug: 'staff-data-engineer', title: 'Staff Data Engineer' };
    const bad = withWeights(
      { ...fixture, id: '0b7a3f7e-5c1d-4a55-9d7e-2f7f1f0c1a02', slug: 'bad-weights' },
      { production_ownership: '0.10' },
    );
    const run = await cli('specs', 'import', await writeSpec('half-bad.json', [good, bad]));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('[1] competencies.weights: Weights add up to 0.95');
    expect(await counts()).toEqual(before); // no spec, version or audit row: the good document was not imported either
  });

  it('refuses a file that is not JSON with exit 2, naming the file', async () => {
    const before = await counts();
    const broken = await writeSpec('broken-spec.json', '{ "id": "58fd32b5", ');
    const run = await cli('specs', 'import', broken);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${broken} is not valid JSON`);
    expect(await counts()).toEqual(before);
  });

  it('refuses a missing file with exit 2, naming it', async () => {
    const missing = path.join(scratch, 'no-such-spec.json');
    const run = await cli('specs', 'import', missing);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Cannot read ${missing}`);
  });

  it('imports both documents of an array', async () => {
    const first = { ...fixture, id: '6a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a41', slug: 'staff-data-engineer', title: 'Staff Data Engineer' };
    const second = {
      ...withWeights(fixture, { financial_systems_design: '20%', fastapi_kafka_systems: '.2' }),
      id: '6a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a42',
      slug: 'platform-sre',
      title: 'Platform SRE',
    };
    const run = await cli('specs', 'import', await writeSpec('two.json', [first, second]));
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.trim().split('\n')).toEqual(['staff-data-engineer: created v1', 'platform-sre: created v1']);

    const list = await cli('specs', 'list');
    expect(list.code).toBe(0);
    expect(
      list.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('\t').slice(0, 2).join(' ')),
    ).toEqual(['platform-sre v1', `${SLUG} v2`, 'staff-data-engineer v1']);
  });
});

describe('panelist at scale, and the database errors in words', () => {
  it('imports 1,000 specs from one file in one go', async () => {
    const many = Array.from({ length: 1_000 }, (_, i) => ({ ...fixture, id: randomUUID(), slug: `bulk-${i}`, title: `Bulk ${i}` }));
    const before = await counts();
    const run = await cli('specs', 'import', await writeSpec('many.json', many));
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.trim().split('\n')).toHaveLength(1_000);
    expect((await counts()).specs).toBe(before.specs + 1_000);
  }, 120_000);

  it("answers a delivery id that is not one with a sentence, not the driver's text", async () => {
    const run = await cli('deliveries', 'retry', '1');
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      'No delivery 1: a delivery id looks like 3f2b8c1e-…-…; `npx panelist deliveries list` shows them (`--failed` only the failed ones).',
    );
  });

  it('answers a well-formed id that names no delivery the same way', async () => {
    const id = randomUUID();
    const run = await cli('deliveries', 'retry', id);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`No delivery ${id}: a delivery id looks like`);
  });

  it("says the database cannot be reached, without the driver's text", async () => {
    const run = await cliWith({ DATABASE_URL: 'postgres://panelist@127.0.0.1:1/panelist' }, 'specs', 'list');
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      'panelist: could not reach the database (DATABASE_URL, or the embedded one in ./.data/pg). Check that it is running and try again.',
    );
  });
});

describe('panelist misuse', () => {
  it('answers an unknown command with exit 2 and the usage', async () => {
    const run = await cli('specs', 'explode');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Unknown command "specs explode".');
    expect(run.stderr).toContain('Usage: panelist <command>');
    expect(run.stderr).toContain('specs import <file.json>');
  });

  it('answers `specs import` without a file with exit 2', async () => {
    const run = await cli('specs', 'import');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('specs import takes one file');
  });

  it('answers an unknown option with exit 2 and the usage', async () => {
    const run = await cli('specs', 'list', '--frobnicate');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: panelist <command>');
  });

  it('prints the usage for `help` with exit 0', async () => {
    const run = await cli('help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: panelist <command>');
  });
});
