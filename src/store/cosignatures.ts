import { ConcordatError } from '../core/index.js';
import type { Queryable, Row, Transaction } from './database.js';
import { int, text } from './row.js';

/** One witness's cosignature of a stored checkpoint. */
export interface CosignatureRecord {
  /** The size of the checkpoint it signs (a row of `checkpoints`). */
  readonly size: number;
  /** The witness's C2SP signed-note key name. */
  readonly witness: string;
  /** The C2SP key ID of the witness key (uint32). */
  readonly keyId: number;
  /** The signature line, `— <name> <base64>`, without its newline. */
  readonly line: string;
  /** When the node received it (epoch ms). */
  readonly receivedMs: number;
}

function toRecord(row: Row): CosignatureRecord {
  return {
    size: int(row, 'size'),
    witness: text(row, 'witness'),
    keyId: int(row, 'key_id'),
    line: text(row, 'line'),
    receivedMs: int(row, 'received_ms'),
  };
}

const COLUMNS = 'size, witness, key_id, line, received_ms';

/**
 * Witnesses' cosignatures of the node's checkpoints. Append-only: there is no update or
 * delete here, and database triggers refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE). The
 * caller verifies a line before storing it; the store only keeps one per (size, witness).
 */
export const cosignatures = {
  /**
   * Stores a cosignature. Returns `true` when it was new, `false` when the same witness's
   * identical line for that size was already stored (idempotent). Throws
   * `ERR_CHECKPOINT_INVALID` when the witness already cosigned that size with another line
   * (nothing written), and `ERR_NOT_FOUND` when no checkpoint of that size is stored.
   */
  async insert(tx: Transaction, c: CosignatureRecord): Promise<boolean> {
    const cp = await tx.get('SELECT size FROM checkpoints WHERE size = ?', [c.size]);
    if (cp === undefined)
      throw new ConcordatError('ERR_NOT_FOUND', `no checkpoint of size \`${c.size}\``);
    // ON CONFLICT DO NOTHING: a concurrent identical insert is not an error; the row read
    // below decides whether the stored line is this one.
    const { changes } = await tx.run(
      `INSERT INTO checkpoint_cosignatures (${COLUMNS}) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (size, witness) DO NOTHING`,
      [c.size, c.witness, c.keyId, c.line, c.receivedMs],
    );
    if (changes === 1) return true;
    const row = await tx.get(
      `SELECT ${COLUMNS} FROM checkpoint_cosignatures WHERE size = ? AND witness = ?`,
      [c.size, c.witness],
    );
    const stored = row === undefined ? undefined : toRecord(row);
    if (stored !== undefined && stored.line === c.line && stored.keyId === c.keyId) return false;
    throw new ConcordatError(
      'ERR_CHECKPOINT_INVALID',
      `witness \`${c.witness}\` already cosigned the checkpoint of size \`${c.size}\` with another signature line`,
      { details: { size: c.size, witness: c.witness } },
    );
  },

  /** The cosignatures of the checkpoint of `size`, by witness name. */
  async listForSize(q: Queryable, size: number): Promise<CosignatureRecord[]> {
    return (
      await q.all(
        `SELECT ${COLUMNS} FROM checkpoint_cosignatures WHERE size = ? ORDER BY witness`,
        [size],
      )
    ).map(toRecord);
  },

  /** The largest checkpoint size any witness cosigned, if any. */
  async latestCosignedSize(q: Queryable): Promise<number | undefined> {
    const row = await q.get('SELECT MAX(size) AS size FROM checkpoint_cosignatures');
    return row === undefined || row['size'] === null || row['size'] === undefined
      ? undefined
      : int(row, 'size');
  },
};
