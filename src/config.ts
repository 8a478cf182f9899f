import { z } from 'zod';
import { teamsEnvShape, teamsOptions, type TeamsOptions } from './teams/options';
import { developmentSecretPath } from './webhooks/development-secret';
import { parseSecretList } from './webhooks/signature';

/**
 * The whole environment, parsed once at start-up. A bad value stops start-up with a message that
 * names the variable; nothing else in the app reads process.env.
 */

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const booleanFlag = (fallback: boolean) =>
  z.preprocess(
    emptyToUndefined,
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'use true or false' })
      .optional()
      .transform((value) => (value === undefined ? fallback : ['true', '1', 'yes'].includes(value))),
  );
const url = z.preprocess(emptyToUndefined, z.url({ message: 'must be a URL, e.g. https://slack.com/api/' }).optional());

const envSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  EMBEDDED_PG_DIR: z.preprocess(emptyToUndefined, z.string().default('./.data/pg')),
  EMBEDDED_PG_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(65535).default(54329)),
  SEED_DEMO: booleanFlag(true),
  DEMO_SPEC_FILE: optionalString,
  PUBLIC_URL: url,

  SLACK_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: optionalString,
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: url,
  /** 32 bytes, base64 or hex: encrypts Slack installations (tokens) at rest in OAuth mode. */
  TOKEN_ENCRYPTION_KEY: optionalString,

  INTERVIEW_WEBHOOK_SECRET: optionalString,
  /** a link per spec in digests, e.g. https://interviews.example.com/specs/{id} ({id} and {slug} are filled in) */
  SPEC_URL_TEMPLATE: url,
  /** the every-minute digest clock; tests turn it off and drive `claimDue` directly */
  DIGEST_CLOCK: booleanFlag(true),
  /** where dead letters are announced: "C0123" or "T0123:C0123" */
  OPS_SLACK_CHANNEL: optionalString,
  /** how often lost deliveries are re-queued and dead letters announced */
  SWEEP_INTERVAL_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(600_000).default(30_000)),
  DELIVERY_CONCURRENCY: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(500).default(50)),
  DELIVERY_MAX_ATTEMPTS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100).default(10)),
  DELIVERY_RETRY_BASE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(600_000).default(2_000)),
  SLACK_CHANNEL_RATE: z.preprocess(emptyToUndefined, z.coerce.number().positive().max(100).default(1)),
  SLACK_CHANNEL_BURST: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100).default(3)),
  /** a digest chart not drawn within this is given up, and the digest goes without it */
  DIGEST_CHART_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(120_000).default(10_000)),
  /** how long a spec's live-performance numbers are reused by /spec show (0 = read every time) */
  LIVE_PERFORMANCE_TTL_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(600_000).default(5_000)),
  /** /metrics on a server of its own (loopback by default), so the public port never serves it unasked */
  METRICS_PORT: z.preprocess(
    emptyToUndefined,
    z
      .union([z.literal('off'), z.coerce.number().int().min(0).max(65535)], { error: 'use a port number (0 = any free port) or off' })
      .default(9464),
  ),
  METRICS_HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  /** a bearer token that also serves /metrics on the public port (for scrapers that only reach that port) */
  METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'use at least 16 characters, e.g. `openssl rand -hex 24`').optional()),
  /** where every new spec version is POSTed (docs/spec-webhook.md); with PLATFORM_WEBHOOK_SECRET, or not at all */
  PLATFORM_WEBHOOK_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL, e.g. https://interviews.example.com/webhooks/panelist' })
      .optional(),
  ),
  /** signs those POSTs (Panelist-Signature), as the platform signs its webhooks to us */
  PLATFORM_WEBHOOK_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().min(16, 'use at least 16 characters, e.g. `openssl rand -hex 24`').optional(),
  ),
  /** how long one POST to the platform may take before it counts as failed and is retried */
  PLATFORM_WEBHOOK_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(120_000).default(10_000)),
  ...teamsEnvShape,
});

export type Env = z.infer<typeof envSchema>;

export type SlackMode =
  | { kind: 'off'; reason: string }
  | { kind: 'single'; signingSecret: string; botToken: string; appToken?: string }
  | {
      kind: 'oauth';
      signingSecret: string;
      clientId: string;
      clientSecret: string;
      stateSecret: string;
      encryptionKey: Buffer;
      appToken?: string;
    };

/** Publishing spec versions to the interview platform: on only with both the URL and the secret. */
export type PublishingMode = { kind: 'off' } | { kind: 'on'; url: string; secret: string; timeoutMs: number };

export interface Config {
  port: number;
  logLevel: Env['LOG_LEVEL'];
  databaseUrl?: string;
  embeddedPg: { dataDir: string; port: number };
  seedDemo: boolean;
  demoSpecFile?: string;
  publicUrl?: string;
  slack: SlackMode;
  slackApiUrl?: string;
  teams: TeamsOptions;
  webhookSecrets: string[];
  /** development only, and only without INTERVIEW_WEBHOOK_SECRET: the app's own secret in the data folder */
  developmentWebhookSecretFile?: string;
  specUrlTemplate?: string;
  digestClock: boolean;
  opsSlackChannel?: string;
  sweepIntervalMs: number;
  livePerformanceTtlMs: number;
  digestChartTimeoutMs: number;
  metrics: { port: number | 'off'; host: string; token?: string };
  publishing: PublishingMode;
  delivery: {
    concurrency: number;
    maxAttempts: number;
    retryBaseMs: number;
    slackChannelRate: number;
    slackChannelBurst: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const env = parsed.data;
  if (env.NODE_ENV === 'production' && !env.DATABASE_URL) {
    // The embedded PostgreSQL is for a laptop: in production it would keep data on the container's
    // disk, unseen by other replicas and lost with the container.
    throw new ConfigError([
      'DATABASE_URL: required when NODE_ENV=production (the embedded PostgreSQL is for local development only); set it to your PostgreSQL, e.g. postgresql://user:password@host:5432/panelist',
    ]);
  }
  if (env.NODE_ENV === 'production' && env.TEAMS_LOCAL_PLAYGROUND) {
    // Local mode answers anyone on this host without a token; a production host runs other software.
    throw new ConfigError([
      'TEAMS_LOCAL_PLAYGROUND: never allowed when NODE_ENV=production (it accepts Teams activities without a token, for the Agents Playground on a laptop); unset it',
    ]);
  }
  return {
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    databaseUrl: env.DATABASE_URL,
    embeddedPg: { dataDir: env.EMBEDDED_PG_DIR, port: env.EMBEDDED_PG_PORT },
    seedDemo: env.SEED_DEMO,
    demoSpecFile: env.DEMO_SPEC_FILE,
    publicUrl: env.PUBLIC_URL,
    slack: slackMode(env),
    slackApiUrl: env.SLACK_API_URL,
    teams: teamsConfig(env),
    webhookSecrets: parseSecretList(env.INTERVIEW_WEBHOOK_SECRET ?? ''),
    ...(env.NODE_ENV === 'development' && !env.INTERVIEW_WEBHOOK_SECRET
      ? { developmentWebhookSecretFile: developmentSecretPath(env.EMBEDDED_PG_DIR) }
      : {}),
    specUrlTemplate: env.SPEC_URL_TEMPLATE,
    digestClock: env.DIGEST_CLOCK,
    opsSlackChannel: env.OPS_SLACK_CHANNEL,
    sweepIntervalMs: env.SWEEP_INTERVAL_MS,
    livePerformanceTtlMs: env.LIVE_PERFORMANCE_TTL_MS,
    digestChartTimeoutMs: env.DIGEST_CHART_TIMEOUT_MS,
    metrics: { port: env.METRICS_PORT, host: env.METRICS_HOST, token: env.METRICS_TOKEN },
    publishing: publishingMode(env),
    delivery: {
      concurrency: env.DELIVERY_CONCURRENCY,
      maxAttempts: env.DELIVERY_MAX_ATTEMPTS,
      retryBaseMs: env.DELIVERY_RETRY_BASE_MS,
      slackChannelRate: env.SLACK_CHANNEL_RATE,
      slackChannelBurst: env.SLACK_CHANNEL_BURST,
    },
  };
}

function slackMode(env: Env): SlackMode {
  const oauthVars = [env.SLACK_CLIENT_ID, env.SLACK_CLIENT_SECRET, env.SLACK_STATE_SECRET];
  const anyOauth = oauthVars.some((value) => value !== undefined);
  if (!env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    return {
      kind: 'off',
      reason:
        'SLACK_SIGNING_SECRET is not set. Set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (one workspace), ' +
        'or SLACK_SIGNING_SECRET, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and ' +
        'TOKEN_ENCRYPTION_KEY (OAuth, many workspaces).',
    };
  }
  const problems: string[] = [];
  const signingSecret = env.SLACK_SIGNING_SECRET ?? '';
  if (!signingSecret) problems.push('SLACK_SIGNING_SECRET: required when Slack is configured');
  if (anyOauth) {
    if (!oauthVars.every((value) => value !== undefined)) {
      problems.push('SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET: OAuth mode needs all three (or none, with SLACK_BOT_TOKEN)');
    }
    const key = parseKey(env.TOKEN_ENCRYPTION_KEY);
    if (!key) {
      problems.push('TOKEN_ENCRYPTION_KEY: OAuth mode needs 32 random bytes as base64 or hex, e.g. `openssl rand -base64 32`');
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return {
      kind: 'oauth',
      signingSecret,
      clientId: env.SLACK_CLIENT_ID!,
      clientSecret: env.SLACK_CLIENT_SECRET!,
      stateSecret: env.SLACK_STATE_SECRET!,
      encryptionKey: key!,
      appToken: env.SLACK_APP_TOKEN,
    };
  }
  if (!env.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN: required in single-workspace mode (xoxb-…)');
  if (problems.length > 0) throw new ConfigError(problems);
  return { kind: 'single', signingSecret, botToken: env.SLACK_BOT_TOKEN!, appToken: env.SLACK_APP_TOKEN };
}

/**
 * Both variables or neither: a URL without its secret (or the reverse) is a half-done setup that
 * would otherwise save versions nobody publishes without a word.
 */
function publishingMode(env: Env): PublishingMode {
  const url = env.PLATFORM_WEBHOOK_URL;
  const secret = env.PLATFORM_WEBHOOK_SECRET;
  if (url && secret) return { kind: 'on', url, secret, timeoutMs: env.PLATFORM_WEBHOOK_TIMEOUT_MS };
  if (url) {
    throw new ConfigError([
      'PLATFORM_WEBHOOK_SECRET: required with PLATFORM_WEBHOOK_URL (spec versions are signed with it); set both to publish to the interview platform, or neither',
    ]);
  }
  if (secret) {
    throw new ConfigError([
      'PLATFORM_WEBHOOK_URL: required with PLATFORM_WEBHOOK_SECRET (where spec versions are published); set both to publish to the interview platform, or neither',
    ]);
  }
  return { kind: 'off' };
}

function teamsConfig(env: Env): TeamsOptions {
  try {
    return teamsOptions(env);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
}

function parseKey(raw: string | undefined): Buffer | undefined {
  if (!raw) return undefined;
  // Node's base64 decoder skips characters it does not know, so check the text is base64 first.
  if (!/^[0-9a-fA-F]{64}$/.test(raw) && !/^[A-Za-z0-9+/]{43}=?$|^[A-Za-z0-9_-]{43}$/.test(raw)) return undefined;
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  return key.length === 32 ? key : undefined;
}
