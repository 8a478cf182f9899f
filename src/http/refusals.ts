import type express from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';

/** The public routes a stranger can reach; anything else is counted as `other` to keep the label small. */
const EDGE_ROUTES = [
  '/slack/events',
  '/slack/install',
  '/slack/oauth_redirect',
  '/api/messages',
  '/webhooks/interviews',
  '/metrics',
  '/api/v1/specs',
];

export function edgeRoute(path: string): string {
  return EDGE_ROUTES.find((route) => path === route || path.startsWith(`${route}/`)) ?? 'other';
}

export interface Refusal {
  status: number;
  /** a short, fixed word for the metric and the log, e.g. `future_timestamp` */
  reason: string;
  /** what is wrong and how to fix it, for whoever sent the request */
  message: string;
}

/**
 * Answers a request refused at the edge. Anyone on the internet can send these, so they are a
 * warning without a stack (an error-level line per request would let a stranger flood the alerts)
 * and a count in `panelist_http_refused_total{route,reason}`, which is what an operator watches.
 */
export function refuse(
  req: express.Request,
  res: express.Response,
  refusal: Refusal,
  metrics: Metrics | undefined,
  fallbackLog?: Logger,
): void {
  const route = edgeRoute(req.path);
  metrics?.httpRefused.inc({ route, reason: refusal.reason });
  const log = (res.locals.log as Logger | undefined) ?? fallbackLog;
  log?.warn({ route, reason: refusal.reason, status: refusal.status }, 'request refused at the edge');
  if (!res.headersSent) res.status(refusal.status).json({ error: refusal.message });
}

/** Words for the errors express's body parsers raise (size, encoding, malformed JSON). */
export function bodyParserRefusal(error: unknown, limitWords: string): Refusal | undefined {
  const type = (error as { type?: unknown }).type;
  const status = (error as { status?: unknown }).status;
  if (type === 'entity.too.large' || status === 413) {
    return { status: 413, reason: 'too_large', message: `The body is larger than ${limitWords}.` };
  }
  if (type === 'entity.parse.failed') return { status: 400, reason: 'malformed_body', message: 'The body is not valid JSON.' };
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return { status: 415, reason: 'unsupported_encoding', message: 'The body must be sent as UTF-8, without a content encoding.' };
  }
  if (type === 'request.aborted' || type === 'request.size.invalid' || type === 'stream.encoding.set') {
    return { status: 400, reason: 'incomplete_body', message: 'The body did not arrive whole.' };
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, reason: 'bad_request', message: error instanceof Error ? error.message : 'The request is malformed.' };
  }
  return undefined;
}

export const ONE_MIB = 1024 * 1024;
