import { Client, cloudFromName, PUBLIC, withOverrides } from '@microsoft/teams.api';
import { App, type IHttpServerAdapter, type HttpRouteHandler } from '@microsoft/teams.apps';
import express, { Router } from 'express';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { MessageSearch, type GraphHttp } from './message-search';
import { TeamsSender, type ConnectorClient } from './sender';
import type { DigestScheduleService } from '../services/digest-schedules';
import type { GrantService } from '../services/grants';
import type { OrganizationService } from '../services/organizations';
import type { SpecService } from '../services/specs';
import type { SubscriptionService } from '../services/subscriptions';
import type { Metrics } from '../observability/metrics';
import type { Db } from '../store/db';
import { TeamsActors, type RosterMember } from './actors';
import { AdminGroupCheck, type GraphPoster } from './admin-group';
import { TeamsBot, type InboundActivity, type Turn } from './bot';
import type { TeamsMessage } from './cards/message';
import { ConversationStore } from '../store/teams-conversations';
import type { TeamsOptions } from './options';
import { sdkLogger } from './sdk-logger';
import { activityShapeProblem } from './activity-shape';
import { LOCAL_MODE_WARNING, localPlaygroundGuard } from './local-playground';
import { ONE_MIB } from '../http/refusals';

export const MESSAGING_ENDPOINT = '/api/messages';

export interface TeamsRuntimeServices {
  db: Db;
  metrics?: Metrics;
  specs: SpecService;
  grants: GrantService;
  subscriptions: SubscriptionService;
  digestSchedules: DigestScheduleService;
  organizations: OrganizationService;
}

export interface TeamsRuntime {
  /** `POST /api/messages`, for the one HTTP server */
  router: Router;
  /** the delivery pipeline's sender for platform "teams" */
  sender: TeamsSender;
  /** waits for answers still being sent */
  stop(): Promise<void>;
}

/**
 * Teams on the shared HTTP server: the SDK's App (JWT validation against the Bot Framework's
 * OpenID keys, issuer, audience and serviceUrl; activity routing; token acquisition) with its HTTP
 * route registered on an express Router instead of a server of its own. Undefined when Teams is off.
 */
export function createTeamsRuntime(options: TeamsOptions, services: TeamsRuntimeServices, logger: Logger): TeamsRuntime | undefined {
  if (options.kind === 'off') {
    logger.warn(`Teams is off: ${options.reason}`);
    return undefined;
  }
  const log = logger.child({ component: 'teams' });
  const base = options.cloud ? cloudFromName(options.cloud) : PUBLIC;
  const cloud = withOverrides(base, {
    loginEndpoint: options.loginEndpoint,
    openIdMetadataUrl: options.openIdMetadataUrl,
    tokenIssuer: options.tokenIssuer,
    // the SDK derives Graph's root from its token scope
    graphScope: options.graphUrl ? `${options.graphUrl}/.default` : undefined,
  });
  const router = Router();
  // Ahead of the SDK's route, which in local mode checks no token: this is the whole check.
  if (options.localPlayground) router.post(MESSAGING_ENDPOINT, ...localPlaygroundGuard(services.metrics, log));
  const adapter = new RouterAdapter(router, services.metrics);
  // MSAL (the SDK's token client) only talks to https authorities; a plain-http login endpoint is a
  // local fake, reached with the same client-credentials request made by hand.
  const manualToken = cloud.loginEndpoint.startsWith('http://');
  const app = new App({
    clientId: options.clientId,
    tenantId: options.tenantId,
    ...(manualToken ? { token: clientCredentials(cloud.loginEndpoint, options) } : { clientSecret: options.clientSecret }),
    cloud,
    serviceUrl: options.serviceUrl,
    httpServerAdapter: adapter,
    messagingEndpoint: MESSAGING_ENDPOINT,
    // Local mode: empty credentials (not undefined, which the SDK fills from CLIENT_ID…) mean no token
    // is checked or fetched; the guard above admits only this machine. Never undefined here: the SDK
    // would then obey DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS from the environment.
    dangerouslyAllowUnauthenticatedRequests: options.localPlayground === true,
    logger: sdkLogger(logger) as never,
  });

  refuseMalformedActivities(app, log, services.metrics);

  const conversations = new ConversationStore(services.db);
  const bot = new TeamsBot(
    {
      specs: services.specs,
      grants: services.grants,
      subscriptions: services.subscriptions,
      digestSchedules: services.digestSchedules,
      actors: new TeamsActors(
        services.organizations,
        options.tenantId,
        new AdminGroupCheck(app.graph.http as GraphPoster, { ttlMs: options.adminGroupCacheMs, logger: log, metrics: services.metrics }),
      ),
      conversations,
    },
    log,
  );
  const connector = (serviceUrl: string) => new Client(serviceUrl, app.api.http);
  const inFlight = new Set<Promise<unknown>>();

  // One route for every activity; the return value is an invoke's answer (the SDK's typing says void).
  app.on('activity', (async (ctx: { activity: unknown; ref: { serviceUrl: string }; send(a: unknown): Promise<unknown> }) => {
    const activity = ctx.activity as unknown as InboundActivity;
    const api = connector(ctx.ref.serviceUrl);
    const turn: Turn = {
      activity,
      send: (message: TeamsMessage) => ctx.send(message),
      update: (activityId, message) => api.conversations.updateActivity(activity.conversation.id, activityId, message as never),
      roster: async (conversationId, userId) => (await api.conversations.getMemberById(conversationId, userId)) as RosterMember,
    };
    if (activity.type === 'message') {
      // Answer after the acknowledgement: no Bot Framework request waits on the database.
      const work = bot.onMessage(turn).catch((error: unknown) => log.error({ err: error }, 'Teams message handling failed'));
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
      return;
    }
    if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
      const action = (activity.value as { action?: { verb?: string; data?: Record<string, unknown> } } | undefined)?.action;
      return bot.onCardAction(turn, { ...(action?.data ?? {}), verb: action?.verb ?? action?.data?.verb });
    }
    if (activity.type === 'conversationUpdate' || activity.type === 'installationUpdate') {
      await bot.onMembership(activity);
    }
    return undefined;
  }) as never);
  app.event('error', ({ error }) => log.error({ err: error }, 'Teams SDK error'));

  // Registers POST /api/messages on the router (no listening: the shared server does that).
  const ready = app.initialize();
  router.use(MESSAGING_ENDPOINT, async (_req, _res, next) => {
    await ready;
    next();
  });

  const client: ConnectorClient = {
    create: (serviceUrl, conversationId, message) => connector(serviceUrl).conversations.createActivity(conversationId, message as never),
    update: (serviceUrl, conversationId, activityId, message) =>
      connector(serviceUrl).conversations.updateActivity(conversationId, activityId, message as never),
    teamGroupId: async (serviceUrl, teamId) => (await connector(serviceUrl).teams.getById(teamId)).aadGroupId,
  };
  const sender = new TeamsSender(conversations, client, {
    fallbackServiceUrl: options.serviceUrl,
    // the Playground has no Graph: a lost answer there is simply posted again
    search: options.localPlayground ? undefined : new MessageSearch(app.graph.http as GraphHttp),
    searchDelayMs: options.searchDelayMs,
    logger: log,
    metrics: services.metrics,
  });
  if (options.localPlayground) log.warn({ tenantId: options.tenantId }, LOCAL_MODE_WARNING);
  else
    log.info(
      { clientId: options.clientId, tenantId: options.tenantId, cloud: options.cloud ?? 'Public' },
      `Teams is on: ${MESSAGING_ENDPOINT}`,
    );
  return {
    router,
    sender,
    async stop() {
      await Promise.allSettled([...inFlight]);
    },
  };
}

/**
 * Between the SDK's JWT check and its routing (its server's onRequest, which the App sets when it
 * is built): a validly signed body that is not an activity is a 400 naming the missing field, so it
 * never reaches the bot, where it failed with a TypeError. A stranger without a valid token still
 * gets the SDK's 401 first.
 */
function refuseMalformedActivities(app: App, log: Logger, metrics: Metrics | undefined): void {
  const route = app.server.onRequest;
  if (!route) throw new Error('the Teams SDK did not set its request handler');
  app.server.onRequest = async (event) => {
    const problem = activityShapeProblem(event.body);
    if (!problem) return route(event);
    metrics?.httpRefused.inc({ route: MESSAGING_ENDPOINT, reason: 'invalid_activity' });
    log.warn({ route: MESSAGING_ENDPOINT, reason: 'invalid_activity', status: 400 }, 'request refused at the edge');
    return { status: 400, body: { error: problem } };
  };
}

/** The SDK's HTTP adapter contract, on an express Router that the app's one server mounts. */
class RouterAdapter implements IHttpServerAdapter {
  constructor(
    private readonly router: Router,
    private readonly metrics: Metrics | undefined,
  ) {}

  registerRoute(method: 'POST', path: string, handler: HttpRouteHandler): void {
    if (method !== 'POST') throw new Error(`unsupported method ${method}`);
    // Oversized and malformed bodies are refused in words by the server's error handler.
    this.router.post(path, express.json({ limit: ONE_MIB }), async (req, res, next) => {
      try {
        const answer = await handler({ body: req.body as unknown, headers: req.headers as Record<string, string | string[]> });
        // the SDK refused the token (and logged why, as a warning)
        if (answer.status === 401) this.metrics?.httpRefused.inc({ route: MESSAGING_ENDPOINT, reason: 'bad_token' });
        if (answer.body === undefined) res.status(answer.status).end();
        else res.status(answer.status).json(answer.body);
      } catch (error) {
        next(error);
      }
    });
  }
}

/**
 * OAuth 2 client credentials against `{loginEndpoint}/{tenant}/oauth2/v2.0/token`, cached until a
 * minute before expiry. Keyed by tenant and scope, so bounded: a signed activity can name a tenant.
 */
const TOKEN_CACHE_ENTRIES = 1_000;

function clientCredentials(loginEndpoint: string, options: { clientId: string; clientSecret: string; tenantId: string }) {
  const cache = new LRUCache<string, { token: string; expires: number }>({ max: TOKEN_CACHE_ENTRIES });
  return async (scope: string | string[], tenantId?: string): Promise<string> => {
    const scopes = Array.isArray(scope) ? scope.join(' ') : scope;
    const tenant = tenantId ?? options.tenantId;
    const key = `${tenant} ${scopes}`;
    const cached = cache.get(key);
    if (cached && cached.expires > Date.now()) return cached.token;
    const response = await fetch(`${loginEndpoint}/${tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: options.clientId,
        client_secret: options.clientSecret,
        scope: scopes,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
    const body = (await response.json()) as { access_token: string; expires_in?: number };
    cache.set(key, { token: body.access_token, expires: Date.now() + ((body.expires_in ?? 3600) - 60) * 1000 });
    return body.access_token;
  };
}
