import type pino from 'pino';
import { createLogger, type Logger } from '../../src/logger';

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/**
 * The app's logger for tests: keeps every line at warn and above (so a test can say "no error was
 * logged for this junk"), and prints what TEST_LOG_LEVEL asks for, as before.
 */
export class LogCapture {
  readonly lines: Record<string, unknown>[] = [];
  private readonly shown = LEVELS[process.env.TEST_LOG_LEVEL ?? 'silent'] ?? Infinity;

  logger(): Logger {
    const destination: pino.DestinationStream = {
      write: (line: string) => {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        this.lines.push(parsed);
        if ((parsed.level as number) >= this.shown) process.stdout.write(line);
      },
    };
    const level = Math.min(this.shown, LEVELS.warn!);
    return createLogger(Object.keys(LEVELS).find((name) => LEVELS[name] === level) ?? 'warn', destination);
  }

  /** Lines at error or fatal logged since `from` (an index into lines). */
  errorsSince(from = 0): Record<string, unknown>[] {
    return this.lines.slice(from).filter((line) => (line.level as number) >= LEVELS.error!);
  }
}
