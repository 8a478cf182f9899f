import type express from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';
import { edgeRoute } from './refusals';

/** A request the pull API does not serve, in the API's error shape (docs/spec-api.md, "Errors"). */
export interface ApiRefusal {
  status: number;
  /** a fixed word for clients to branch on, and for the metric */
  code: 'unauthorized' | 'bad_request' | 'not_found' | 'method_not_allowed' | 'unavailable';
  /** what is wrong and how to fix it */
  message: string;
  headers?: Record<string, string>;
}

export const CREATE_KEY_HINT = 'An operator of Panelist creates a key with `npx panelist api-keys create <name>`.';

export const unauthorized = (message: string, invalidToken: boolean): ApiRefusal => ({
  status: 401,
  code: 'unauthorized',
  message,
  // RFC 6750 §3: a request without credentials gets the bare challenge, a bad key the error code
  headers: { 'www-authenticate': invalidToken ? 'Bearer realm="panelist", error="invalid_token"' : 'Bearer realm="panelist"' },
});

export const badRequest = (message: string): ApiRefusal => ({ status: 400, code: 'bad_request', message });
export const notFound = (message: string): ApiRefusal => ({ status: 404, code: 'not_found', message });

/**
 * Answers a refused API request. Anyone can send these, so none is an error in the log: a 401 is a
 * warning (someone knocking with a bad key is worth seeing), a 400 or 404 is the client's own
 * business and only info. The key itself is never logged. Each is counted in
 * `panelist_http_refused_total{route="/api/v1/specs",reason}`.
 */
export function refuseApi(res: express.Response, refusal: ApiRefusal, metrics: Metrics | undefined, fallbackLog: Logger): void {
  const route = edgeRoute(`${res.req.baseUrl}${res.req.path}`);
  metrics?.httpRefused.inc({ route, reason: refusal.code });
  const log = (res.locals.log as Logger | undefined) ?? fallbackLog;
  const fields = { route, reason: refusal.code, status: refusal.status };
  // the runbook's one message for every refusal at the edge ("Refused at the edge")
  if (refusal.status === 401) log.warn(fields, 'request refused at the edge');
  else log.info(fields, 'request refused at the edge');
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(refusal.headers ?? {})) res.setHeader(name, value);
  res.status(refusal.status).json({ error: { code: refusal.code, message: refusal.message } });
}
