#!/usr/bin/env node
// Runs `prisma generate` without the network. Generating the client needs no schema engine, but
// the prisma CLI downloads the native one before any command unless PRISMA_SCHEMA_ENGINE_BINARY
// names an existing file; it never runs it for `generate`. So, when the variable is unset, point
// it at this Node executable. Telemetry and update checks are switched off as well.
//
//   node scripts/prisma/generate.mjs [any `prisma generate` options, e.g. --schema <file>]

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const pkg = require.resolve('prisma/package.json');
const cli = path.join(path.dirname(pkg), require(pkg).bin.prisma);

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
  CHECKPOINT_DISABLE: process.env.CHECKPOINT_DISABLE ?? '1',
  PRISMA_HIDE_UPDATE_MESSAGE: process.env.PRISMA_HIDE_UPDATE_MESSAGE ?? '1',
};

const result = spawnSync(process.execPath, [cli, 'generate', ...process.argv.slice(2)], { stdio: 'inherit', env });
if (result.error) {
  console.error(result.error.message);
  process.exit(1);
}
process.exit(result.status ?? 1);
