import { ConfigError } from '../config';
import { isPanelistError } from '../domain/errors';
import { createLogger } from '../logger';
import { isConnectionLoss } from '../store/connection-loss';

/** A command misused: exit 2 with the usage. */
export class UsageError extends Error {}

/** What a failed command prints, and its exit code. */
export interface Failure {
  message: string;
  exitCode: 1 | 2;
  /** Only what the operator should not read unasked: logged at debug level, never printed. */
  detail?: unknown;
}

/**
 * Turns anything a command can throw into a sentence. Our own errors carry theirs; Node's argument
 * parser's are written for people. A driver's text (Prisma's "expired transaction", pg's "invalid
 * input syntax for type uuid") never reaches the operator: it goes to the log at debug level,
 * where `LOG_LEVEL=debug npx panelist …` shows it.
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof UsageError || (error as { code?: string } | undefined)?.code?.startsWith?.('ERR_PARSE_ARGS')) {
    return { message: (error as Error).message, exitCode: 2 };
  }
  if (isPanelistError(error) || error instanceof ConfigError) return { message: error.message, exitCode: 1 };
  if (isConnectionLoss(error)) {
    return {
      message:
        'panelist: could not reach the database (DATABASE_URL, or the embedded one in ./.data/pg). Check that it is running and try again.',
      exitCode: 1,
      detail: error,
    };
  }
  if (isDatabaseError(error)) {
    return {
      message: 'panelist: the database answered an error. Run the command again with LOG_LEVEL=debug to see it in the log.',
      exitCode: 1,
      detail: error,
    };
  }
  return {
    message: 'panelist: the command failed unexpectedly. Run it again with LOG_LEVEL=debug to see why in the log.',
    exitCode: 1,
    detail: error,
  };
}

/** Prisma's errors, and pg's (a SQLSTATE code of five characters), wherever they are wrapped. */
function isDatabaseError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth += 1) {
    const candidate = current as { name?: unknown; code?: unknown; clientVersion?: unknown; cause?: unknown };
    if (typeof candidate.name === 'string' && candidate.name.startsWith('PrismaClient')) return true;
    if (typeof candidate.clientVersion === 'string') return true;
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return true;
    current = candidate.cause;
  }
  return false;
}

/** Prints the failure for the operator and logs its detail; returns the exit code. */
export function reportFailure(error: unknown, usage: string, print: (line: string) => void = console.error): number {
  const failure = describeFailure(error);
  print(failure.exitCode === 2 ? `${failure.message}\n\n${usage}` : failure.message);
  if (failure.detail !== undefined) {
    createLogger(process.env.LOG_LEVEL ?? 'warn').debug({ err: failure.detail }, 'command failed');
  }
  return failure.exitCode;
}
