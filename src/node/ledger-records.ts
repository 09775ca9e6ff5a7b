import { ConcordatError } from '../core/index.js';
import type { JsonObject, LedgerRecord } from '../ledger/index.js';
import { ledgerEntries } from '../store/index.js';
import type { Queryable } from '../store/index.js';

/**
 * Stored ledger entries `from <= seq < to` in the shape `verifyLedger` reads: the entry
 * rebuilt from its columns and the leaf hash stored beside it. The verifier recomputes each
 * leaf from the entry, so an edited column shows up as a `leaf-hash-mismatch`.
 */
export async function ledgerRecords(
  q: Queryable,
  from: number,
  to: number,
): Promise<LedgerRecord[]> {
  return (await ledgerEntries.range(q, from, to)).map((r) => {
    let body: JsonObject;
    try {
      body = JSON.parse(r.body) as JsonObject;
    } catch (cause) {
      throw new ConcordatError(
        'ERR_LEDGER_INTEGRITY',
        `ledger entry \`${r.seq}\` body is not json`,
        {
          cause,
        },
      );
    }
    return { entry: { seq: r.seq, at: r.atMs, kind: r.kind, body }, storedLeafHash: r.leafHash };
  });
}
