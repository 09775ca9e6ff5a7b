/**
 * The schema, as numbered migrations. A migration is never edited once released; changes come
 * as a new number. Each has one statement list per dialect (SQLite INTEGER/BLOB, PostgreSQL
 * BIGINT/BYTEA); the tables, columns and constraints are the same.
 *
 * Times are epoch milliseconds (`_ms`) except `date_added_us` and `modified_us`, which are
 * microseconds: TAXII 2.1 §3.6 recommends microsecond `date_added` for pagination, and STIX
 * timestamps may carry sub-millisecond digits.
 */
import { checkpointCosignatures } from './migration-cosignatures.js';
import { escalationInputs } from './migration-escalation.js';
import { federationSync } from './migration-federation.js';
import { tokensAndWithdrawals } from './migration-tokens-withdrawals.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: readonly string[];
  readonly postgres: readonly string[];
}

function appendOnlySqlite(table: string): string[] {
  return ['UPDATE', 'DELETE'].map(
    (op) =>
      `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} ` +
      `BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
  );
}

function appendOnlyPostgres(table: string): string[] {
  return [
    `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} ` +
      `FOR EACH ROW EXECUTE FUNCTION concordat_append_only()`,
    `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} ` +
      `FOR EACH STATEMENT EXECUTE FUNCTION concordat_append_only()`,
  ];
}

function v1(d: 'sqlite' | 'postgres'): string[] {
  const INT = d === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const BLOB = d === 'sqlite' ? 'BLOB' : 'BYTEA';
  const LEN = d === 'sqlite' ? 'length' : 'octet_length';
  return [
    // Monotonic counters: taking the row lock serialises writers, so rows become visible in
    // the order of their sequence numbers and a TAXII cursor never skips a late commit.
    `CREATE TABLE store_counters (
       name TEXT PRIMARY KEY,
       value ${INT} NOT NULL,
       last_us ${INT} NOT NULL
     )`,
    `INSERT INTO store_counters (name, value, last_us) VALUES ('objects', 0, 0), ('ledger', 0, 0)`,
    `CREATE TABLE data_keys (
       key_id TEXT PRIMARY KEY,
       producer TEXT NOT NULL,
       window_start_ms ${INT} NOT NULL,
       window_end_ms ${INT} NOT NULL,
       kek_id TEXT NOT NULL,
       wrapped ${BLOB},
       created_ms ${INT} NOT NULL,
       shredded_at_ms ${INT},
       CHECK (window_start_ms < window_end_ms),
       CHECK ((wrapped IS NULL) = (shredded_at_ms IS NOT NULL))
     )`,
    // One live key per (producer, retention window).
    `CREATE UNIQUE INDEX data_keys_live ON data_keys (producer, window_end_ms)
       WHERE shredded_at_ms IS NULL`,
    `CREATE INDEX data_keys_due ON data_keys (window_end_ms) WHERE shredded_at_ms IS NULL`,
    `CREATE TABLE objects (
       seq ${INT} PRIMARY KEY,
       id TEXT NOT NULL,
       modified TEXT NOT NULL,
       modified_us ${INT} NOT NULL,
       date_added_us ${INT} NOT NULL,
       type TEXT NOT NULL,
       spec_version TEXT NOT NULL,
       collection TEXT NOT NULL,
       producer TEXT NOT NULL,
       tlp TEXT,
       revoked SMALLINT NOT NULL CHECK (revoked IN (0, 1)),
       retain_until_ms ${INT} NOT NULL,
       key_id TEXT NOT NULL REFERENCES data_keys (key_id),
       nonce ${BLOB},
       ciphertext ${BLOB},
       tag ${BLOB},
       content_hash ${BLOB} NOT NULL CHECK (${LEN}(content_hash) = 32),
       shredded_at_ms ${INT},
       CHECK ((shredded_at_ms IS NULL) = (ciphertext IS NOT NULL)),
       CHECK ((nonce IS NULL) = (ciphertext IS NULL) AND (tag IS NULL) = (ciphertext IS NULL)),
       CHECK (nonce IS NULL OR (${LEN}(nonce) = 12 AND ${LEN}(tag) = 16))
     )`,
    `CREATE UNIQUE INDEX objects_version ON objects (id, modified_us)`,
    `CREATE INDEX objects_added ON objects (date_added_us, seq)`,
    `CREATE INDEX objects_collection ON objects (collection, date_added_us, seq)`,
    `CREATE INDEX objects_producer ON objects (producer, date_added_us, seq)`,
    `CREATE INDEX objects_key ON objects (key_id)`,
    `CREATE TABLE ledger_entries (
       seq ${INT} PRIMARY KEY CHECK (seq >= 0),
       at_ms ${INT} NOT NULL,
       kind TEXT NOT NULL,
       body TEXT NOT NULL,
       leaf_hash ${BLOB} NOT NULL CHECK (${LEN}(leaf_hash) = 32)
     )`,
    `CREATE TABLE checkpoints (
       size ${INT} PRIMARY KEY CHECK (size >= 0),
       root ${BLOB} NOT NULL CHECK (${LEN}(root) = 32),
       text TEXT NOT NULL,
       at_ms ${INT} NOT NULL
     )`,
    ...(d === 'sqlite'
      ? [...appendOnlySqlite('ledger_entries'), ...appendOnlySqlite('checkpoints')]
      : [
          `CREATE FUNCTION concordat_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`,
          ...appendOnlyPostgres('ledger_entries'),
          ...appendOnlyPostgres('checkpoints'),
        ]),
  ];
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'objects-data-keys-ledger', sqlite: v1('sqlite'), postgres: v1('postgres') },
  {
    version: 2,
    name: 'api-tokens-withdrawals',
    sqlite: tokensAndWithdrawals('sqlite'),
    postgres: tokensAndWithdrawals('postgres'),
  },
  {
    version: 3,
    name: 'federation-sync',
    sqlite: federationSync('sqlite'),
    postgres: federationSync('postgres'),
  },
  {
    version: 4,
    name: 'escalation-inputs',
    sqlite: escalationInputs('sqlite'),
    postgres: escalationInputs('postgres'),
  },
  {
    version: 5,
    name: 'checkpoint-cosignatures',
    sqlite: checkpointCosignatures('sqlite'),
    postgres: checkpointCosignatures('postgres'),
  },
];
