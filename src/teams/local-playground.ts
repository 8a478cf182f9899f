import { BlockList, isIP } from 'node:net';
import express, { type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ONE_MIB, refuse } from '../http/refusals';
import type { Metrics } from '../observability/metrics';

/**
 * Teams without a tenant (TEAMS_LOCAL_PLAYGROUND): the Microsoft 365 Agents Playground posts
 * activities with no Bot Framework token, and takes answers at its own connector with none. So
 * /api/messages takes an activity without a token only from this host, and only one that names a
 * service URL on this host, where every reply and proactive send then goes. Config refuses the mode
 * with NODE_ENV=production.
 */

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8 and ::1 (IPv4-mapped too): the socket's own peer, never a forwarded header. */
export function isLoopbackAddress(address: string | undefined): boolean {
  const family = address ? isIP(address) : 0;
  return family !== 0 && LOOPBACK.check(address!, family === 6 ? 'ipv6' : 'ipv4');
}

/** An http(s) URL whose host is this machine (localhost, 127.x, [::1]). */
export function isLoopbackUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || isLoopbackAddress(host);
}

/**
 * In front of the SDK's route (which, in local mode, checks no token): a caller that is not on this
 * host is refused (403), and so is an activity whose serviceUrl points elsewhere (400), since that
 * URL is where Panelist would then send its answers and the conversation's interview cards.
 */
export function localPlaygroundGuard(metrics: Metrics | undefined, log: Logger): RequestHandler[] {
  const onlyLoopbackCallers: RequestHandler = (req, res, next) => {
    if (isLoopbackAddress(req.socket.remoteAddress)) return next();
    refuse(
      req,
      res,
      {
        status: 403,
        reason: 'not_loopback',
        message: 'Teams local mode (TEAMS_LOCAL_PLAYGROUND) answers only requests from this machine.',
      },
      metrics,
      log,
    );
  };
  const onlyLoopbackServiceUrls: RequestHandler = (req, res, next) => {
    const serviceUrl = (req.body as { serviceUrl?: unknown } | undefined)?.serviceUrl;
    if (isLoopbackUrl(serviceUrl)) return next();
    refuse(
      req,
      res,
      {
        status: 400,
        reason: 'service_url_not_loopback',
        message: 'Teams local mode (TEAMS_LOCAL_PLAYGROUND) takes only activities whose serviceUrl is on this machine.',
      },
      metrics,
      log,
    );
  };
  // The route's own parser sees the body already read and leaves it as it is.
  return [onlyLoopbackCallers, express.json({ limit: ONE_MIB }), onlyLoopbackServiceUrls];
}

export const LOCAL_MODE_WARNING =
  'Teams local mode is on (TEAMS_LOCAL_PLAYGROUND): /api/messages accepts activities without a token from this machine, for the Microsoft 365 Agents Playground. Never in production.';
