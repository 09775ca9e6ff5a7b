import BetterSqlite3 from 'better-sqlite3';
import { ConcordatError, systemClock } from '../core/index.js';
import type { Clock } from '../core/index.js';
import type {
  Database,
  InsertManyOptions,
  Row,
  ScrubReport,
  Sql,
  SqlValue,
  Transaction,
} from './database.js';
import { placeholders, sqlFor } from './database.js';
import { runMigrations } from './migrate.js';
import { Mutex } from '../core/index.js';

/** Options for {@link openSqlite}. */
export interface SqliteOptions {
  /** Database file. `:memory:` works for experiments but has no WAL and no durability. */
  readonly path: string;
  /** How long a writer waits for another process's lock, in ms (default 5000). */
  readonly busyTimeoutMs?: number;
  /** Clock for the migrations table (default: the system clock). */
  readonly clock?: Clock;
  /** Page cache size in KiB (default {@link DEFAULT_CACHE_KIB}, at least 2,048). */
  readonly cacheKiB?: number;
}

/** Default page cache: 64 MiB, about the `objects_version` index of a million object versions. */
export const DEFAULT_CACHE_KIB = 65_536;

type Statement = BetterSqlite3.Statement<unknown[], Row>;

function bind(params: readonly SqlValue[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    // better-sqlite3 binds Buffers, not bare Uint8Arrays; lists go in as JSON for json_each.
    const q =
      p instanceof Uint8Array && !Buffer.isBuffer(p)
        ? Buffer.from(p.buffer, p.byteOffset, p.byteLength)
        : Array.isArray(p)
          ? JSON.stringify(p)
          : p;
    if (q !== p) (out ??= [...params])[i] = q;
  }
  return out ?? (params as unknown[]);
}

/** Statement execution on the one connection, with a per-connection prepared-statement cache. */
class SqliteExecutor {
  readonly dialect = 'sqlite' as const;
  private readonly cache = new Map<string, Statement>();

  constructor(readonly conn: BetterSqlite3.Database) {}

  prepare(sql: Sql): Statement {
    const text = sqlFor(sql, 'sqlite');
    let stmt = this.cache.get(text);
    if (stmt === undefined) {
      stmt = this.conn.prepare<unknown[], Row>(text);
      this.cache.set(text, stmt);
    }
    return stmt;
  }

  run(sql: Sql, params: readonly SqlValue[]): { changes: number } {
    return { changes: this.prepare(sql).run(bind(params)).changes };
  }

  all(sql: Sql, params: readonly SqlValue[]): Row[] {
    return this.prepare(sql).all(bind(params));
  }

  get(sql: Sql, params: readonly SqlValue[]): Row | undefined {
    return this.prepare(sql).get(bind(params));
  }

  insertMany(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    options: InsertManyOptions = {},
  ): number {
    const stmt = this.prepare(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders(columns.length)})` +
        (options.ignoreDuplicates === true ? ' ON CONFLICT DO NOTHING' : ''),
    );
    let n = 0;
    for (const row of rows) n += stmt.run(bind(row)).changes;
    return n;
  }
}

class SqliteTransaction implements Transaction {
  readonly inTransaction = true as const;
  readonly dialect = 'sqlite' as const;
  open = true;

  constructor(private readonly ex: SqliteExecutor) {}

  private check(): SqliteExecutor {
    if (!this.open)
      throw new ConcordatError(
        'ERR_INTERNAL',
        'transaction used after it committed or rolled back',
      );
    return this.ex;
  }

  async run(sql: Sql, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    return this.check().run(sql, params);
  }
  async all(sql: Sql, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.check().all(sql, params);
  }
  async get(sql: Sql, params: readonly SqlValue[] = []): Promise<Row | undefined> {
    return this.check().get(sql, params);
  }
  async insertMany(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    options?: InsertManyOptions,
  ): Promise<number> {
    return this.check().insertMany(table, columns, rows, options);
  }
}

class SqliteDatabase implements Database {
  readonly dialect = 'sqlite' as const;
  schemaVersion = 0;
  private readonly mutex = new Mutex();
  private closed = false;

  constructor(private readonly ex: SqliteExecutor) {}

  private locked<T>(fn: () => T): Promise<T> {
    return this.mutex.lock(async () => {
      if (this.closed) throw new ConcordatError('ERR_STORE_UNAVAILABLE', 'database is closed');
      return fn();
    });
  }

  run(sql: Sql, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    return this.locked(() => this.ex.run(sql, params));
  }
  all(sql: Sql, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.locked(() => this.ex.all(sql, params));
  }
  get(sql: Sql, params: readonly SqlValue[] = []): Promise<Row | undefined> {
    return this.locked(() => this.ex.get(sql, params));
  }
  insertMany(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    options?: InsertManyOptions,
  ): Promise<number> {
    return this.transaction(async (tx) => tx.insertMany(table, columns, rows, options));
  }

  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.mutex.lock(async () => {
      if (this.closed) throw new ConcordatError('ERR_STORE_UNAVAILABLE', 'database is closed');
      const conn = this.ex.conn;
      // IMMEDIATE takes the write lock now, so two processes never deadlock upgrading a read.
      conn.prepare('BEGIN IMMEDIATE').run();
      const tx = new SqliteTransaction(this.ex);
      try {
        const result = await fn(tx);
        tx.open = false;
        conn.prepare('COMMIT').run();
        return result;
      } catch (err) {
        tx.open = false;
        if (conn.inTransaction) conn.prepare('ROLLBACK').run();
        throw err;
      }
    });
  }

  scrub(): Promise<ScrubReport> {
    return this.locked(() => {
      // Deleted cells are zeroed in place (secure_delete), but the WAL still holds the page
      // images written before the delete. TRUNCATE copies the WAL back and cuts it to 0 bytes.
      const row = this.ex.conn.pragma('wal_checkpoint(TRUNCATE)', { simple: false }) as {
        busy: number;
      }[];
      const busy = row[0]?.busy ?? 1;
      return busy === 0
        ? { walTruncated: true, notes: [] }
        : {
            walTruncated: false,
            notes: ['another connection holds the wal open; run scrub again when it is idle'],
          };
    });
  }

  close(): Promise<void> {
    return this.mutex.lock(async () => {
      if (this.closed) return;
      this.closed = true;
      this.ex.conn.close();
    });
  }
}

/**
 * Opens (creating if needed) a SQLite database and runs pending migrations. Durability and
 * hygiene pragmas: WAL journal, `synchronous=FULL` (an acknowledged commit survives power
 * loss, DESIGN invariant 6), `secure_delete=ON` (deleted content is zeroed, which shredding
 * relies on), foreign keys on, and a busy timeout for other processes' locks.
 */
export async function openSqlite(options: SqliteOptions): Promise<Database> {
  let conn: BetterSqlite3.Database;
  try {
    conn = new BetterSqlite3(options.path);
  } catch (cause) {
    throw new ConcordatError(
      'ERR_STORE_UNAVAILABLE',
      `cannot open sqlite database \`${options.path}\``,
      {
        cause,
      },
    );
  }
  try {
    conn.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    const mode = conn.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal' && options.path !== ':memory:')
      throw new ConcordatError(
        'ERR_STORE_UNAVAILABLE',
        `sqlite refused wal mode (got \`${String(mode)}\`)`,
      );
    conn.pragma('synchronous = FULL');
    conn.pragma('secure_delete = ON');
    conn.pragma('foreign_keys = ON');
    // Page cache (default 2 MiB): object versions are keyed by random UUIDs, so every ingest
    // batch probes and updates pages all over the `objects_version` index; once that index
    // outgrows the cache each probe is a read from the file. Memory only: durability is the
    // WAL's and `synchronous`'s business, unchanged.
    const cacheKiB = options.cacheKiB ?? DEFAULT_CACHE_KIB;
    conn.pragma(
      `cache_size = -${Number.isFinite(cacheKiB) ? Math.max(2048, Math.trunc(cacheKiB)) : DEFAULT_CACHE_KIB}`,
    );
    const db = new SqliteDatabase(new SqliteExecutor(conn));
    db.schemaVersion = await runMigrations(db, (options.clock ?? systemClock).now());
    return db;
  } catch (err) {
    conn.close();
    throw err;
  }
}
