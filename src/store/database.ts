/**
 * The one query layer both dialects implement. Repositories write SQL once with `?`
 * placeholders (the PostgreSQL dialect rewrites them to `$1, $2, ...`) and, where the dialects
 * differ, a `{ sqlite, postgres }` pair. Statements are prepared once per connection and reused.
 *
 * Writes take a {@link Transaction}, never a bare {@link Queryable}: everything one operation
 * writes happens in one transaction, and an error rolls all of it back.
 */

/** The two dialects: embedded SQLite (the default) and PostgreSQL. */
export type Dialect = 'sqlite' | 'postgres';

/**
 * A value bound to a placeholder. Booleans are stored as 0/1 in both dialects. A list binds as
 * a PostgreSQL array (`= ANY(?)`) or as JSON text for SQLite (`IN (SELECT value FROM
 * json_each(?))`); {@link inList} writes the matching SQL.
 */
export type SqlValue = string | number | bigint | Uint8Array | null | SqlList;

/** A list parameter: strings or numbers. */
export type SqlList = readonly string[] | readonly number[];

/** One result row, column name → value (INTEGER/BIGINT as `number`, BLOB/BYTEA as `Buffer`). */
export type Row = Readonly<Record<string, unknown>>;

/** SQL text shared by both dialects, or one text per dialect. */
export type Sql = string | { readonly sqlite: string; readonly postgres: string };

/** Something statements can run on: the database itself (auto-commit) or a transaction. */
export interface Queryable {
  readonly dialect: Dialect;
  /** Runs a statement; `changes` is the number of rows inserted, updated or deleted. */
  run(sql: Sql, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /** Every row the statement returns. */
  all(sql: Sql, params?: readonly SqlValue[]): Promise<Row[]>;
  /** The first row the statement returns, if any. */
  get(sql: Sql, params?: readonly SqlValue[]): Promise<Row | undefined>;
  /**
   * Inserts many rows into `table` (SQLite: one prepared statement run per row; PostgreSQL:
   * multi-row `VALUES` in chunks). Returns the number of rows inserted. With
   * `ignoreDuplicates`, a row that would violate a unique constraint is skipped
   * (`ON CONFLICT DO NOTHING`) instead of failing the statement.
   */
  insertMany(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    options?: InsertManyOptions,
  ): Promise<number>;
}

/** Options of {@link Queryable.insertMany}. */
export interface InsertManyOptions {
  readonly ignoreDuplicates?: boolean;
}

/** A queryable inside an open transaction. Only repositories' write methods ask for one. */
export interface Transaction extends Queryable {
  readonly inTransaction: true;
}

/** What {@link Database.scrub} did to remove freed data from the database files. */
export interface ScrubReport {
  /** SQLite: the WAL was checkpointed into the main file and truncated to zero bytes. */
  readonly walTruncated: boolean;
  /** Why scrubbing could not do more (PostgreSQL WAL, readers holding the WAL open, ...). */
  readonly notes: readonly string[];
}

/** An open database: migrated, ready, one connection (SQLite) or a pool (PostgreSQL). */
export interface Database extends Queryable {
  /**
   * Runs `fn` in one transaction and commits; if `fn` throws, rolls back and rethrows.
   * SQLite transactions start `IMMEDIATE` and are serialised in this process.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /**
   * Pushes freed pages and old page images out of the database files after a shred.
   * SQLite: checkpoints and truncates the WAL (deleted cells are already zeroed by
   * `secure_delete`). PostgreSQL: `VACUUM FULL data_keys` (a brief exclusive lock on that small
   * table) drops the dead row versions that held wrapped keys; its WAL is out of reach, which
   * the report's notes say.
   */
  scrub(): Promise<ScrubReport>;
  /** Schema version after migrations ran at open. */
  readonly schemaVersion: number;
  /** Closes the connection or pool; later calls fail. */
  close(): Promise<void>;
}

/** Picks the text for `dialect` from an {@link Sql}. */
export function sqlFor(sql: Sql, dialect: Dialect): string {
  return typeof sql === 'string' ? sql : sql[dialect];
}

/** `?, ?, ?` for `n` placeholders (n ≥ 1). */
export function placeholders(n: number): string {
  return new Array<string>(n).fill('?').join(', ');
}

/**
 * `column IN list` with the list bound as ONE parameter, so the statement text (and its
 * prepared statement) does not change with the list's length.
 */
export function inList(dialect: Dialect, column: string): string {
  return dialect === 'sqlite'
    ? `${column} IN (SELECT value FROM json_each(?))`
    : `${column} = ANY(?)`;
}
