import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

/** Bolt's Logger interface over pino, so Bolt's lines are JSON like ours. */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const write = (method: 'debug' | 'info' | 'warn' | 'error') => (...messages: unknown[]) => {
    const [first, ...rest] = messages;
    if (first instanceof Error) logger[method]({ err: first, detail: rest }, first.message);
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
