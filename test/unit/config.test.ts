import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../src/config';

/** loadConfig is the one reader of the environment: each case passes its own env, never process.env. */

const KEY_BASE64 = randomBytes(32).toString('base64');
const SLACK_SINGLE = { SLACK_SIGNING_SECRET: 'signing', SLACK_BOT_TOKEN: 'xoxb-1' };
const SLACK_OAUTH = {
  SLACK_SIGNING_SECRET: 'signing',
  SLACK_CLIENT_ID: '123.456',
  SLACK_CLIENT_SECRET: 'client-secret',
  SLACK_STATE_SECRET: 'state-secret',
  TOKEN_ENCRYPTION_KEY: KEY_BASE64,
};

/** The problems loadConfig refuses `env` with; fails the test when it accepts it. */
function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`expected loadConfig to refuse ${JSON.stringify(env)}`);
}

describe('loadConfig defaults', () => {
  it('runs with no environment at all: port 3000, embedded PostgreSQL, demo seed on, Slack off', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      logLevel: 'info',
      databaseUrl: undefined,
      embeddedPg: { dataDir: './.data/pg', port: 54329 },
      seedDemo: true,
      demoSpecFile: undefined,
      publicUrl: undefined,
      slackApiUrl: undefined,
    });
    expect(config.slack.kind).toBe('off');
  });

  it('treats empty variables as unset', () => {
    const config = loadConfig({ PORT: '', LOG_LEVEL: '', SEED_DEMO: '', DATABASE_URL: '', SLACK_SIGNING_SECRET: '', SLACK_BOT_TOKEN: '' });
    expect(config).toMatchObject({ port: 3000, logLevel: 'info', seedDemo: true, databaseUrl: undefined });
    expect(config.slack.kind).toBe('off');
  });

  it('reads the values it is given', () => {
    const config = loadConfig({
      PORT: '8080',
      LOG_LEVEL: 'silent',
      DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/panelist',
      EMBEDDED_PG_DIR: '/var/lib/panelist',
      EMBEDDED_PG_PORT: '6543',
      DEMO_SPEC_FILE: 'spec.json',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
    });
    expect(config).toMatchObject({
      port: 8080,
      logLevel: 'silent',
      databaseUrl: 'postgresql://u:p@127.0.0.1:5432/panelist',
      embeddedPg: { dataDir: '/var/lib/panelist', port: 6543 },
      demoSpecFile: 'spec.json',
      slackApiUrl: 'http://127.0.0.1:9999/api/',
    });
  });

  it('in development without INTERVIEW_WEBHOOK_SECRET, names its own secret beside the data folder; never in production or test', () => {
    expect(loadConfig({ EMBEDDED_PG_DIR: '/srv/panelist/pg' }).developmentWebhookSecretFile).toBe('/srv/panelist/interview-webhook-secret');
    expect(loadConfig({ INTERVIEW_WEBHOOK_SECRET: 's' }).developmentWebhookSecretFile).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'test' }).developmentWebhookSecretFile).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y' }).developmentWebhookSecretFile).toBeUndefined();
  });

  it('accepts PORT=0 (any free port, as the tests use)', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
  });
});

describe('refusing bad values, naming the variable', () => {
  it.each(['abc', '3000.5', '-1', '70000'])('refuses PORT=%s', (port) => {
    const found = problems({ PORT: port });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^PORT: /);
  });

  it('says which variable in the error message as well', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/Invalid environment:\n\s+- PORT: /);
  });

  it('refuses a DATABASE_URL that is not postgres://', () => {
    expect(problems({ DATABASE_URL: 'mysql://localhost/db' })).toEqual(['DATABASE_URL: must be a postgres:// or postgresql:// URL']);
  });

  it('refuses an unknown LOG_LEVEL', () => {
    expect(problems({ LOG_LEVEL: 'verbose' })[0]).toMatch(/^LOG_LEVEL: /);
  });

  it('lists every bad variable at once', () => {
    const found = problems({ PORT: 'abc', LOG_LEVEL: 'loud', SEED_DEMO: 'maybe' });
    expect(found.map((problem) => problem.split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'SEED_DEMO']);
  });
});

describe('SEED_DEMO', () => {
  it.each([
    ['false', false],
    ['0', false],
    ['no', false],
    ['true', true],
    ['1', true],
    ['yes', true],
  ])('SEED_DEMO=%s → seedDemo %s', (value, expected) => {
    expect(loadConfig({ SEED_DEMO: value }).seedDemo).toBe(expected);
  });

  it.each(['maybe', '2', 'true '])('refuses SEED_DEMO=%j, saying to use true or false', (value) => {
    expect(problems({ SEED_DEMO: value })).toEqual(['SEED_DEMO: use true or false']);
  });
});

describe('Slack mode', () => {
  it('is off without Slack variables, with a reason that names what to set', () => {
    const slack = loadConfig({}).slack;
    expect(slack.kind).toBe('off');
    if (slack.kind !== 'off') return;
    for (const name of [
      'SLACK_SIGNING_SECRET',
      'SLACK_BOT_TOKEN',
      'SLACK_CLIENT_ID',
      'SLACK_CLIENT_SECRET',
      'SLACK_STATE_SECRET',
      'TOKEN_ENCRYPTION_KEY',
    ]) {
      expect(slack.reason).toContain(name);
    }
  });

  it('is single-workspace with a signing secret and a bot token', () => {
    expect(loadConfig(SLACK_SINGLE).slack).toEqual({ kind: 'single', signingSecret: 'signing', botToken: 'xoxb-1', appToken: undefined });
  });

  it('refuses a signing secret without a bot token or OAuth, naming SLACK_BOT_TOKEN', () => {
    expect(problems({ SLACK_SIGNING_SECRET: 'signing' })).toEqual(['SLACK_BOT_TOKEN: required in single-workspace mode (xoxb-…)']);
  });

  it('refuses an app token (Socket Mode) without a signing secret', () => {
    expect(problems({ SLACK_APP_TOKEN: 'xapp-1', SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
      'SLACK_SIGNING_SECRET: required when Slack is configured',
    ]);
  });

  it('keeps the app token for Socket Mode', () => {
    expect(loadConfig({ ...SLACK_SINGLE, SLACK_APP_TOKEN: 'xapp-1' }).slack).toMatchObject({ kind: 'single', appToken: 'xapp-1' });
  });

  it('is OAuth with all three OAuth variables and a 32-byte base64 key', () => {
    const slack = loadConfig(SLACK_OAUTH).slack;
    expect(slack).toMatchObject({
      kind: 'oauth',
      signingSecret: 'signing',
      clientId: '123.456',
      clientSecret: 'client-secret',
      stateSecret: 'state-secret',
    });
    if (slack.kind !== 'oauth') return;
    expect(slack.encryptionKey.equals(Buffer.from(KEY_BASE64, 'base64'))).toBe(true);
  });

  it('accepts the key as 64 hex digits too', () => {
    const hex = randomBytes(32).toString('hex');
    const slack = loadConfig({ ...SLACK_OAUTH, TOKEN_ENCRYPTION_KEY: hex }).slack;
    expect(slack.kind === 'oauth' && slack.encryptionKey.toString('hex')).toBe(hex);
  });

  it('prefers OAuth when a bot token is left empty (SLACK_BOT_TOKEN="")', () => {
    expect(loadConfig({ ...SLACK_OAUTH, SLACK_BOT_TOKEN: '' }).slack.kind).toBe('oauth');
  });

  it.each([['SLACK_CLIENT_ID'], ['SLACK_CLIENT_SECRET'], ['SLACK_STATE_SECRET']])(
    'refuses a half-set OAuth configuration without %s, naming the OAuth variables',
    (missing) => {
      const env: NodeJS.ProcessEnv = { ...SLACK_OAUTH };
      delete env[missing];
      const found = problems(env);
      expect(found).toHaveLength(1);
      expect(found[0]).toContain(missing);
      expect(found[0]).toMatch(/^SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET: OAuth mode needs all three/);
    },
  );

  it('refuses a lone SLACK_CLIENT_ID even next to a bot token', () => {
    const found = problems({ ...SLACK_SINGLE, SLACK_CLIENT_ID: '123.456' });
    expect(found.join('\n')).toContain('SLACK_CLIENT_SECRET, SLACK_STATE_SECRET');
  });

  it.each([
    ['missing', undefined],
    ['too short (16 bytes)', randomBytes(16).toString('base64')],
    ['too long (48 bytes)', randomBytes(48).toString('base64')],
    ['hex of 31 bytes', randomBytes(31).toString('hex')],
    ['not base64 at all', 'not a key'],
  ])('refuses OAuth when TOKEN_ENCRYPTION_KEY is %s', (_what, key) => {
    const env: NodeJS.ProcessEnv = { ...SLACK_OAUTH, TOKEN_ENCRYPTION_KEY: key };
    if (key === undefined) delete env.TOKEN_ENCRYPTION_KEY;
    const found = problems(env);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^TOKEN_ENCRYPTION_KEY: OAuth mode needs 32 random bytes as base64 or hex/);
  });

  it('reports a half-set OAuth configuration and a bad key together', () => {
    const found = problems({ SLACK_SIGNING_SECRET: 'signing', SLACK_CLIENT_ID: '123.456' });
    expect(found.map((problem) => problem.split(':')[0])).toEqual([
      'SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET',
      'TOKEN_ENCRYPTION_KEY',
    ]);
  });

  it('never puts a secret in the error message', () => {
    const error = (() => {
      try {
        loadConfig({
          SLACK_SIGNING_SECRET: 'signing-secret-value',
          SLACK_CLIENT_ID: 'cid',
          SLACK_CLIENT_SECRET: 'client-secret-value',
          TOKEN_ENCRYPTION_KEY: 'key-value',
        });
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    for (const secret of ['signing-secret-value', 'client-secret-value', 'key-value']) expect(error.message).not.toContain(secret);
  });
});

describe('Teams', () => {
  const TEAMS = { TEAMS_CLIENT_ID: '00000000-0000-0000-0000-000000000001', TEAMS_CLIENT_SECRET: 'secret', TEAMS_TENANT_ID: 'tenant' };

  it('is off without credentials, and on with all three; lost posts are searched for after 15 s by default', () => {
    expect(loadConfig({}).teams.kind).toBe('off');
    expect(loadConfig(TEAMS).teams).toMatchObject({ kind: 'on', searchDelayMs: 15_000 });
  });

  it('keeps Entra admin group answers five minutes by default; TEAMS_ADMIN_GROUP_CACHE_MS is milliseconds, at most an hour', () => {
    expect(loadConfig(TEAMS).teams).toMatchObject({ adminGroupCacheMs: 300_000 });
    expect(loadConfig({ ...TEAMS, TEAMS_ADMIN_GROUP_CACHE_MS: '250' }).teams).toMatchObject({ adminGroupCacheMs: 250 });
    expect(problems({ ...TEAMS, TEAMS_ADMIN_GROUP_CACHE_MS: '5m' })).toEqual([
      'TEAMS_ADMIN_GROUP_CACHE_MS: use milliseconds, 100 to 3600000 (an hour)',
    ]);
    expect(problems({ ...TEAMS, TEAMS_ADMIN_GROUP_CACHE_MS: '0' })).toEqual([
      'TEAMS_ADMIN_GROUP_CACHE_MS: use milliseconds, 100 to 3600000 (an hour)',
    ]);
    expect(problems({ ...TEAMS, TEAMS_ADMIN_GROUP_CACHE_MS: '86400000' })[0]).toMatch(
      /^TEAMS_ADMIN_GROUP_CACHE_MS: .*longer would leave a removed admin in place too long$/,
    );
  });

  it('takes a Graph root as a scheme and host, and refuses one with a path (the SDK would drop it)', () => {
    expect(loadConfig({ ...TEAMS, TEAMS_GRAPH_URL: 'http://127.0.0.1:9999/' }).teams).toMatchObject({ graphUrl: 'http://127.0.0.1:9999' });
    expect(problems({ ...TEAMS, TEAMS_GRAPH_URL: 'https://graph.example.com/v1.0' })).toEqual([
      'TEAMS_GRAPH_URL: must be a scheme and host only, like https://graph.microsoft.com (the SDK adds /v1.0)',
    ]);
  });
});

describe('production needs its own PostgreSQL', () => {
  it('refuses NODE_ENV=production without DATABASE_URL, naming it, instead of starting an embedded PostgreSQL', () => {
    const refused = problems({ NODE_ENV: 'production' });
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/^DATABASE_URL: required when NODE_ENV=production/);
    expect(problems({ NODE_ENV: 'production', DATABASE_URL: '' })[0]).toMatch(/^DATABASE_URL/);
  });

  it('starts in production with DATABASE_URL, and in development without it', () => {
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://u:p@db:5432/panelist' }).databaseUrl).toBe(
      'postgresql://u:p@db:5432/panelist',
    );
    expect(loadConfig({}).databaseUrl).toBeUndefined();
  });
});

describe('metrics exposure', () => {
  it('defaults to a loopback port of its own, 9464, and no token (so not on the public port)', () => {
    expect(loadConfig({}).metrics).toEqual({ port: 9464, host: '127.0.0.1', token: undefined });
  });

  it('reads a port, 0 (any free port), off, a host and a token', () => {
    expect(loadConfig({ METRICS_PORT: '9100', METRICS_HOST: '0.0.0.0' }).metrics).toMatchObject({ port: 9100, host: '0.0.0.0' });
    expect(loadConfig({ METRICS_PORT: '0' }).metrics.port).toBe(0);
    expect(loadConfig({ METRICS_PORT: 'off', METRICS_TOKEN: 'a-long-enough-token' }).metrics).toMatchObject({
      port: 'off',
      token: 'a-long-enough-token',
    });
  });

  it('refuses a port that is not one, and a token too short to be a secret', () => {
    expect(problems({ METRICS_PORT: 'many' })[0]).toMatch(/^METRICS_PORT: use a port number/);
    expect(problems({ METRICS_PORT: '70000' })[0]).toMatch(/^METRICS_PORT/);
    expect(problems({ METRICS_TOKEN: 'short' })[0]).toMatch(/^METRICS_TOKEN: use at least 16 characters/);
  });
});

describe('publishing spec versions to the interview platform', () => {
  const URL_ = 'https://interviews.example.com/webhooks/panelist';
  const SECRET = 'a-secret-of-24-characters';

  it('is off without either variable, and on with both, with a 10 s timeout unless told', () => {
    expect(loadConfig({}).publishing).toEqual({ kind: 'off' });
    expect(loadConfig({ PLATFORM_WEBHOOK_URL: '', PLATFORM_WEBHOOK_SECRET: '' }).publishing).toEqual({ kind: 'off' });
    expect(loadConfig({ PLATFORM_WEBHOOK_URL: URL_, PLATFORM_WEBHOOK_SECRET: SECRET }).publishing).toEqual({
      kind: 'on',
      url: URL_,
      secret: SECRET,
      timeoutMs: 10_000,
    });
    const local = loadConfig({
      PLATFORM_WEBHOOK_URL: 'http://127.0.0.1:8080/in',
      PLATFORM_WEBHOOK_SECRET: SECRET,
      PLATFORM_WEBHOOK_TIMEOUT_MS: '2500',
    });
    expect(local.publishing).toMatchObject({ kind: 'on', url: 'http://127.0.0.1:8080/in', timeoutMs: 2_500 });
  });

  it('refuses one variable without the other, naming the missing one', () => {
    const noSecret = problems({ PLATFORM_WEBHOOK_URL: URL_ });
    expect(noSecret).toHaveLength(1);
    expect(noSecret[0]).toMatch(/^PLATFORM_WEBHOOK_SECRET: required with PLATFORM_WEBHOOK_URL/);
    const noUrl = problems({ PLATFORM_WEBHOOK_SECRET: SECRET });
    expect(noUrl).toHaveLength(1);
    expect(noUrl[0]).toMatch(/^PLATFORM_WEBHOOK_URL: required with PLATFORM_WEBHOOK_SECRET/);
  });

  it('refuses a URL that is not http(s), a secret under 16 characters, and a timeout out of range', () => {
    for (const url of ['ftp://interviews.example.com/in', 'interviews.example.com/in', 'mailto:ops@example.com']) {
      expect(problems({ PLATFORM_WEBHOOK_URL: url, PLATFORM_WEBHOOK_SECRET: SECRET })[0]).toBe(
        'PLATFORM_WEBHOOK_URL: must be an http:// or https:// URL, e.g. https://interviews.example.com/webhooks/panelist',
      );
    }
    expect(problems({ PLATFORM_WEBHOOK_URL: URL_, PLATFORM_WEBHOOK_SECRET: 'fifteen-chars-x' })[0]).toMatch(
      /^PLATFORM_WEBHOOK_SECRET: use at least 16 characters/,
    );
    expect(problems({ PLATFORM_WEBHOOK_URL: URL_, PLATFORM_WEBHOOK_SECRET: SECRET, PLATFORM_WEBHOOK_TIMEOUT_MS: '10' })[0]).toMatch(
      /^PLATFORM_WEBHOOK_TIMEOUT_MS/,
    );
  });
});
