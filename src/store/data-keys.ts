import type { Queryable, Row, Transaction } from './database.js';
import { bytesOrNull, int, intOrNull, text } from './row.js';

/** A data key: one per (producing party, retention window). */
export interface DataKeyRecord {
  readonly keyId: string;
  readonly producer: string;
  /** The window is (`windowStartMs`, `windowEndMs`]: objects due in it share this key. */
  readonly windowStartMs: number;
  /** The key is destroyed once this instant has passed. */
  readonly windowEndMs: number;
  /** The key-encryption key that wraps it. */
  readonly kekId: string;
  /** The wrapped key; `null` once shredded. */
  readonly wrapped: Uint8Array | null;
  readonly createdMs: number;
  readonly shreddedAtMs: number | null;
}

/** A new data key, wrapped. */
export type DataKeyInput = Omit<DataKeyRecord, 'shreddedAtMs' | 'wrapped'> & {
  readonly wrapped: Uint8Array;
};

const COLUMNS =
  'key_id, producer, window_start_ms, window_end_ms, kek_id, wrapped, created_ms, shredded_at_ms';

function toRecord(row: Row): DataKeyRecord {
  return {
    keyId: text(row, 'key_id'),
    producer: text(row, 'producer'),
    windowStartMs: int(row, 'window_start_ms'),
    windowEndMs: int(row, 'window_end_ms'),
    kekId: text(row, 'kek_id'),
    wrapped: bytesOrNull(row, 'wrapped'),
    createdMs: int(row, 'created_ms'),
    shreddedAtMs: intOrNull(row, 'shredded_at_ms'),
  };
}

/** Wrapped data keys. Key material is only ever stored wrapped; shredding erases it. */
export const dataKeys = {
  /** The live (not shredded) key of `producer` for the window ending at `windowEndMs`. */
  async findLive(
    q: Queryable,
    producer: string,
    windowEndMs: number,
  ): Promise<DataKeyRecord | undefined> {
    const row = await q.get(
      `SELECT ${COLUMNS} FROM data_keys
       WHERE producer = ? AND window_end_ms = ? AND shredded_at_ms IS NULL`,
      [producer, windowEndMs],
    );
    return row === undefined ? undefined : toRecord(row);
  },

  /**
   * Like {@link dataKeys.findLive}, for sealing: returns the id of the live key and holds it
   * live until `tx` ends. PostgreSQL takes a share lock on the row, so a concurrent shred waits
   * for this transaction and then also marks the objects it sealed; SQLite writers are
   * serialised already.
   */
  async lockLive(
    tx: Transaction,
    producer: string,
    windowEndMs: number,
  ): Promise<string | undefined> {
    const row = await tx.get(
      {
        sqlite: `SELECT key_id FROM data_keys
                 WHERE producer = ? AND window_end_ms = ? AND shredded_at_ms IS NULL`,
        postgres: `SELECT key_id FROM data_keys
                   WHERE producer = ? AND window_end_ms = ? AND shredded_at_ms IS NULL FOR SHARE`,
      },
      [producer, windowEndMs],
    );
    return row === undefined ? undefined : text(row, 'key_id');
  },

  /** A key by id, shredded or not. */
  async get(q: Queryable, keyId: string): Promise<DataKeyRecord | undefined> {
    const row = await q.get(`SELECT ${COLUMNS} FROM data_keys WHERE key_id = ?`, [keyId]);
    return row === undefined ? undefined : toRecord(row);
  },

  /**
   * Stores a new key unless a live key for the same (producer, window) exists already (another
   * transaction won the race). Returns whether this one was stored.
   */
  async insert(tx: Transaction, key: DataKeyInput): Promise<boolean> {
    const { changes } = await tx.run(
      `INSERT INTO data_keys (key_id, producer, window_start_ms, window_end_ms, kek_id, wrapped,
         created_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (producer, window_end_ms) WHERE shredded_at_ms IS NULL DO NOTHING`,
      [
        key.keyId,
        key.producer,
        key.windowStartMs,
        key.windowEndMs,
        key.kekId,
        key.wrapped,
        key.createdMs,
      ],
    );
    return changes === 1;
  },

  /** Live keys whose window has ended by `nowMs`: oldest window first, then by producer. */
  async due(q: Queryable, nowMs: number): Promise<DataKeyRecord[]> {
    const rows = await q.all(
      `SELECT ${COLUMNS} FROM data_keys
       WHERE shredded_at_ms IS NULL AND window_end_ms <= ? ORDER BY window_end_ms, producer, key_id`,
      [nowMs],
    );
    return rows.map(toRecord);
  },

  /** Erases the wrapped key and records when. Returns whether a live key was shredded. */
  async shred(tx: Transaction, keyId: string, atMs: number): Promise<boolean> {
    const { changes } = await tx.run(
      `UPDATE data_keys SET wrapped = NULL, shredded_at_ms = ?
       WHERE key_id = ? AND shredded_at_ms IS NULL`,
      [atMs, keyId],
    );
    return changes === 1;
  },

  /** Every key, shredded ones included, by window. */
  async list(q: Queryable): Promise<DataKeyRecord[]> {
    return (
      await q.all(`SELECT ${COLUMNS} FROM data_keys ORDER BY window_end_ms, producer, key_id`)
    ).map(toRecord);
  },
};
