/**
 * Migration 3: federation sync state (issue 6). Kept in its own file so the migrations list
 * changes by one entry. Released migrations are never edited.
 *
 * - `federation_cursors`: where the pull from one peer's collection stands — the TAXII
 *   `X-TAXII-Date-Added-Last` of the last page whose objects were ingested, per
 *   (peer party, api root url, collection id). Advanced in the same transaction as the page's
 *   `receipt` ledger entry, after the page's ingest committed, so a killed node resumes
 *   without loss (a re-pulled page is an idempotent re-ingest).
 * - `federation_receipts`: signed receipts, on both sides. `sent`: this node received a page
 *   and signed the receipt (`delivered_ms` is set once the producer acknowledged it);
 *   `acknowledged`: this node produced the objects and verified the receiver's signature.
 *   The receipt text holds ids, versions and hashes only — never content.
 */

/** The statements of migration 3 for `d`. */
export function federationSync(d: 'sqlite' | 'postgres'): string[] {
  const INT = d === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const BLOB = d === 'sqlite' ? 'BLOB' : 'BYTEA';
  const LEN = d === 'sqlite' ? 'length' : 'octet_length';
  return [
    `CREATE TABLE federation_cursors (
       peer TEXT NOT NULL,
       api_root TEXT NOT NULL,
       collection TEXT NOT NULL,
       added_after TEXT NOT NULL,
       pages ${INT} NOT NULL CHECK (pages >= 0),
       objects ${INT} NOT NULL CHECK (objects >= 0),
       updated_ms ${INT} NOT NULL,
       PRIMARY KEY (peer, api_root, collection)
     )`,
    `CREATE TABLE federation_receipts (
       receipt_hash ${BLOB} NOT NULL CHECK (${LEN}(receipt_hash) = 32),
       role TEXT NOT NULL CHECK (role IN ('sent', 'acknowledged')),
       producer TEXT NOT NULL,
       receiver TEXT NOT NULL,
       agreement_id TEXT NOT NULL,
       ledger_seq ${INT} NOT NULL CHECK (ledger_seq >= 0),
       receipt TEXT NOT NULL,
       created_ms ${INT} NOT NULL,
       delivered_ms ${INT},
       PRIMARY KEY (receipt_hash, role)
     )`,
    `CREATE INDEX federation_receipts_pending ON federation_receipts (role, delivered_ms, created_ms)`,
    `CREATE INDEX federation_receipts_producer ON federation_receipts (role, producer, ledger_seq)`,
  ];
}
