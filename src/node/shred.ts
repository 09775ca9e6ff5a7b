import { canonicalJson } from '../agreement/index.js';
import type { Clock } from '../core/index.js';
import { entryLeafHash } from '../ledger/index.js';
import type { JsonObject } from '../ledger/index.js';
import { ledgerEntries } from '../store/index.js';
import type { Database } from '../store/index.js';
import type { ShredEvent, ShredResult, Vault } from '../vault/index.js';

/** What {@link shredDue} needs. */
export interface ShredContext {
  readonly db: Database;
  readonly vault: Vault;
  readonly clock: Clock;
}

/** The ledger body of a `shred` entry: which key died, whose, for which window, over what. */
export function shredEntryBody(e: ShredEvent): JsonObject {
  return {
    keyId: e.keyId,
    producer: e.producer,
    kekId: e.kekId,
    windowStart: e.windowStartMs,
    windowEnd: e.windowEndMs,
    objectCount: e.objectCount,
    objectsDigest: `sha256:${e.objectsDigest}`,
  };
}

/**
 * Crypto-shreds every data key whose retention window has ended (`concordat shred --due`) and
 * appends one `shred` ledger entry per key in the same transaction: the keys are destroyed if
 * and only if the ledger records it (issue 3: "the shred is a ledger event").
 */
export async function shredDue(ctx: ShredContext): Promise<ShredResult> {
  return ctx.vault.shredDue(ctx.db, {
    record: async (tx, events) => {
      const at = ctx.clock.now();
      await ledgerEntries.appendWith(tx, events.length, (seq, i) => {
        const e = events[i];
        const body = e === undefined ? {} : shredEntryBody(e);
        return {
          atMs: at,
          kind: 'shred',
          body: canonicalJson(body),
          leafHash: entryLeafHash({ seq, at, kind: 'shred', body }),
        };
      });
    },
  });
}
