import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type express from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';
import { refuse } from './refusals';

/**
 * Where /metrics is served. Its numbers (queue depth, dead letters, which platforms a replica
 * serves) are for the operator, not for anyone who can reach the public port, so by default it is
 * only on a loopback port of its own (METRICS_PORT, 9464, on METRICS_HOST 127.0.0.1); the public
 * port serves it only to a scraper that presents METRICS_TOKEN as a bearer token.
 */
export interface MetricsExposure {
  port: number | 'off';
  host: string;
  token?: string;
}

async function writeMetrics(metrics: Metrics, res: http.ServerResponse): Promise<void> {
  const text = await metrics.registry.metrics();
  res.setHeader('content-type', metrics.registry.contentType);
  res.end(text);
}

/** GET /metrics on the public port: 404 without a token configured (as if absent), 401 for a wrong one. */
export function publicMetricsHandler(metrics: Metrics | undefined, token: string | undefined): express.RequestHandler {
  const expected = token === undefined ? undefined : digest(token);
  return async (req, res) => {
    if (!metrics || expected === undefined) {
      res.status(404).json({ error: `No route for ${req.method} ${req.path}` });
      return;
    }
    const presented = /^Bearer (.+)$/i.exec(req.header('authorization') ?? '')?.[1];
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      refuse(
        req,
        res,
        { status: 401, reason: 'bad_token', message: 'GET /metrics needs the METRICS_TOKEN as "Authorization: Bearer <token>".' },
        metrics,
      );
      return;
    }
    await writeMetrics(metrics, res);
  };
}

/** The metrics port's own server: GET /metrics and nothing else. Undefined when METRICS_PORT=off. */
export async function startMetricsServer(metrics: Metrics, exposure: MetricsExposure, logger: Logger): Promise<http.Server | undefined> {
  if (exposure.port === 'off') return undefined;
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && (req.url === '/metrics' || req.url?.startsWith('/metrics?'))) {
      writeMetrics(metrics, res).catch((error: unknown) => {
        logger.error({ err: error }, 'reading the metrics failed');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served here.\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(exposure.port as number, exposure.host, () => resolve());
  });
  return server;
}

// Hashing both sides first gives equal lengths for timingSafeEqual, so the token's length does not leak.
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
