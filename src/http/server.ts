import { randomUUID } from 'node:crypto';
import http from 'node:http';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';

export interface HttpDeps {
  logger: Logger;
  isReady(): Promise<boolean>;
  routers: Router[];
  metrics?: Metrics;
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
  app.get('/metrics', async (_req, res) => {
    if (!deps.metrics) {
      res.status(404).end();
      return;
    }
    res.setHeader('content-type', deps.metrics.registry.contentType);
    res.end(await deps.metrics.registry.metrics());
  });
  for (const router of deps.routers) app.use(router);

  app.use((req, res) => {
    res.status(404).json({ error: `No route for ${req.method} ${req.path}` });
  });
  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = (error as { status?: number }).status;
    if (status && status >= 400 && status < 500) {
      res.status(status).json({ error: (error as Error).message });
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
