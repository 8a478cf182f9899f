import type { Pool } from 'pg';
import type { Db } from './db';
import { pgRunner, prismaRunner, type SqlRunner } from './sql-runner';

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export type SqlTransaction = <T>(work: (sql: SqlRunner) => Promise<T>) => Promise<T>;

/**
 * On a plain `pg` connection from the pool: BEGIN and COMMIT are the only statements added.
 * `onConnectFailure` hears when no connection could be had (pool exhausted past its wait, or the
 * server refusing), before the error is thrown.
 */
export function pgTransaction(pool: Pool, options: { onConnectFailure?: () => void } = {}): SqlTransaction {
  const connect = async () => {
    try {
      return await pool.connect();
    } catch (error) {
      options.onConnectFailure?.();
      throw error;
    }
  };
  return async <T>(work: (sql: SqlRunner) => Promise<T>): Promise<T> => {
    const client = await connect();
    let reusable = false;
    try {
      await client.query('BEGIN');
      const result = await work(pgRunner(client));
      await client.query('COMMIT');
      reusable = true;
      return result;
    } catch (error) {
      // A connection that cannot even roll back is broken: it leaves the pool instead of returning.
      reusable = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      throw error;
    } finally {
      client.release(!reusable);
    }
  };
}

/** In a Prisma interactive transaction, where no `pg` pool is at hand (the CLI). */
export function prismaTransaction(db: Db): SqlTransaction {
  return <T>(work: (sql: SqlRunner) => Promise<T>): Promise<T> => db.$transaction((tx) => work(prismaRunner(tx)));
}
