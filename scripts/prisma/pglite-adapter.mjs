// A minimal Prisma driver adapter (the `SqlMigrationAwareDriverAdapterFactory` shape from
// @prisma/driver-adapter-utils) over in-memory PGlite instances, for the wasm schema engine only.
//
// Why not `pglite-prisma-adapter` from npm: it pins its own @prisma/driver-adapter-utils (7.2.0)
// and its executeScript() does not await PGlite's exec(), so a failing migration would surface as
// an unhandled rejection instead of an engine error. Why not @prisma/adapter-pg over
// pglite-socket: adapter-pg's executeScript() splits scripts on ";", which breaks any migration
// containing a function or trigger body. This file is small enough to own.
//
// Values are converted the way @prisma/adapter-pg converts node-postgres results (same column
// types, int8 as string, json as raw text, timestamps as ISO-like strings), because the engine
// was written against that adapter.

import { PGlite } from '@electric-sql/pglite';
import { ColumnTypeEnum, DriverAdapterError } from '@prisma/driver-adapter-utils';

const ADAPTER_NAME = 'panelist-pglite';
const FIRST_NORMAL_OBJECT_ID = 16384;

// Scalar and array type OIDs (pg_type.oid), as in node-postgres' `types.builtins`.
const T = {
  BOOL: 16,
  BYTEA: 17,
  CHAR: 18,
  NAME: 19,
  INT8: 20,
  INT2: 21,
  INT4: 23,
  TEXT: 25,
  OID: 26,
  JSON: 114,
  XML: 142,
  CIDR: 650,
  FLOAT4: 700,
  FLOAT8: 701,
  MONEY: 790,
  INET: 869,
  BPCHAR: 1042,
  VARCHAR: 1043,
  DATE: 1082,
  TIME: 1083,
  TIMESTAMP: 1114,
  TIMESTAMPTZ: 1184,
  TIMETZ: 1266,
  BIT: 1560,
  VARBIT: 1562,
  NUMERIC: 1700,
  UUID: 2950,
  JSONB: 3802,
};
const A = {
  XML: 143,
  JSON: 199,
  CIDR: 651,
  MONEY: 791,
  BOOL: 1000,
  BYTEA: 1001,
  CHAR: 1002,
  INT2: 1005,
  INT4: 1007,
  TEXT: 1009,
  BPCHAR: 1014,
  VARCHAR: 1015,
  INT8: 1016,
  FLOAT4: 1021,
  FLOAT8: 1022,
  OID: 1028,
  INET: 1041,
  TIMESTAMP: 1115,
  DATE: 1182,
  TIME: 1183,
  TIMESTAMPTZ: 1185,
  NUMERIC: 1231,
  BIT: 1561,
  VARBIT: 1563,
  UUID: 2951,
  JSONB: 3807,
};

const COLUMN_TYPES = new Map(
  [
    [[T.INT2, T.INT4], ColumnTypeEnum.Int32],
    [[T.INT8, T.OID], ColumnTypeEnum.Int64],
    [[T.FLOAT4], ColumnTypeEnum.Float],
    [[T.FLOAT8], ColumnTypeEnum.Double],
    [[T.BOOL], ColumnTypeEnum.Boolean],
    [[T.CHAR], ColumnTypeEnum.Character], // the one-byte "char" of pg_catalog (relkind, contype, ...)
    [[T.DATE], ColumnTypeEnum.Date],
    [[T.TIME, T.TIMETZ], ColumnTypeEnum.Time],
    [[T.TIMESTAMP, T.TIMESTAMPTZ], ColumnTypeEnum.DateTime],
    [[T.NUMERIC, T.MONEY], ColumnTypeEnum.Numeric],
    [[T.JSON, T.JSONB], ColumnTypeEnum.Json],
    [[T.UUID], ColumnTypeEnum.Uuid],
    [[T.BPCHAR, T.TEXT, T.VARCHAR, T.BIT, T.VARBIT, T.INET, T.CIDR, T.XML, T.NAME], ColumnTypeEnum.Text],
    [[T.BYTEA], ColumnTypeEnum.Bytes],
    [[A.INT2, A.INT4], ColumnTypeEnum.Int32Array],
    [[A.FLOAT4], ColumnTypeEnum.FloatArray],
    [[A.FLOAT8], ColumnTypeEnum.DoubleArray],
    [[A.NUMERIC, A.MONEY], ColumnTypeEnum.NumericArray],
    [[A.BOOL], ColumnTypeEnum.BooleanArray],
    [[A.CHAR], ColumnTypeEnum.CharacterArray],
    [[A.BPCHAR, A.TEXT, A.VARCHAR, A.VARBIT, A.BIT, A.INET, A.CIDR, A.XML], ColumnTypeEnum.TextArray],
    [[A.DATE], ColumnTypeEnum.DateArray],
    [[A.TIME], ColumnTypeEnum.TimeArray],
    [[A.TIMESTAMP, A.TIMESTAMPTZ], ColumnTypeEnum.DateTimeArray],
    [[A.JSON, A.JSONB], ColumnTypeEnum.JsonArray],
    [[A.BYTEA], ColumnTypeEnum.BytesArray],
    [[A.UUID], ColumnTypeEnum.UuidArray],
    [[A.INT8, A.OID], ColumnTypeEnum.Int64Array],
  ].flatMap(([oids, type]) => oids.map((oid) => [oid, type])),
);

function columnType(oid) {
  const type = COLUMN_TYPES.get(oid);
  if (type !== undefined) return type;
  if (oid >= FIRST_NORMAL_OBJECT_ID) return ColumnTypeEnum.Text; // enums and other user types
  throw new DriverAdapterError({ kind: 'UnsupportedNativeDataType', type: `oid ${oid}` });
}

// Text-format parsers handed to PGlite (it derives the array parsers from the element parsers).
const identity = (text) => text;
const PARSERS = {
  [T.INT8]: identity,
  [T.NUMERIC]: identity,
  [T.JSON]: identity,
  [T.JSONB]: identity,
  [T.DATE]: identity,
  [T.TIME]: identity,
  [T.TIMETZ]: (text) => text.replace(/[+-]\d{2}(:\d{2})?$/, ''),
  [T.TIMESTAMP]: (text) => `${text.replace(' ', 'T')}+00:00`,
  [T.TIMESTAMPTZ]: (text) => text.replace(' ', 'T').replace(/[+-]\d{2}(:\d{2})?$/, '+00:00'),
  [T.MONEY]: (text) => text.slice(1),
};

function mapArg(arg, argType) {
  if (arg === null || arg === undefined) return null;
  if (Array.isArray(arg) && argType?.arity === 'list') return arg.map((v) => mapArg(v, argType));
  if (typeof arg === 'string' && argType?.scalarType === 'bytes') return Buffer.from(arg, 'base64');
  if (ArrayBuffer.isView(arg)) return new Uint8Array(arg.buffer, arg.byteOffset, arg.byteLength);
  if (arg instanceof Date) return arg.toISOString();
  return arg;
}

function toAdapterError(error) {
  // PGlite's DatabaseError carries the Postgres fields (code, severity, detail, ...).
  if (error && typeof error.code === 'string' && typeof error.severity === 'string') {
    return new DriverAdapterError({
      kind: 'postgres',
      code: error.code,
      severity: error.severity,
      message: error.message,
      detail: error.detail,
      column: error.column,
      hint: error.hint,
      originalCode: error.code,
      originalMessage: error.message,
    });
  }
  return error;
}

class PGliteQueryable {
  provider = 'postgres';
  adapterName = ADAPTER_NAME;

  /** @param {() => Promise<PGlite>} getDb */
  constructor(getDb) {
    this.getDb = getDb;
  }

  async queryRaw({ sql, args, argTypes }) {
    const result = await this.#run(sql, args, argTypes);
    return {
      columnNames: result.fields.map((f) => f.name),
      columnTypes: result.fields.map((f) => columnType(f.dataTypeID)),
      rows: result.rows,
    };
  }

  async executeRaw({ sql, args, argTypes }) {
    return (await this.#run(sql, args, argTypes)).affectedRows ?? 0;
  }

  async #run(sql, args = [], argTypes = []) {
    const db = await this.getDb();
    try {
      return await db.query(
        sql,
        args.map((a, i) => mapArg(a, argTypes[i])),
        { rowMode: 'array' },
      );
    } catch (error) {
      throw toAdapterError(error);
    }
  }

  async exec(script) {
    const db = await this.getDb();
    try {
      await db.exec(script);
    } catch (error) {
      throw toAdapterError(error);
    }
  }
}

// PGlite is a single connection, so a transaction is simply BEGIN ... COMMIT/ROLLBACK on it.
class PGliteTransaction extends PGliteQueryable {
  options = { usePhantomQuery: false };

  async commit() {
    await this.exec('COMMIT');
  }

  async rollback() {
    await this.exec('ROLLBACK');
  }
}

class PGliteAdapter extends PGliteQueryable {
  constructor(getDb, onDispose) {
    super(getDb);
    this.onDispose = onDispose;
  }

  // The whole script goes through the simple-query protocol, exactly like `psql -f`: function
  // and trigger bodies, DO blocks and multiple statements all work.
  async executeScript(script) {
    await this.exec(script);
  }

  async startTransaction(isolationLevel) {
    await this.exec(isolationLevel ? `BEGIN ISOLATION LEVEL ${isolationLevel}` : 'BEGIN');
    return new PGliteTransaction(this.getDb);
  }

  getConnectionInfo() {
    return { schemaName: 'public', supportsRelationJoins: true };
  }

  async dispose() {
    await this.onDispose?.();
  }
}

// initdb takes seconds under wasm; restoring a dump of a pristine cluster takes a fraction of
// that. So the first database of the process is dumped before it is handed out, and later ones
// are restored from that dump.
let pristine;

/** A fresh, empty in-memory Postgres. */
export async function createMemoryDatabase() {
  if (pristine) {
    try {
      return await PGlite.create({ loadDataDir: await pristine, parsers: PARSERS });
    } catch {
      // fall through to a plain initdb
    }
  }
  const db = await PGlite.create({ parsers: PARSERS });
  pristine ??= db.dumpDataDir('none');
  await pristine.catch(() => {
    pristine = undefined;
  });
  return db;
}

/**
 * Driver adapter factory for the schema engine.
 * - connect(): the "main" database: `db` if given (left open), else an in-memory one created
 *   on first use (the engine connects when it starts; a diff only asks it for its version).
 * - connectToShadowDb(): a fresh in-memory database each time, closed when the engine disposes it.
 * close() closes whatever this factory created and is still open.
 */
export function pgliteAdapterFactory({ db } = {}) {
  const open = new Set(); // promises of the databases this factory created and has not closed
  const closeOne = async (created) => {
    open.delete(created);
    await (await created).close();
  };
  const lazy = () => {
    let created;
    const getDb = () => {
      if (!created) {
        created = createMemoryDatabase();
        open.add(created);
      }
      return created;
    };
    return new PGliteAdapter(getDb, async () => {
      if (created && open.has(created)) await closeOne(created);
    });
  };
  return {
    provider: 'postgres',
    adapterName: ADAPTER_NAME,
    async connect() {
      return db ? new PGliteAdapter(async () => db) : lazy();
    },
    async connectToShadowDb() {
      return lazy();
    },
    async close() {
      await Promise.allSettled([...open].map(closeOne));
    },
  };
}
