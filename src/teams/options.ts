import { z } from 'zod';

/**
 * Teams configuration: the TEAMS_* variables, part of src/config.ts's one environment schema;
 * `teamsOptions(env)` becomes `Config.teams`.
 */
const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const url = z.preprocess(emptyToUndefined, z.url({ message: 'must be a URL' }).optional());

const CACHE_MS = 'use milliseconds, 100 to 3600000 (an hour)';
const flag = z.preprocess(
  emptyToUndefined,
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'use true or false' })
    .optional()
    .transform((value) => value !== undefined && ['true', '1', 'yes'].includes(value)),
);

/**
 * The tenant the Microsoft 365 Agents Playground puts in its activities unless its config file says
 * otherwise; local mode's tenant when TEAMS_TENANT_ID is unset.
 */
export const PLAYGROUND_DEFAULT_TENANT_ID = '00000000-0000-0000-0000-0000000000001';

export const teamsEnvShape = {
  /** the bot's Microsoft Entra app (client) id; mapped onto the SDK's clientId (its CLIENT_ID) */
  TEAMS_CLIENT_ID: optionalString,
  /** the app's client secret; the SDK's clientSecret (CLIENT_SECRET) */
  TEAMS_CLIENT_SECRET: optionalString,
  /** the tenant the single-tenant bot is registered in; the SDK's tenantId (TENANT_ID) */
  TEAMS_TENANT_ID: optionalString,
  /** sovereign clouds: Public (default), USGov, USGovDoD, China; the SDK's cloud (CLOUD) */
  TEAMS_CLOUD: z.preprocess(emptyToUndefined, z.enum(['Public', 'USGov', 'USGovDoD', 'China']).optional()),
  /** overrides the cloud's login endpoint (token acquisition), e.g. a local fake in tests */
  TEAMS_LOGIN_ENDPOINT: url,
  /** overrides the cloud's OpenID metadata URL; the signing keys are read from its sibling `…/keys` */
  TEAMS_OPENID_METADATA_URL: url,
  /** overrides the cloud's token issuer (`iss` of Bot Framework tokens) */
  TEAMS_TOKEN_ISSUER: optionalString,
  /** the Bot Connector base for proactive sends with no stored serviceUrl; the SDK's serviceUrl (SERVICE_URL) */
  TEAMS_SERVICE_URL: url,
  /** overrides the cloud's Microsoft Graph root (e.g. a local fake in tests); the token scope follows it */
  TEAMS_GRAPH_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({ message: 'must be a URL' })
      .refine((value) => new URL(value).pathname === '/', {
        message: 'must be a scheme and host only, like https://graph.microsoft.com (the SDK adds /v1.0)',
      })
      .optional(),
  ),
  /** after a post whose answer was lost, how long to wait before looking for it through Graph */
  TEAMS_SEARCH_DELAY_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(600_000).default(15_000)),
  /** how long a user's membership of the Entra admin group is reused: a change in Entra counts within it */
  TEAMS_ADMIN_GROUP_CACHE_MS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: CACHE_MS })
      .int({ message: CACHE_MS })
      .min(100, { message: CACHE_MS })
      .max(3_600_000, { message: `${CACHE_MS}; longer would leave a removed admin in place too long` })
      .default(300_000),
  ),
  /** messages per second per conversation (Teams allows 7; stay under) */
  TEAMS_CONVERSATION_RATE: z.preprocess(emptyToUndefined, z.coerce.number().positive().max(7).default(6)),
  /**
   * Development only (config refuses it with NODE_ENV=production): Teams without a tenant, for the
   * Microsoft 365 Agents Playground. /api/messages takes activities without a token, from loopback only.
   */
  TEAMS_LOCAL_PLAYGROUND: flag,
};

export const teamsEnvSchema = z.object(teamsEnvShape);
export type TeamsEnv = z.infer<typeof teamsEnvSchema>;

export type TeamsOptions =
  | { kind: 'off'; reason: string }
  | {
      kind: 'on';
      clientId: string;
      clientSecret: string;
      tenantId: string;
      cloud?: 'Public' | 'USGov' | 'USGovDoD' | 'China';
      loginEndpoint?: string;
      openIdMetadataUrl?: string;
      tokenIssuer?: string;
      serviceUrl?: string;
      graphUrl?: string;
      searchDelayMs: number;
      adminGroupCacheMs: number;
      conversationRate: number;
      /**
       * Local mode (TEAMS_LOCAL_PLAYGROUND): no Bot Framework credentials (clientId and clientSecret
       * are empty), no token checked or fetched, loopback callers and service URLs only.
       */
      localPlayground?: boolean;
    };

export class TeamsConfigError extends Error {}

/** Off without credentials (and says why); all three or none; or local mode, with none. */
export function teamsOptions(env: TeamsEnv): TeamsOptions {
  if (env.TEAMS_LOCAL_PLAYGROUND) return localPlaygroundOptions(env);
  const present = [env.TEAMS_CLIENT_ID, env.TEAMS_CLIENT_SECRET, env.TEAMS_TENANT_ID].filter((v) => v !== undefined).length;
  if (present === 0) {
    return {
      kind: 'off',
      reason:
        'TEAMS_CLIENT_ID is not set. Set TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID (the bot registration) to answer in Microsoft Teams.',
    };
  }
  if (present < 3) {
    throw new TeamsConfigError('TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET, TEAMS_TENANT_ID: Teams needs all three (or none, to stay off)');
  }
  const trim = (value: string | undefined) => value?.replace(/\/+$/, '');
  return {
    kind: 'on',
    clientId: env.TEAMS_CLIENT_ID!,
    clientSecret: env.TEAMS_CLIENT_SECRET!,
    tenantId: env.TEAMS_TENANT_ID!,
    cloud: env.TEAMS_CLOUD,
    loginEndpoint: trim(env.TEAMS_LOGIN_ENDPOINT),
    openIdMetadataUrl: env.TEAMS_OPENID_METADATA_URL,
    tokenIssuer: env.TEAMS_TOKEN_ISSUER,
    serviceUrl: trim(env.TEAMS_SERVICE_URL),
    graphUrl: trim(env.TEAMS_GRAPH_URL),
    searchDelayMs: env.TEAMS_SEARCH_DELAY_MS,
    adminGroupCacheMs: env.TEAMS_ADMIN_GROUP_CACHE_MS,
    conversationRate: env.TEAMS_CONVERSATION_RATE,
    localPlayground: false,
  };
}

function localPlaygroundOptions(env: TeamsEnv): TeamsOptions {
  // Credentials would be a real bot's: their tokens must never be sent to a local Playground.
  if (env.TEAMS_CLIENT_ID !== undefined || env.TEAMS_CLIENT_SECRET !== undefined) {
    throw new TeamsConfigError(
      'TEAMS_LOCAL_PLAYGROUND: local mode takes no Bot Framework credentials; unset TEAMS_CLIENT_ID and TEAMS_CLIENT_SECRET, or unset TEAMS_LOCAL_PLAYGROUND to use them',
    );
  }
  return {
    kind: 'on',
    clientId: '',
    clientSecret: '',
    tenantId: env.TEAMS_TENANT_ID ?? PLAYGROUND_DEFAULT_TENANT_ID,
    searchDelayMs: env.TEAMS_SEARCH_DELAY_MS,
    adminGroupCacheMs: env.TEAMS_ADMIN_GROUP_CACHE_MS,
    conversationRate: env.TEAMS_CONVERSATION_RATE,
    localPlayground: true,
  };
}
