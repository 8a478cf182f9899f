#!/usr/bin/env node
// Writes prisma/migrations/<UTC yyyymmddHHMMSS>_<name>/migration.sql with the SQL that brings the
// existing migrations up to prisma/schema.prisma (see diff.mjs), in the folder format of
// `prisma migrate dev --create-only`, so both tools can be used on the same folder. Also writes
// migration_lock.toml when it is missing. Refuses when the migrations already match the schema.
//
//   node scripts/prisma/new-migration.mjs <name> [--timestamp yyyymmddHHMMSS]
//                                        [--schema <file|dir>] [--migrations <dir>]
//
// The new migration is a draft: review it, and append any hand-written SQL (triggers, functions,
// CHECK constraints) before committing it. Never edit a migration that has been applied anywhere.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { DEFAULT_MIGRATIONS, DEFAULT_SCHEMA, MIGRATION_LOCK, diffMigrationsToSchema } from './schema-engine.mjs';

/** "Add spec grants" -> "add_spec_grants", as `prisma migrate dev --name` does (at most 200 chars). */
export function migrationSlug(name) {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
}

/** The current UTC time as yyyymmddHHMMSS, the prefix prisma gives migration folders. */
export function migrationTimestamp(date = new Date()) {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

export async function createMigration({
  name,
  timestamp = migrationTimestamp(),
  schemaPath = DEFAULT_SCHEMA,
  migrationsDir = DEFAULT_MIGRATIONS,
}) {
  const slug = migrationSlug(name ?? '');
  if (!slug) throw new Error('usage: new-migration.mjs <name>   (letters, digits and separators)');
  if (!/^\d{14}$/.test(timestamp)) throw new Error(`--timestamp must be yyyymmddHHMMSS, got ${timestamp}`);

  const sql = await diffMigrationsToSchema({ schemaPath, migrationsDir });
  if (!sql) throw new Error('The migrations already match the schema: nothing to write.');

  const dir = path.join(path.resolve(migrationsDir), `${timestamp}_${slug}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'migration.sql'), sql, { flag: 'wx' }); // never overwrite
  const lock = path.join(path.resolve(migrationsDir), 'migration_lock.toml');
  if ((await readFile(lock, 'utf8').catch(() => null)) === null) await writeFile(lock, MIGRATION_LOCK);
  return { dir, sql };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      timestamp: { type: 'string' },
      schema: { type: 'string', default: DEFAULT_SCHEMA },
      migrations: { type: 'string', default: DEFAULT_MIGRATIONS },
    },
  });
  if (positionals.length !== 1) throw new Error('usage: new-migration.mjs <name> [--timestamp yyyymmddHHMMSS]');
  const { dir } = await createMigration({
    name: positionals[0],
    timestamp: values.timestamp,
    schemaPath: values.schema,
    migrationsDir: values.migrations,
  });
  console.log(`Wrote ${path.relative(process.cwd(), path.join(dir, 'migration.sql'))}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error?.message ?? error);
    process.exitCode = 1;
  });
}
