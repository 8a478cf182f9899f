import type { Logger } from 'pino';
import type { Config } from '../config';
import { startEmbeddedPostgres, embeddedUrl } from '../store/embedded-postgres';
import { isMigratedDatabase, migrate } from '../store/migrate';

/**
 * The database a CLI command works on: DATABASE_URL, else the embedded one — the running app's, if
 * `npm start` is up, or started just for this command and stopped after it.
 */
export async function openCliDatabase(config: Config, logger: Logger): Promise<{ url: string; close(): Promise<void> }> {
  if (config.databaseUrl) {
    await migrate(config.databaseUrl);
    return { url: config.databaseUrl, close: async () => undefined };
  }
  const running = embeddedUrl(config.embeddedPg.port);
  if (await isMigratedDatabase(running)) return { url: running, close: async () => undefined };
  const embedded = await startEmbeddedPostgres({ ...config.embeddedPg, logger });
  await migrate(embedded.url);
  return { url: embedded.url, close: () => embedded.stop() };
}
