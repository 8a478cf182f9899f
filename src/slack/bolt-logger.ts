import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';
import { isVisitorOAuthError } from './install-pages';

/** Bolt's Logger interface over pino, so Bolt's lines are JSON like ours. */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const write =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...messages: unknown[]) => {
      const [first, ...rest] = messages;
      // The OAuth installer logs every failed redirect as an error with its stack, a visitor's
      // cancel or stale link included; those are answered and counted by the failure page instead.
      if (isVisitorOAuthError(first)) logger.debug({ code: (first as { code?: string }).code }, String((first as Error).message));
      else if (first instanceof Error) logger[method]({ err: first, detail: rest }, first.message);
      else logger[method]({ detail: rest.length > 0 ? rest : undefined }, String(first));
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
