import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { canonicalBodyHash, parseInterviewEvent } from '../domain/interview-event';
import type { InterviewIngestService } from '../services/interview-ingest';
import type { Metrics } from '../observability/metrics';
import { verifyInterviewSignature } from './signature';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface InterviewWebhookDeps {
  secrets: string[];
  metrics?: Metrics;
  ingest: InterviewIngestService;
  logger: Logger;
}

/**
 * POST /webhooks/interviews, answering exactly as the contract's table says. Thin: authenticate,
 * parse, hand the event to the ingest service, map its outcome to a status code.
 */
export function interviewWebhookRouter(deps: InterviewWebhookDeps): Router {
  const router = express.Router();
  router.post('/webhooks/interviews', express.raw({ type: () => true, limit: MAX_BODY_BYTES }), async (req, res) => {
    const log = (res.locals.log as Logger | undefined) ?? deps.logger;
    const count = (outcome: string) => deps.metrics?.ingest.inc({ outcome });
    if (deps.secrets.length === 0) {
      count('unavailable');
      res.status(503).json({ error: 'Panelist has no INTERVIEW_WEBHOOK_SECRET configured; events cannot be authenticated yet.' });
      return;
    }
    const rawBody: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = verifyInterviewSignature({
      header: req.header('interview-signature'),
      rawBody,
      secrets: deps.secrets,
      now: new Date(),
    });
    if (!signature.ok) {
      count('unauthorized');
      log.warn({ reason: signature.reason }, 'interview webhook refused: bad signature');
      res.status(401).json({ error: signature.message });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      count('invalid_json');
      res.status(400).json({ error: 'The body is not JSON.', issues: [] });
      return;
    }
    const parsed = parseInterviewEvent(json);
    if (!parsed.ok) {
      count('invalid_schema');
      res.status(400).json({ error: 'The body does not match the interview event schema.', issues: parsed.issues });
      return;
    }
    const event = parsed.event;
    const eventLog = log.child({ eventId: event.eventId, interviewId: event.interviewId, type: event.type });
    try {
      const outcome = await deps.ingest.ingest(event, canonicalBodyHash(rawBody), json);
      eventLog.info({ outcome: outcome.status }, 'interview event');
      count(outcome.status);
      switch (outcome.status) {
        case 'accepted':
          res.status(202).json({ status: 'accepted' });
          return;
        case 'parked':
          res.status(202).json({ status: 'parked' });
          return;
        case 'duplicate':
          res.status(200).json({ status: 'duplicate' });
          return;
        case 'conflict':
          res.status(409).json({ error: `Event ${event.eventId} was already received with a different body.` });
          return;
        case 'impossible':
          res.status(422).json({ error: outcome.problems.join('; ') });
          return;
      }
    } catch (error) {
      if (await deps.ingest.isTryAgain(error)) {
        count('unavailable');
        eventLog.error({ err: error }, 'database unreachable; event not stored');
        res.status(503).set('retry-after', '5').json({ error: 'The database is unreachable; nothing was stored. Retry with backoff.' });
        return;
      }
      throw error;
    }
  });
  // The body limit is enforced by express.raw before the handler runs: answer 413 here, counted.
  router.use('/webhooks/interviews', (error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if ((error as { status?: number }).status !== 413) return next(error);
    deps.metrics?.ingest.inc({ outcome: 'too_large' });
    res.status(413).json({ error: 'The body is larger than 1 MiB.' });
  });
  return router;
}
