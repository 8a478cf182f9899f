import { randomUUID } from 'node:crypto';
import http from 'node:http';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';
import { publicMetricsHandler } from './metrics-endpoint';
import { bodyParserRefusal, refuse } from './refusals';

export interface HttpDeps {
  logger: Logger;
  isReady(): Promise<boolean>;
  routers: Router[];
  metrics?: Metrics;
  /** METRICS_TOKEN: serves /metrics on this port to a bearer of it; unset = not served here */
  metricsToken?: string;
}

/** The one HTTP server (DESIGN.md endpoints): each route is thin and hands off to its adapter. */
export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    const requestId = req.header('x-request-id') ?? randomUUID();
    res.setHeader('x-request-id', requestId);
    res.locals.log = deps.logger.child({ requestId });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await deps.isReady();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unreachable' });
  });
  app.get('/metrics', publicMetricsHandler(deps.metrics, deps.metricsToken));
  for (const router of deps.routers) app.use(router);

  app.use((req, res) => {
    res.status(404).json({ error: `No route for ${req.method} ${req.path}` });
  });
  app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // A client's mistake (oversized or malformed body, …) is refused in words, never logged as an error.
    const refusal = bodyParserRefusal(error, '1 MiB');
    if (refusal) {
      refuse(req, res, refusal, deps.metrics);
      return;
    }
    (res.locals.log as Logger).error({ err: error }, 'request failed');
    if (!res.headersSent) res.status(500).json({ error: 'Internal error; the request id is in the x-request-id header.' });
  });
  return app;
}

export async function listen(app: express.Express, port: number): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(app);
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}

export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
