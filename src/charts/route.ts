import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { refuse } from '../http/refusals';
import type { Metrics } from '../observability/metrics';
import { CHART_ROUTE, type ChartLinks } from '../services/chart-links';

/** The longest any cache (Slack's image proxy, a browser) keeps a chart, however far off its link's expiry. */
const MAX_CACHE_SECONDS = 7 * 86_400;

/**
 * GET /charts/digests/<digest>/<spec>.png?expires=…&signature=…: the PNG a digest links, for
 * Slack's servers and Teams clients. A changed or made-up link is refused like any stranger's junk
 * (a warning and a count); an expired one is told so; either way in words.
 */
export function chartRouter(links: ChartLinks, metrics: Metrics | undefined, logger: Logger): Router {
  const router = express.Router();
  router.get(CHART_ROUTE, async (req, res, next) => {
    try {
      const { digestId, specId } = req.params as { digestId: string; specId: string };
      const answer = await links.open(digestId, specId, req.query.expires, req.query.signature);
      if (answer.kind === 'forged') {
        refuse(req, res, { status: 403, reason: 'bad_chart_link', message: answer.message }, metrics, logger);
        return;
      }
      if (answer.kind !== 'image') {
        res.status(answer.kind === 'expired' ? 403 : 404).json({ error: answer.message });
        return;
      }
      const seconds = Math.floor((answer.expiresAt.getTime() - Date.now()) / 1000);
      res.set({
        'content-type': 'image/png',
        // the bytes behind a link never change; caches may keep them, but not past the link's life
        'cache-control': `public, max-age=${Math.max(0, Math.min(seconds, MAX_CACHE_SECONDS))}, immutable`,
        'x-content-type-options': 'nosniff',
        'content-disposition': 'inline; filename="digest-chart.png"',
      });
      res.send(answer.png);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
