/**
 * Withdrawn object versions (migration 2): TAXII 2.1 Delete An Object by its producer. One row
 * per version, naming the leaf index of the `withdraw` ledger entry that records it.
 * Append-only (triggers refuse UPDATE and DELETE).
 */
import type { Queryable, Row, Transaction } from './database.js';
import { int, text } from './row.js';

/** One withdrawn version. */
export interface WithdrawalRecord {
  readonly producer: string;
  readonly objectId: string;
  /** The STIX `modified` of the version, as stored. */
  readonly version: string;
  readonly atMs: number;
  /** Leaf index of the ledger entry recording the withdrawal. */
  readonly ledgerSeq: number;
}

function toRecord(row: Row): WithdrawalRecord {
  return {
    producer: text(row, 'producer'),
    objectId: text(row, 'object_id'),
    version: text(row, 'version'),
    atMs: int(row, 'at_ms'),
    ledgerSeq: int(row, 'ledger_seq'),
  };
}

/** The `withdrawals` table. */
export const withdrawals = {
  /** Records versions as withdrawn; a version already withdrawn keeps its first record. */
  async insert(tx: Transaction, records: readonly WithdrawalRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    return tx.insertMany(
      'withdrawals',
      ['producer', 'object_id', 'version', 'at_ms', 'ledger_seq'],
      records.map((r) => [r.producer, r.objectId, r.version, r.atMs, r.ledgerSeq]),
      { ignoreDuplicates: true },
    );
  },

  /** Every withdrawal, in ledger order. */
  async list(q: Queryable): Promise<WithdrawalRecord[]> {
    const rows = await q.all(
      'SELECT producer, object_id, version, at_ms, ledger_seq FROM withdrawals ORDER BY ledger_seq, object_id, version',
    );
    return rows.map(toRecord);
  },

  /** How many versions are withdrawn. */
  async count(q: Queryable): Promise<number> {
    const row = await q.get('SELECT COUNT(*) AS n FROM withdrawals');
    return row === undefined ? 0 : int(row, 'n');
  },
};
