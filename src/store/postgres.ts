import { Pool, types as pgTypes } from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';
import { ConcordatError, systemClock } from '../core/index.js';
import type { Clock } from '../core/index.js';
import type {
  Database,
  InsertManyOptions,
  Queryable,
  Row,
  ScrubReport,
  Sql,
  SqlValue,
  Transaction,
} from './database.js';
import { sqlFor } from './database.js';
import { runMigrations } from './migrate.js';

/** Options for {@link openPostgres}. */
export interface PostgresOptions {
  /** `postgres://user@host:5432/dbname`. */
  readonly connectionString: string;
  /** Pool size (default 4). */
  readonly max?: number;
  /** Clock for the migrations table (default: the system clock). */
  readonly clock?: Clock;
}

const INT8_OID = 20;

function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n))
    throw new ConcordatError('ERR_INTERNAL', `bigint \`${value}\` is beyond 2^53`);
  return n;
}

// Per-pool type parsers (no global mutation of pg.types): INT8 → number, checked.
const typeOverrides = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : pgTypes.getTypeParser(oid, format ?? 'text')) as typeof pgTypes.getTypeParser,
};

interface Prepared {
  readonly name: string;
  readonly text: string;
}

/** `?` → `$n`, once per statement text; statements are then prepared by name per connection. */
class StatementCache {
  private readonly map = new Map<string, Prepared>();

  get(sql: Sql): Prepared {
    const source = sqlFor(sql, 'postgres');
    let p = this.map.get(source);
    if (p === undefined) {
      let i = 0;
      const text = source.replace(/\?/g, () => `$${++i}`);
      p = { name: `concordat_${this.map.size}`, text };
      this.map.set(source, p);
    }
    return p;
  }
}

type Runner = Pick<PoolClient, 'query'>;

async function exec(
  runner: Runner,
  cache: StatementCache,
  sql: Sql,
  params: readonly SqlValue[],
): Promise<{ rows: Row[]; changes: number }> {
  const p = cache.get(sql);
  const res = await runner.query<QueryResultRow>({
    name: p.name,
    text: p.text,
    values: params as unknown[],
  });
  return { rows: res.rows, changes: res.rowCount ?? 0 };
}

// PostgreSQL allows 65,535 bind parameters per statement.
const MAX_PARAMS = 60_000;

async function insertMany(
  runner: Runner,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
  options: InsertManyOptions = {},
): Promise<number> {
  const perChunk = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  let n = 0;
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const values: SqlValue[] = [];
    const tuples: string[] = [];
    for (const row of chunk) {
      const slots: string[] = [];
      for (const v of row) {
        values.push(v);
        slots.push(`$${values.length}`);
      }
      tuples.push(`(${slots.join(', ')})`);
    }
    const res = await runner.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}` +
        (options.ignoreDuplicates === true ? ' ON CONFLICT DO NOTHING' : ''),
      values as unknown[],
    );
    n += res.rowCount ?? 0;
  }
  return n;
}

class PgTransaction implements Transaction {
  readonly inTransaction = true as const;
  readonly dialect = 'postgres' as const;
  open = true;

  constructor(
    private readonly client: PoolClient,
    private readonly cache: StatementCache,
  ) {}

  private check(): PoolClient {
    if (!this.open)
      throw new ConcordatError(
        'ERR_INTERNAL',
        'transaction used after it committed or rolled back',
      );
    return this.client;
  }

  async run(sql: Sql, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    return { changes: (await exec(this.check(), this.cache, sql, params)).changes };
  }
  async all(sql: Sql, params: readonly SqlValue[] = []): Promise<Row[]> {
    return (await exec(this.check(), this.cache, sql, params)).rows;
  }
  async get(sql: Sql, params: readonly SqlValue[] = []): Promise<Row | undefined> {
    return (await exec(this.check(), this.cache, sql, params)).rows[0];
  }
  insertMany(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    options?: InsertManyOptions,
  ): Promise<number> {
    return insertMany(this.check(), table, columns, rows, options);
  }
}

class PgDatabase implements Database, Queryable {
  readonly dialect = 'postgres' as const;
  schemaVersion = 0;
  private readonly cache = new StatementCache();

  constructor(private readonly pool: Pool) {}

  async run(sql: Sql, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    return { changes: (await exec(this.pool, this.cache, sql, params)).changes };
  }
  async all(sql: Sql, params: readonly SqlValue[] = []): Promise<Row[]> {
    return (await exec(this.pool, this.cache, sql, params)).rows;
  }
  async get(sql: Sql, params: readonly SqlValue[] = []): Promise<Row | undefined> {
    return (await exec(this.pool, this.cache, sql, params)).rows[0];
  }
  insertMany(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    options?: InsertManyOptions,
  ): Promise<number> {
    return this.transaction((tx) => tx.insertMany(table, columns, rows, options));
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx = new PgTransaction(client, this.cache);
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      tx.open = false;
      await client.query('COMMIT');
      return result;
    } catch (err) {
      tx.open = false;
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // A connection that cannot roll back is not returned to the pool.
        broken = rollbackError;
      }
      throw err;
    } finally {
      client.release(broken === undefined ? undefined : (broken as Error));
    }
  }

  async scrub(): Promise<ScrubReport> {
    // Data keys are few: rewriting their table drops the dead row versions that held wrapped
    // keys. VACUUM cannot run inside a transaction, so it runs on its own pool connection.
    await this.pool.query('VACUUM FULL data_keys');
    return {
      walTruncated: false,
      notes: [
        'postgresql keeps page images in its wal until segments are recycled, and wal archives ' +
          'and base backups keep them longer: they may still hold a wrapped data key, useless ' +
          'without the party kek but not destroyed, so keep them under the same retention window',
      ],
    };
  }

  async close(): Promise<void> {
    if (this.pool.ended) return;
    await this.pool.end();
  }
}

/**
 * Opens a PostgreSQL pool, checks the server answers and runs pending migrations (serialised
 * across processes by an advisory lock).
 */
export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.max ?? 4,
    types: typeOverrides,
  });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (cause) {
    await pool.end().catch(() => undefined);
    throw new ConcordatError('ERR_STORE_UNAVAILABLE', 'cannot reach postgresql', { cause });
  }
  const db = new PgDatabase(pool);
  try {
    db.schemaVersion = await runMigrations(db, (options.clock ?? systemClock).now());
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return db;
}
