/**
 * Federation sync state (migration 3): pull cursors per (peer, api root, collection) and
 * signed receipts on both sides of a transfer. See `migration-federation.ts` for why each
 * column exists. Receipts hold ids, versions and hashes only.
 */
import type { Queryable, Row, Transaction } from './database.js';
import { bytes, int, intOrNull, text } from './row.js';

/** Where the pull from one peer collection stands. */
export interface FederationCursor {
  readonly peer: string;
  readonly apiRoot: string;
  readonly collection: string;
  /** TAXII `added_after` to ask with next: the last ingested page's `date_added` (RFC 3339). */
  readonly addedAfter: string;
  readonly pages: number;
  readonly objects: number;
  readonly updatedMs: number;
}

/** Which side of a transfer a stored receipt is. */
export type ReceiptRole = 'sent' | 'acknowledged';

/** A stored signed receipt. */
export interface FederationReceiptRecord {
  /** SHA-256 of the canonical receipt (without its signature). */
  readonly receiptHash: Uint8Array;
  readonly role: ReceiptRole;
  readonly producer: string;
  readonly receiver: string;
  readonly agreementId: string;
  /** Leaf index of this node's `receipt` / `receipt-acknowledged` ledger entry. */
  readonly ledgerSeq: number;
  /** The signed receipt, JSON text. */
  readonly receipt: string;
  readonly createdMs: number;
  /** `sent` receipts: when the producer acknowledged it; null while undelivered. */
  readonly deliveredMs: number | null;
}

const RECEIPT_COLUMNS =
  'receipt_hash, role, producer, receiver, agreement_id, ledger_seq, receipt, created_ms, delivered_ms';

function toCursor(row: Row): FederationCursor {
  return {
    peer: text(row, 'peer'),
    apiRoot: text(row, 'api_root'),
    collection: text(row, 'collection'),
    addedAfter: text(row, 'added_after'),
    pages: int(row, 'pages'),
    objects: int(row, 'objects'),
    updatedMs: int(row, 'updated_ms'),
  };
}

function toReceipt(row: Row): FederationReceiptRecord {
  return {
    receiptHash: bytes(row, 'receipt_hash'),
    role: text(row, 'role') as ReceiptRole,
    producer: text(row, 'producer'),
    receiver: text(row, 'receiver'),
    agreementId: text(row, 'agreement_id'),
    ledgerSeq: int(row, 'ledger_seq'),
    receipt: text(row, 'receipt'),
    createdMs: int(row, 'created_ms'),
    deliveredMs: intOrNull(row, 'delivered_ms'),
  };
}

/** The `federation_cursors` table. */
export const federationCursors = {
  /** The cursor of one peer collection, if a page was ever ingested from it. */
  async get(
    q: Queryable,
    peer: string,
    apiRoot: string,
    collection: string,
  ): Promise<FederationCursor | undefined> {
    const row = await q.get(
      'SELECT * FROM federation_cursors WHERE peer = ? AND api_root = ? AND collection = ?',
      [peer, apiRoot, collection],
    );
    return row === undefined ? undefined : toCursor(row);
  },

  /** Every cursor, optionally of one peer, ordered by peer, root and collection. */
  async list(q: Queryable, peer?: string): Promise<FederationCursor[]> {
    const rows =
      peer === undefined
        ? await q.all('SELECT * FROM federation_cursors ORDER BY peer, api_root, collection')
        : await q.all(
            'SELECT * FROM federation_cursors WHERE peer = ? ORDER BY api_root, collection',
            [peer],
          );
    return rows.map(toCursor);
  },

  /** Sets the cursor, adding one page of `objects` objects to its counters. */
  async advance(
    tx: Transaction,
    c: { peer: string; apiRoot: string; collection: string; addedAfter: string; objects: number },
    nowMs: number,
  ): Promise<void> {
    await tx.run(
      `INSERT INTO federation_cursors (peer, api_root, collection, added_after, pages, objects, updated_ms)
       VALUES (?, ?, ?, ?, 1, ?, ?)
       ON CONFLICT (peer, api_root, collection) DO UPDATE SET
         added_after = excluded.added_after,
         pages = federation_cursors.pages + 1,
         objects = federation_cursors.objects + excluded.objects,
         updated_ms = excluded.updated_ms`,
      [c.peer, c.apiRoot, c.collection, c.addedAfter, c.objects, nowMs],
    );
  },
};

/** The `federation_receipts` table. */
export const federationReceipts = {
  /** Stores a receipt; returns false (and changes nothing) when it is already stored. */
  async insert(
    tx: Transaction,
    r: Omit<FederationReceiptRecord, 'deliveredMs'> & { readonly deliveredMs?: number | null },
  ): Promise<boolean> {
    const n = await tx.insertMany(
      'federation_receipts',
      [
        'receipt_hash',
        'role',
        'producer',
        'receiver',
        'agreement_id',
        'ledger_seq',
        'receipt',
        'created_ms',
        'delivered_ms',
      ],
      [
        [
          r.receiptHash,
          r.role,
          r.producer,
          r.receiver,
          r.agreementId,
          r.ledgerSeq,
          r.receipt,
          r.createdMs,
          r.deliveredMs ?? null,
        ],
      ],
      { ignoreDuplicates: true },
    );
    return n > 0;
  },

  /** The receipt with this hash in this role, if stored. */
  async get(
    q: Queryable,
    receiptHash: Uint8Array,
    role: ReceiptRole,
  ): Promise<FederationReceiptRecord | undefined> {
    const row = await q.get(
      `SELECT ${RECEIPT_COLUMNS} FROM federation_receipts WHERE receipt_hash = ? AND role = ?`,
      [receiptHash, role],
    );
    return row === undefined ? undefined : toReceipt(row);
  },

  /** `sent` receipts the producer has not acknowledged yet, oldest first. */
  async undelivered(q: Queryable, producer?: string): Promise<FederationReceiptRecord[]> {
    const rows = await q.all(
      `SELECT ${RECEIPT_COLUMNS} FROM federation_receipts
       WHERE role = 'sent' AND delivered_ms IS NULL ${producer === undefined ? '' : 'AND producer = ?'}
       ORDER BY created_ms, ledger_seq`,
      producer === undefined ? [] : [producer],
    );
    return rows.map(toReceipt);
  },

  /** Marks a `sent` receipt delivered (once; a later call keeps the first time). */
  async delivered(tx: Transaction, receiptHash: Uint8Array, nowMs: number): Promise<void> {
    await tx.run(
      `UPDATE federation_receipts SET delivered_ms = ?
       WHERE receipt_hash = ? AND role = 'sent' AND delivered_ms IS NULL`,
      [nowMs, receiptHash],
    );
  },

  /** Receipts in `role` whose producer is `producer`, in ledger order. */
  async byProducer(
    q: Queryable,
    role: ReceiptRole,
    producer: string,
  ): Promise<FederationReceiptRecord[]> {
    const rows = await q.all(
      `SELECT ${RECEIPT_COLUMNS} FROM federation_receipts WHERE role = ? AND producer = ? ORDER BY ledger_seq`,
      [role, producer],
    );
    return rows.map(toReceipt);
  },
};
