import express, { type Router } from 'express';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { ifNoneMatchHits } from '../domain/spec-api';
import type { Metrics } from '../observability/metrics';
import type { ApiKeyAuthenticator } from '../services/api-key-auth';
import type { PublishedSpecService, VersionAnswer } from '../services/published-specs';
import { type ApiRefusal, badRequest, CREATE_KEY_HINT, notFound, refuseApi, unauthorized } from './api-answers';
import { bearerKey, listQuery, specIdParam, versionParam } from './spec-api-input';

export interface SpecApiDeps {
  keys: ApiKeyAuthenticator;
  specs: PublishedSpecService;
  metrics?: Metrics;
  logger: Logger;
}

const LIST = '/api/v1/specs';
const CURRENT = '/api/v1/specs/:id';
const VERSION = '/api/v1/specs/:id/versions/:number';
/** What a client may cache: only for itself (the answer depends on its key), and after asking whether it changed. */
const REVALIDATE = 'private, no-cache';
/** A version's content never changes; its slug may (a rename), so an hour, not forever. */
const VERSION_MAX_AGE = 'private, max-age=3600';
/** Versions kept serialized: a tag names one document for good (spec, version, slug), so a kept body is never stale. */
const SERIALIZED_VERSIONS = 500;

/**
 * The pull API (docs/spec-api.md): GET only, authenticated by an organization's API key. Thin:
 * check the key and the request, ask PublishedSpecService, answer JSON or a refusal in words.
 */
export function specApiRouter(deps: SpecApiDeps): Router {
  const router = express.Router();
  const refuse = (res: express.Response, refusal: ApiRefusal) => refuseApi(res, refusal, deps.metrics, deps.logger);
  // the bytes of recent answers, so a poller's 200s cost no JSON.stringify (bench/RESULTS.md, "Pull API")
  const bodies = new LRUCache<string, Buffer>({ max: SERIALIZED_VERSIONS });

  const authenticate: express.RequestHandler = async (req, res, next) => {
    const key = bearerKey(req.header('authorization'));
    if (!key.ok) return refuse(res, key.refusal);
    const organizationId = await deps.keys.organizationOf(key.value);
    if (!organizationId) {
      return refuse(
        res,
        unauthorized(`This API key is not one Panelist knows: it was revoked, or it is mistyped. ${CREATE_KEY_HINT}`, true),
      );
    }
    res.locals.organizationId = organizationId;
    next();
  };

  router.get(LIST, authenticate, async (req, res) => {
    const query = listQuery(req.query as Record<string, unknown>);
    if (!query.ok) return refuse(res, query.refusal);
    const page = await deps.specs.page(res.locals.organizationId as string, query.value);
    // a tag of our own, so a page is conditional as a spec is (express's would be weak, and skipped
    // whenever the request says Cache-Control: no-cache, as fetch() does)
    res.setHeader('etag', page.entityTag);
    res.setHeader('cache-control', REVALIDATE);
    res.setHeader('vary', 'Authorization');
    if (ifNoneMatchHits(req.header('if-none-match'), page.entityTag)) res.status(304).end();
    else res.json({ specs: page.specs, next: page.next });
  });

  router.get(CURRENT, authenticate, async (req, res) => {
    const id = specIdParam(req.params.id as string);
    if (!id.ok) return refuse(res, id.refusal);
    const answer = await deps.specs.current(res.locals.organizationId as string, id.value, req.header('if-none-match'));
    send(res, answer, id.value, REVALIDATE);
  });

  router.get(VERSION, authenticate, async (req, res) => {
    const id = specIdParam(req.params.id as string);
    if (!id.ok) return refuse(res, id.refusal);
    const number = versionParam(req.params.number as string);
    if (!number.ok) return refuse(res, number.refusal);
    const answer = await deps.specs.version(res.locals.organizationId as string, id.value, number.value, req.header('if-none-match'));
    send(res, answer, id.value, VERSION_MAX_AGE, number.value);
  });

  router.all([LIST, CURRENT, VERSION], (req, res) => {
    res.setHeader('allow', 'GET, HEAD');
    if (req.method === 'OPTIONS') return void res.status(204).end();
    refuse(res, { status: 405, code: 'method_not_allowed', message: `This API only reads: use GET (or HEAD), not ${req.method}.` });
  });
  router.use('/api/v1', (req, res) => {
    refuse(
      res,
      notFound(
        `There is no ${req.method} ${req.baseUrl}${req.path}: the endpoints are /api/v1/specs, /api/v1/specs/{id} and /api/v1/specs/{id}/versions/{n}.`,
      ),
    );
  });
  router.use('/api/v1', (error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const log = (res.locals.log as Logger | undefined) ?? deps.logger;
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // express's own refusals, e.g. a path whose %-escapes do not decode
      return refuse(res, badRequest('The request URL is malformed (a %-escape that does not decode?).'));
    }
    if (deps.specs.isUnavailable(error)) {
      log.error({ err: error }, 'the pull API could not reach the database');
      return refuse(res, {
        status: 503,
        code: 'unavailable',
        message: 'Panelist cannot reach its database just now; nothing is wrong with the request. Try again in a few seconds.',
        headers: { 'retry-after': '5' },
      });
    }
    log.error({ err: error }, 'pull API request failed');
    if (!res.headersSent) {
      res
        .status(500)
        .json({ error: { code: 'internal', message: 'Panelist failed to answer; the request id is in the x-request-id header.' } });
    }
  });
  return router;

  function send(res: express.Response, answer: VersionAnswer, id: string, cacheControl: string, number?: number): void {
    if (answer.status === 'no_spec') {
      // the same words for another organization's spec: whether it exists is not this key's business
      refuse(res, notFound(`There is no spec ${id} that this API key can read (the list at /api/v1/specs shows the ones it can).`));
      return;
    }
    if (answer.status === 'no_version') {
      refuse(res, notFound(`Spec ${id} has versions 1 to ${answer.latest}; there is no v${number}.`));
      return;
    }
    res.setHeader('etag', answer.entityTag);
    res.setHeader('cache-control', cacheControl);
    res.setHeader('vary', 'Authorization');
    if (answer.status === 'not_modified') {
      res.status(304).end();
      return;
    }
    let bytes = bodies.get(answer.entityTag);
    if (!bytes) {
      bytes = Buffer.from(JSON.stringify(answer.body), 'utf8');
      bodies.set(answer.entityTag, bytes);
    }
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('content-length', bytes.length);
    res.end(bytes); // node sends no body to a HEAD
  }
}
