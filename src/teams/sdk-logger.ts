import type { Logger } from 'pino';

type Level = 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * The Teams SDK's logger interface (ILogger from @microsoft/teams.common), written out here so we
 * do not import a transitive package, backed by our pino logger so the SDK's lines land in the
 * app's log (as JSON, with `component: teams-sdk`) instead of on the console.
 */
export interface SdkLogger {
  debug(...msg: unknown[]): void;
  info(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
  error(...msg: unknown[]): void;
  trace(...msg: unknown[]): void;
  log(level: Level, ...msg: unknown[]): void;
  child(name: string): SdkLogger;
}

export function sdkLogger(logger: Logger, name = 'teams-sdk'): SdkLogger {
  const log = logger.child({ component: name });
  const write = (level: Level, msg: unknown[]) => {
    const [first, ...rest] = msg;
    const err = msg.find((m): m is Error => m instanceof Error);
    const text = [first, ...rest]
      .filter((m) => !(m instanceof Error))
      .map((m) => (typeof m === 'string' ? m : safeJson(m)))
      .join(' ');
    // The SDK logs every token it refuses as an error with a stack; anyone can send one, so it is a
    // warning with the reason (the request is answered 401 and counted as refused at the edge).
    if (err && level === 'error' && (name.endsWith('jwt-validator') || isRefusedToken(err, text))) log.warn({ reason: err.message }, text);
    // Local mode's own warning says this once, in our words (runtime.ts, LOCAL_MODE_WARNING).
    else if (level === 'warn' && UNAUTHENTICATED_ON.test(text)) log.debug(text);
    else if (err) log[level]({ err }, text);
    else log[level](text);
  };
  return {
    debug: (...msg) => write('debug', msg),
    info: (...msg) => write('info', msg),
    warn: (...msg) => write('warn', msg),
    error: (...msg) => write('error', msg),
    trace: (...msg) => write('trace', msg),
    log: (level, ...msg) => write(level, msg),
    child: (child) => sdkLogger(logger, `${name}/${child}`),
  };
}

const UNAUTHENTICATED_ON = /dangerouslyAllowUnauthenticatedRequests is enabled/;

const JWT_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

function isRefusedToken(err: Error, text: string): boolean {
  return JWT_ERRORS.has(err.name) || /^JWT (validation|verification) failed/.test(text);
}

function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  } catch {
    return String(value);
  }
}
