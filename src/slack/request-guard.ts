import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';
import { bodyParserRefusal, ONE_MIB, refuse, type Refusal } from '../http/refusals';

/** Slack's replay window: a request is authentic only within five minutes of its timestamp, either way. */
export const SLACK_MAX_SKEW_SECONDS = 300;
/** Slack's own payloads are a few kilobytes; the webhook's 1 MiB is far above any of them. */
export const SLACK_MAX_BODY_BYTES = ONE_MIB;

/**
 * In front of Bolt on POST /slack/events: the timestamp window (Bolt's check only refuses the
 * past, so a request stamped in the future could be replayed for as long as it liked), a body
 * limit read before anything is parsed, and the signature, each refused in words, counted and
 * logged as a warning. Bolt verifies again after this; it reads the body kept here as `rawBody`.
 */
export function slackRequestGuard(
  signingSecret: string,
  metrics: Metrics | undefined,
  logger: Logger,
  now: () => number = Date.now,
): Router {
  const router = Router();
  const refuseWith = (req: express.Request, res: express.Response, refusal: Refusal) => refuse(req, res, refusal, metrics, logger);
  router.post(
    '/slack/events',
    (req, res, next) => {
      const window = checkTimestamp(req.header('x-slack-request-timestamp'), now());
      if (window) return refuseWith(req, res, window);
      next();
    },
    express.raw({ type: () => true, limit: SLACK_MAX_BODY_BYTES }),
    (req, res, next) => {
      const rawBody: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!signatureMatches(signingSecret, req.header('x-slack-request-timestamp')!, rawBody, req.header('x-slack-signature'))) {
        return refuseWith(req, res, {
          status: 401,
          reason: 'bad_signature',
          message: 'The x-slack-signature does not match this request: sign it with the app’s signing secret.',
        });
      }
      // Bolt reads a body already taken from the stream from here (its receiver's rawBody support).
      (req as { rawBody?: Buffer }).rawBody = rawBody;
      next();
    },
  );
  router.use('/slack/events', (error: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
    const refusal = bodyParserRefusal(error, '1 MiB (Slack’s own requests are a few kilobytes)');
    if (!refusal) return next(error);
    refuseWith(req, res, refusal);
  });
  return router;
}

function checkTimestamp(header: string | undefined, nowMs: number): Refusal | undefined {
  if (header === undefined || !/^\d{1,12}$/.test(header)) {
    return {
      status: 401,
      reason: 'missing_timestamp',
      message: 'The x-slack-request-timestamp header is missing or not a number of seconds.',
    };
  }
  const skew = Math.floor(nowMs / 1000) - Number(header);
  if (skew > SLACK_MAX_SKEW_SECONDS) {
    return {
      status: 401,
      reason: 'stale_timestamp',
      message: 'The x-slack-request-timestamp is more than five minutes old: a replayed or delayed request.',
    };
  }
  if (-skew > SLACK_MAX_SKEW_SECONDS) {
    return {
      status: 401,
      reason: 'future_timestamp',
      message: 'The x-slack-request-timestamp is more than five minutes in the future: check the sender’s clock.',
    };
  }
  return undefined;
}

function signatureMatches(secret: string, timestamp: string, body: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith('v0=')) return false;
  const expected = createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest();
  const presented = Buffer.from(header.slice(3), 'hex');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
