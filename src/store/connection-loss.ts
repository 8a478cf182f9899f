const LOST_KINDS = new Set(['ConnectionClosed', 'DatabaseNotReachable', 'SocketTimeout', 'TooManyConnections']);
const LOST_SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);
const LOST_MESSAGE =
  /Connection terminated|not queryable|connection (was )?closed|Timed out fetching a new connection|timeout exceeded when trying to connect/i;

/**
 * True for errors that only say the database connection went away or could not be had: the server
 * shut down or restarted (SQLSTATE class 57P), the connection failed (class 08), the socket closed,
 * or no pooled connection came in time. Nothing was written; trying again later is the answer.
 * Looks through the wrappers Prisma and its pg adapter put around the driver's error.
 */
export function isConnectionLoss(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth += 1) {
    const candidate = current as {
      code?: unknown;
      kind?: unknown;
      message?: unknown;
      cause?: unknown;
      meta?: { code?: unknown; driverAdapterError?: unknown };
    };
    for (const code of [candidate.code, candidate.meta?.code]) {
      if (typeof code !== 'string') continue;
      if (/^57P0[123]$/.test(code) || /^08/.test(code) || LOST_SOCKET_CODES.has(code)) return true;
    }
    if (typeof candidate.kind === 'string' && LOST_KINDS.has(candidate.kind)) return true;
    if (typeof candidate.message === 'string' && LOST_MESSAGE.test(candidate.message)) return true;
    current = candidate.cause ?? candidate.meta?.driverAdapterError;
  }
  return false;
}
