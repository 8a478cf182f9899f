import type { Pool, PoolClient } from 'pg';
import type { Db, Tx } from './db';

/**
 * The one thing the ingest's SQL needs from a connection: run a statement, get its rows. The
 * webhook runs it on a plain `pg` client (a statement costs ~0.1 ms of CPU there against ~0.4 ms
 * through Prisma); the parked-event replay runs the same SQL inside a spec import's Prisma
 * transaction. Results must not depend on the driver: cast counts to int (Prisma returns int8 as
 * bigint, `pg` as string) and let json and timestamptz come back as objects and Dates.
 */
export interface SqlRunner {
  query<T extends object>(text: string, values: readonly unknown[]): Promise<T[]>;
}

/**
 * Each distinct text becomes a named prepared statement on every connection that runs it: parsed
 * and planned once per connection instead of once per event. The texts are a handful of constants
 * and shapes, so the map stays small.
 */
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `panelist_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

export function pgRunner(client: PoolClient | Pool): SqlRunner {
  return {
    async query<T extends object>(text: string, values: readonly unknown[]): Promise<T[]> {
      const result = await client.query<T>({ name: statementName(text), text, values: values as unknown[] });
      return result.rows;
    },
  };
}

/** Prisma's connection, where no `pg` pool is at hand (the CLI). */
export function prismaRunner(tx: Tx | Db): SqlRunner {
  return {
    query<T extends object>(text: string, values: readonly unknown[]): Promise<T[]> {
      return tx.$queryRawUnsafe<T[]>(text, ...values);
    },
  };
}

/** Collects positional parameters while a statement's text is assembled from fragments. */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Returns the placeholder (`$n`) for the value, to be written into the text. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
