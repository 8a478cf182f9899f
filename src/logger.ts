import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs; tokens and secrets are redacted wherever they appear under these keys. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { app: 'panelist' },
    redact: {
      paths: [
        '*.token',
        '*.botToken',
        '*.clientSecret',
        '*.signingSecret',
        'headers.authorization',
        '*.headers.authorization',
        'config.slack',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
