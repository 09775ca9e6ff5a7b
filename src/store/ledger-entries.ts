import { ConcordatError } from '../core/index.js';
import type { Queryable, Row, Transaction } from './database.js';
import { allocate } from './counters.js';
import { bytes, int, text } from './row.js';

/** A ledger entry as the ledger module hands it over: the leaf hash is computed there. */
export interface LedgerEntryInput {
  /** Epoch ms. */
  readonly atMs: number;
  /** `ingest`, `release`, `decision`, `shred`, ... (the ledger module owns the vocabulary). */
  readonly kind: string;
  /** The entry body, JSON text: hashes, ids and metadata, never intel content. */
  readonly body: string;
  /** RFC 6962 leaf hash of the entry, 32 bytes. */
  readonly leafHash: Uint8Array;
}

/** A stored ledger entry; `seq` is its leaf index, from 0 without gaps. */
export interface LedgerEntryRecord extends LedgerEntryInput {
  readonly seq: number;
}

/** A tree head as stored: the signed note text and the root it commits to. */
export interface CheckpointRecord {
  /** Tree size: number of leaves covered. */
  readonly size: number;
  readonly root: Uint8Array;
  /** The checkpoint text (C2SP signed note). */
  readonly text: string;
  readonly atMs: number;
}

function toEntry(row: Row): LedgerEntryRecord {
  return {
    seq: int(row, 'seq'),
    atMs: int(row, 'at_ms'),
    kind: text(row, 'kind'),
    body: text(row, 'body'),
    leafHash: bytes(row, 'leaf_hash'),
  };
}

function toCheckpoint(row: Row): CheckpointRecord {
  return {
    size: int(row, 'size'),
    root: bytes(row, 'root'),
    text: text(row, 'text'),
    atMs: int(row, 'at_ms'),
  };
}

/**
 * The ledger's entries. Append-only: there is no update or delete here, and database triggers
 * refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) on the table as well.
 */
export const ledgerEntries = {
  /**
   * Appends entries at the end of the ledger, in order, and returns the leaf index of the
   * first. The `ledger` counter's row lock serialises appenders, so indices have no gaps.
   */
  append(tx: Transaction, entries: readonly LedgerEntryInput[]): Promise<number> {
    return ledgerEntries.appendWith(tx, entries.length, (_seq, i) => {
      const e = entries[i];
      if (e === undefined) throw new ConcordatError('ERR_INTERNAL', `no ledger entry at \`${i}\``);
      return e;
    });
  },

  /**
   * Appends `count` entries built from their leaf index: the ledger hashes `seq` into each
   * leaf, so the hash can only be computed once the index is allocated, inside the
   * transaction. Returns the first index.
   */
  async appendWith(
    tx: Transaction,
    count: number,
    build: (seq: number, i: number) => LedgerEntryInput,
  ): Promise<number> {
    if (count === 0) return ledgerEntries.size(tx);
    const { firstSeq } = await allocate(tx, 'ledger', count, 0);
    const rows = Array.from({ length: count }, (_, i) => {
      const e = build(firstSeq + i, i);
      if (e.leafHash.length !== 32)
        throw new ConcordatError('ERR_LEDGER_ENTRY_INVALID', 'leaf hash must be 32 bytes');
      return [firstSeq + i, e.atMs, e.kind, e.body, e.leafHash];
    });
    await tx.insertMany('ledger_entries', ['seq', 'at_ms', 'kind', 'body', 'leaf_hash'], rows);
    return firstSeq;
  },

  /** Number of entries (the tree size). */
  async size(q: Queryable): Promise<number> {
    const row = await q.get("SELECT value FROM store_counters WHERE name = 'ledger'");
    return row === undefined ? 0 : int(row, 'value');
  },

  /** The entry at leaf index `seq`. */
  async get(q: Queryable, seq: number): Promise<LedgerEntryRecord | undefined> {
    const row = await q.get(
      'SELECT seq, at_ms, kind, body, leaf_hash FROM ledger_entries WHERE seq = ?',
      [seq],
    );
    return row === undefined ? undefined : toEntry(row);
  },

  /** Entries with `from <= seq < to`, in order. */
  async range(q: Queryable, from: number, to: number): Promise<LedgerEntryRecord[]> {
    return (
      await q.all(
        'SELECT seq, at_ms, kind, body, leaf_hash FROM ledger_entries WHERE seq >= ? AND seq < ? ORDER BY seq',
        [from, to],
      )
    ).map(toEntry);
  },

  /** Leaf hashes with `from <= seq < to`, in order (tree building without the bodies). */
  async leafHashes(q: Queryable, from: number, to: number): Promise<Uint8Array[]> {
    return (
      await q.all('SELECT leaf_hash FROM ledger_entries WHERE seq >= ? AND seq < ? ORDER BY seq', [
        from,
        to,
      ])
    ).map((row) => bytes(row, 'leaf_hash'));
  },
};

/** Signed tree heads. Append-only like the entries; sizes only grow. */
export const checkpoints = {
  /**
   * Stores a checkpoint. Its size must not exceed the ledger and must be larger than the
   * latest stored checkpoint's (a tree head never goes back).
   */
  async append(tx: Transaction, cp: CheckpointRecord): Promise<void> {
    // Lock the ledger counter row so concurrent appenders of entries or checkpoints serialise.
    await tx.run("UPDATE store_counters SET value = value WHERE name = 'ledger'");
    const size = await ledgerEntries.size(tx);
    const latest = await checkpoints.latest(tx);
    if (cp.size > size || (latest !== undefined && cp.size <= latest.size))
      throw new ConcordatError(
        'ERR_LEDGER_RANGE',
        `checkpoint size \`${cp.size}\` must be above \`${latest?.size ?? -1}\` and at most \`${size}\``,
      );
    await tx.run('INSERT INTO checkpoints (size, root, text, at_ms) VALUES (?, ?, ?, ?)', [
      cp.size,
      cp.root,
      cp.text,
      cp.atMs,
    ]);
  },

  /** The checkpoint with the largest size. */
  async latest(q: Queryable): Promise<CheckpointRecord | undefined> {
    const row = await q.get(
      'SELECT size, root, text, at_ms FROM checkpoints ORDER BY size DESC LIMIT 1',
    );
    return row === undefined ? undefined : toCheckpoint(row);
  },

  /** The checkpoint for tree size `size`. */
  async get(q: Queryable, size: number): Promise<CheckpointRecord | undefined> {
    const row = await q.get('SELECT size, root, text, at_ms FROM checkpoints WHERE size = ?', [
      size,
    ]);
    return row === undefined ? undefined : toCheckpoint(row);
  },

  /** Every checkpoint, smallest first. */
  async list(q: Queryable): Promise<CheckpointRecord[]> {
    return (await q.all('SELECT size, root, text, at_ms FROM checkpoints ORDER BY size')).map(
      toCheckpoint,
    );
  },
};
