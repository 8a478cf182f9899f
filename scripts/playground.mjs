#!/usr/bin/env node
// `npm run playground`: Panelist in Teams local mode (TEAMS_LOCAL_PLAYGROUND) and the Microsoft 365
// Agents Playground pointed at its /api/messages, both on this machine, no tenant and no network.
// Ctrl-C stops both. PORT (3000) is Panelist's port, PLAYGROUND_PORT (56150) the Playground's; the
// rest of the environment goes to Panelist as it is (DATABASE_URL, INTERVIEW_WEBHOOK_SECRET, …).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONFIG = path.join(ROOT, 'scripts', 'playground', 'agents-playground.yml');
const WORK_DIR = path.join(ROOT, '.data', 'playground');
const PLAYGROUND_LOG = path.join(WORK_DIR, 'agents-playground.log');
const STARTUP_MS = 120_000;
const PLAYGROUND = 'the Agents Playground';

const say = (line) => console.log(`playground: ${line}`);
const port = Number(process.env.PORT || 3000);
const playgroundPort = Number(process.env.PLAYGROUND_PORT || 56150);
const { tenantId, adminObjectId } = readPlaygroundTenant(CONFIG);
const children = new Set();
let stopping = false;
// From the start: a Ctrl-C while Panelist is still starting must stop it too.
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

if (!existsSync(path.join(ROOT, 'dist', 'main.js'))) await fail('the build is missing: run `npm run build` (npm run playground does).');
mkdirSync(WORK_DIR, { recursive: true });

const panelistEnv = {
  ...process.env,
  PORT: String(port),
  TEAMS_LOCAL_PLAYGROUND: 'true',
  TEAMS_TENANT_ID: tenantId,
  // a real bot's credentials never go near the Playground (local mode refuses them)
  TEAMS_CLIENT_ID: '',
  TEAMS_CLIENT_SECRET: '',
};
start('Panelist', process.execPath, ['--enable-source-maps', path.join(ROOT, 'dist', 'main.js')], {
  env: panelistEnv,
  stdio: 'inherit',
});
await waitUntil(`Panelist on port ${port}`, () => answers(`http://127.0.0.1:${port}/readyz`));

// The Playground's user may edit: named as an operator would name a Teams admin (audited, idempotent).
const named = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'panelist.js'), 'admins', 'add', 'teams', adminObjectId], {
  env: panelistEnv,
  encoding: 'utf8',
});
if (named.status !== 0) await fail(`could not name the Playground's user an admin: ${named.stdout}${named.stderr}`);
say(named.stdout.trim());

const playground = start(
  PLAYGROUND,
  process.execPath,
  [
    createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js'),
    ...['--app-endpoint', `http://127.0.0.1:${port}/api/messages`, '--channel-id', 'msteams'],
    ...['--port', String(playgroundPort), '--disable-telemetry'],
  ],
  {
    cwd: WORK_DIR,
    env: {
      ...process.env,
      // Without this it spawns xdg-open with no 'error' listener; where there is none (a server, CI)
      // the spawn's ENOENT is an uncaught exception and it exits 1 (docs/decisions.md).
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: CONFIG,
      M365_AGENTS_PLAYGROUND_LOGFILE: PLAYGROUND_LOG,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
// It falls back to a free port when the one asked for is taken, and says which.
const listening = await new Promise((resolve) => {
  let seen = '';
  const read = (chunk) => {
    seen += chunk;
    const match = /Listening on (\d+)/.exec(seen);
    if (!match) return;
    // its later output goes to its log file; what little reaches stdout is dropped
    playground.stdout.off('data', read).resume();
    resolve(Number(match[1]));
  };
  playground.stdout.on('data', read);
});
const playgroundUrl = `http://localhost:${listening}`;
await waitUntil(`the Agents Playground on port ${listening}`, () => answers(`${playgroundUrl}/_debug/ping`));
say(`ready ${playgroundUrl} (Panelist http://localhost:${port}, Playground log ${path.relative(ROOT, PLAYGROUND_LOG)})`);
say(`open ${playgroundUrl} and type: help · show senior-backend-payments · edit senior-backend-payments ·`);
say(`  subscribe senior-backend-payments, then in another terminal: npx panelist demo --url http://127.0.0.1:${port}`);

function start(name, command, args, options) {
  const child = spawn(command, args, options);
  child.name = name;
  children.add(child);
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (stopping) return;
    say(`${name} stopped (${signal ?? `exit ${code}`}); stopping the rest.`);
    if (name === PLAYGROUND) showPlaygroundLog();
    stopAll(1);
  });
  return child;
}

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  const exits = [...children].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children) child.kill('SIGTERM');
  void Promise.all(exits).then(() => process.exit(code));
}

/** Says why and stops everything; awaited, it never returns. */
function fail(words) {
  say(words);
  stopAll(1);
  return new Promise(() => {});
}

async function answers(url) {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

async function waitUntil(what, ready) {
  const deadline = Date.now() + STARTUP_MS;
  while (!(await ready())) {
    if (stopping) await new Promise(() => {});
    if (Date.now() > deadline) await fail(`${what} did not answer within ${STARTUP_MS / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The Playground writes its own errors (a bad config file, say) only to its log file. */
function showPlaygroundLog() {
  if (!existsSync(PLAYGROUND_LOG)) return;
  const lines = readFileSync(PLAYGROUND_LOG, 'utf8').trimEnd().split('\n').slice(-15);
  say(`the last lines of ${path.relative(ROOT, PLAYGROUND_LOG)}:\n${lines.join('\n')}`);
}

/** The tenant and the current user's Entra object id, from the Playground's config file. */
function readPlaygroundTenant(file) {
  const text = readFileSync(file, 'utf8');
  const tenant = /^tenantId:\s*(\S+)/m.exec(text)?.[1];
  const admin = /^currentUser:\n(?:[ \t]+.*\n)*?[ \t]+aadObjectId:\s*(\S+)/m.exec(text)?.[1];
  if (!tenant || !admin) throw new Error(`${file} needs tenantId and currentUser.aadObjectId`);
  return { tenantId: tenant, adminObjectId: admin };
}
