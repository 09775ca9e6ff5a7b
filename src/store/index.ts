/**
 * store/: the node's database. One query layer (`Database`), two dialects (SQLite embedded by
 * default, PostgreSQL in production), migrations run at open, and typed repositories for object
 * versions, data keys and the ledger. Drivers are imported here and nowhere else.
 */
export type {
  Database,
  Dialect,
  InsertManyOptions,
  Queryable,
  Row,
  ScrubReport,
  Sql,
  SqlList,
  SqlValue,
  Transaction,
} from './database.js';
export { inList, placeholders, sqlFor } from './database.js';
export { openSqlite } from './sqlite.js';
export type { SqliteOptions } from './sqlite.js';
export { openPostgres } from './postgres.js';
export type { PostgresOptions } from './postgres.js';
export { MIGRATIONS } from './migrations.js';
export type { Migration } from './migrations.js';
export { runMigrations } from './migrate.js';
export { instantToMicros, microsToInstant } from './micros.js';
export { conflictError, decodeCursor, encodeCursor, objects } from './objects.js';
export type {
  Cursor,
  InsertResult,
  ObjectMeta,
  ObjectQuery,
  ObjectRecord,
  ObjectVersionInput,
  Page,
  SealedContent,
  ShreddedObjects,
  VersionSelector,
} from './objects.js';
export { sealedContent } from './sealed-content.js';
export type { SealedState } from './sealed-content.js';
export { dataKeys } from './data-keys.js';
export type { DataKeyInput, DataKeyRecord } from './data-keys.js';
export { ledgerEntries, checkpoints } from './ledger-entries.js';
export type { CheckpointRecord, LedgerEntryInput, LedgerEntryRecord } from './ledger-entries.js';
export { cosignatures } from './cosignatures.js';
export type { CosignatureRecord } from './cosignatures.js';
export { apiTokens } from './api-tokens.js';
export type { ApiTokenRecord } from './api-tokens.js';
export { withdrawals } from './withdrawals.js';
export type { WithdrawalRecord } from './withdrawals.js';
export { federationCursors, federationReceipts } from './federation.js';
export type { FederationCursor, FederationReceiptRecord, ReceiptRole } from './federation.js';
export { objectSignals } from './signals.js';
export type { ConfidenceSample, SignalCount, SignalTag } from './signals.js';
