import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { CLI_ACTOR } from '../services/actor';
import { DEFAULT_ORGANIZATION_SLUG, OrganizationService } from '../services/organizations';
import { SpecImportService } from '../services/spec-import';
import { SpecService } from '../services/specs';
import { DeliveryService } from '../services/deliveries';
import { createDb, type Db } from '../store/db';
import { createDigestService, versionPublishing } from '../composition';
import { renderDigestText } from '../slack/render/digest';
import { openCliDatabase } from './database';
import { runDigests } from './digests';
import { ADMINS_USAGE, adminsMisuse, runAdmins } from './admins';
import { API_KEYS_USAGE, apiKeysMisuse, runApiKeys } from './api-keys';
import { reportFailure, UsageError } from './failure';
import { runDemo, type DemoOptions } from './demo';

/** The fixture `npm start` seeds (fixtures/payments-platform-spec.json). */
const DEMO_SPEC_SLUG = 'senior-backend-payments';

const USAGE = `Usage: panelist <command>

  specs import <file.json> [--org <slug>]   create or update specs from the platform's spec document(s)
  specs list [--org <slug>]                 list specs
  digests run [--at <ISO time>]             send every digest due at that time (default now), as the scheduler would
  digests preview <spec> [--at <ISO time>]  print a spec's digest for the seven days before that time
  demo [--spec <spec>] [--weeks 4] [--rate 5] [--url <app URL>]
                                            a few weeks of interviews for a spec (default the demo spec), sent to
                                            the running app's webhook; the same demo twice adds nothing
  deliveries list [--failed]                the latest deliveries, chat messages and spec versions for the platform (or only dead letters)
  deliveries retry <id> | --all-failed      put failed deliveries back in the queue
${ADMINS_USAGE}
${API_KEYS_USAGE}
  db migrate                                apply pending database migrations
  help                                      this text

The database is DATABASE_URL, or the embedded one in ./.data/pg (npm start's).
--org defaults to "${DEFAULT_ORGANIZATION_SLUG}", the organization the first Slack workspace joins.`;

export { UsageError };

/** `npx panelist …`: exit 0 on success, 1 when the work failed, 2 when the command was misused. */
export async function runCli(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      org: { type: 'string', default: DEFAULT_ORGANIZATION_SLUG },
      failed: { type: 'boolean', default: false },
      'all-failed': { type: 'boolean', default: false },
      at: { type: 'string' },
      spec: { type: 'string', default: DEMO_SPEC_SLUG },
      weeks: { type: 'string', default: '4' },
      rate: { type: 'string', default: '5' },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, action, ...rest] = positionals;
  if (values.help || !group || group === 'help') {
    out(USAGE);
    return 0;
  }
  const key = `${group} ${action ?? ''}`.trim();
  if (
    ![
      'specs import',
      'specs list',
      'db migrate',
      'deliveries list',
      'deliveries retry',
      'digests run',
      'digests preview',
      'admins list',
      'admins add',
      'admins remove',
      'admins group',
      'demo',
      'api-keys create',
      'api-keys revoke',
      'api-keys list',
    ].includes(key)
  ) {
    throw new UsageError(`Unknown command "${positionals.join(' ')}".`);
  }
  if (key === 'specs import' && rest.length !== 1) throw new UsageError('specs import takes one file: panelist specs import <file.json>');
  if (key === 'deliveries retry' && (rest.length === 1) === values['all-failed']) {
    throw new UsageError('deliveries retry takes one delivery id, or --all-failed.');
  }
  if (key === 'digests preview' && rest.length !== 1)
    throw new UsageError('digests preview takes one spec: panelist digests preview <spec> [--at <ISO time>]');
  const adminsProblem = group === 'admins' ? adminsMisuse(action!, rest) : undefined;
  if (adminsProblem) throw new UsageError(adminsProblem);
  const demo = key === 'demo' ? demoOptions(values, rest) : undefined;
  const apiKeysProblem = group === 'api-keys' ? apiKeysMisuse(action!, rest) : undefined;
  if (apiKeysProblem) throw new UsageError(apiKeysProblem);
  const at = values.at === undefined ? new Date() : new Date(values.at);
  if (Number.isNaN(at.getTime())) throw new UsageError(`--at "${values.at}" is not a time; write ISO 8601, e.g. 2026-11-23T09:00:00Z.`);

  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const database = await openCliDatabase(config, logger);
  const db = createDb(database.url, { max: 2 });
  try {
    if (key === 'db migrate') {
      out('Database schema is up to date.');
      return 0;
    }
    if (group === 'deliveries') return await runDeliveries(db, action!, rest[0], values.failed ?? false, out);
    if (key === 'digests run') return await runDigests(config, db, database.url, at, logger, out);

    const organizations = new OrganizationService(db);
    const organizationId =
      values.org === DEFAULT_ORGANIZATION_SLUG ? await organizations.ensureDefault() : await organizations.bySlug(values.org!);
    if (!organizationId) throw new UsageError(`No organization "${values.org}".`);
    if (group === 'admins') return await runAdmins(db, organizationId, values.org!, action!, rest, out);
    if (demo) return await runDemo(config, new SpecService(db, versionPublishing(config)), organizationId, demo, out);
    if (group === 'api-keys') return await runApiKeys(db, organizationId, values.org!, action!, rest, out);
    if (key === 'digests preview') {
      out(renderDigestText(await createDigestService(config, db).preview(organizationId, rest[0]!, at)));
      return 0;
    }
    if (key === 'specs list') {
      for (const spec of await new SpecService(db, versionPublishing(config)).list(organizationId)) {
        out(`${spec.slug}\tv${spec.version}\t${spec.id}\t${spec.title}`);
      }
      return 0;
    }
    const file = rest[0]!;
    const document = await readJson(file);
    // The CLI saves versions as the app does: published when this environment has the platform's variables.
    const outcomes = await new SpecImportService(db, versionPublishing(config)).importJson({ organizationId, actor: CLI_ACTOR }, document);
    for (const outcome of outcomes) {
      const what = { created: 'created v1', updated: `updated to v${outcome.version}`, unchanged: `unchanged at v${outcome.version}` }[
        outcome.result
      ];
      out(`${outcome.slug}: ${what}`);
    }
    return 0;
  } finally {
    await db.$disconnect();
    await database.close();
  }
}

async function runDeliveries(
  db: Db,
  action: string,
  id: string | undefined,
  failedOnly: boolean,
  out: (line: string) => void,
): Promise<number> {
  const deliveries = new DeliveryService(db);
  if (action === 'retry') {
    const retried = await deliveries.retry(id ? { id } : { allFailed: true });
    const named = retried.map((row) => (row.specVersion ? `${row.id} (${toThePlatform(row.specVersion)})` : row.id));
    out(retried.length > 0 ? `re-queued ${retried.length}: ${named.join(' ')}` : 'no failed deliveries');
    return 0;
  }
  const rows = await deliveries.list({ failedOnly });
  if (rows.length === 0) out(failedOnly ? 'no failed deliveries' : 'no deliveries');
  for (const row of rows) {
    // A chat message is where it goes and what it is; a spec version, which version and that it goes to the platform.
    const what = row.specVersion ? [row.kind, toThePlatform(row.specVersion)] : [row.channelId, row.kind, row.subjectId];
    out([row.id, row.status, `attempts=${row.attempts}`, row.platform, ...what, row.lastError ?? ''].join('\t'));
  }
  return 0;
}

const toThePlatform = (specVersion: string) => `spec ${specVersion} to the interview platform`;

function demoOptions(values: { spec?: string; weeks?: string; rate?: string; url?: string }, rest: string[]): DemoOptions {
  if (rest.length > 0)
    throw new UsageError('demo takes only options: panelist demo [--spec <spec>] [--weeks 4] [--rate 5] [--url <app URL>]');
  const weeks = Number(values.weeks);
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 52)
    throw new UsageError(`--weeks "${values.weeks}": give a whole number of weeks from 1 to 52.`);
  const rate = Number(values.rate);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1000)
    throw new UsageError(`--rate "${values.rate}": give events a second, more than 0 and at most 1000.`);
  if (values.url !== undefined && !/^https?:\/\/[^\s]+$/.test(values.url)) {
    throw new UsageError(`--url "${values.url}": give the app's address, e.g. http://localhost:3000.`);
  }
  return { spec: values.spec ?? DEMO_SPEC_SLUG, weeks, rate, ...(values.url ? { url: values.url } : {}) };
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`Cannot read ${file}: no such file, or no permission.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON (${(error as Error).message}).`);
  }
}

export async function cliMain(argv = process.argv.slice(2)): Promise<void> {
  try {
    process.exitCode = await runCli(argv);
  } catch (error) {
    process.exitCode = reportFailure(error, USAGE);
  }
}
