import { startPanelist } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { isConnectionLoss } from './store/connection-loss';

/** `npm start`: run until SIGINT/SIGTERM, then drain and stop the database cleanly. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Panelist cannot start. ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const running = await startPanelist(config, logger).catch((error: unknown) => {
    logger.fatal({ err: error }, `Panelist could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      logger.error('did not stop within 20 s; exiting');
      process.exit(1);
    }, 20_000);
    running.stop().then(() => {
      clearTimeout(force);
      logger.info('stopped');
      process.exit(0);
    });
  };
  // A library promise rejected with nobody listening (e.g. a query cut off while PostgreSQL
  // restarts): log it as JSON and keep serving; every component retries on its own.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  // node-postgres reports a connection lost between queries as an 'error' event; a library holding
  // such a client without a listener (seen in the pg-restart drill) would take the process down.
  // The pools replace the dead connection on next use, so that one case is logged and survived;
  // anything else uncaught is a bug: log it and exit for the supervisor to restart.
  process.on('uncaughtException', (error) => {
    if (isConnectionLoss(error)) {
      logger.error({ err: error }, 'a database connection was lost outside any query; continuing');
      return;
    }
    logger.fatal({ err: error }, 'uncaught exception; exiting');
    process.exit(1);
  });
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

void main();
