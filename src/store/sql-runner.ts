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
 * and shapes (values are always parameters, lists as one array parameter), so the set is fixed by
 * the code, not by input, and needs no LRU. An LRU would even hurt: a dropped text coming back
 * would get a new name, and so a second prepared statement on every connection, which `pg` never
 * releases. The cap is a guard against a future text that varies with input: past it, new texts
 * run unnamed (planned each time) instead of growing this map and every connection.
 */
export const MAX_NAMED_STATEMENTS = 200;
const statementNames = new Map<string, string>();

export function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (!name) {
    if (statementNames.size >= MAX_NAMED_STATEMENTS) return undefined;
    name = `panelist_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

export function pgRunner(client: PoolClient | Pool): SqlRunner {
  return {
    async query<T extends object>(text: string, values: readonly unknown[]): Promise<T[]> {
      const name = statementName(text);
      const result = await client.query<T>(name ? { name, text, values: values as unknown[] } : { text, values: values as unknown[] });
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
