import type { Pool } from 'pg';
import type { Config } from '../config';
import { DigestService } from '../services/digests';
import { digestMessageCount } from '../slack/render/digest';
import type { Db } from '../store/db';
import { pgTransaction } from '../store/sql-transaction';

/** With the app's `pg` pool, claims run on plain `pg`; without (the CLI), through Prisma. */
export function createDigestService(config: Config, db: Db, pool?: Pool): DigestService {
  return new DigestService(
    db,
    {
      // How many messages a digest takes is decided when it is claimed, so each message is its own
      // delivery (exactly once, retried on its own).
      messagesFor: digestMessageCount,
      specUrlTemplate: config.specUrlTemplate,
    },
    pool ? pgTransaction(pool) : undefined,
  );
}
