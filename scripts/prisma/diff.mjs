#!/usr/bin/env node
// Prints the SQL that takes the database built by replaying prisma/migrations/*/migration.sql
// (in folder-name order, on a throwaway in-memory PGlite) to the state described by
// prisma/schema.prisma: the offline equivalent of
//   prisma migrate diff --from-migrations prisma/migrations --to-schema prisma/schema.prisma --script
// Prints nothing when they agree.
//
//   node scripts/prisma/diff.mjs [--schema <file|dir>] [--migrations <dir>] [--exit-code]
//
// Exit status: 0 (also with a non-empty diff, as prisma does), 2 for a non-empty diff with
// --exit-code, 1 on error (e.g. a migration that fails to apply).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { DEFAULT_MIGRATIONS, DEFAULT_SCHEMA, diffMigrationsToSchema } from './schema-engine.mjs';

export { diffMigrationsToSchema };

async function main() {
  const { values } = parseArgs({
    options: {
      schema: { type: 'string', default: DEFAULT_SCHEMA },
      migrations: { type: 'string', default: DEFAULT_MIGRATIONS },
      'exit-code': { type: 'boolean', default: false },
    },
  });
  const sql = await diffMigrationsToSchema({ schemaPath: values.schema, migrationsDir: values.migrations });
  process.stdout.write(sql);
  if (sql && values['exit-code']) process.exitCode = 2;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error?.message ?? error);
    process.exitCode = 1;
  });
}
