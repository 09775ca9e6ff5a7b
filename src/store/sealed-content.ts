/**
 * The sealed content of object versions already listed (by `objects.manifest`), read by their
 * insertion sequence in one query: primary-key look-ups, whatever the collection's size. The
 * release door lists candidates without content and reads content only for the versions it
 * must decrypt (the rest it has prepared already). Read only.
 */
import type { Queryable } from './database.js';
import { inList } from './database.js';
import type { SealedContent } from './objects.js';
import { bytesOrNull, int, intOrNull, text } from './row.js';

/** The sealed state of one version now: `sealed` is `null` once it is shredded. */
export interface SealedState {
  readonly shreddedAtMs: number | null;
  readonly sealed: SealedContent | null;
}

/** Reads of sealed content. */
export const sealedContent = {
  /**
   * The current sealed state of each listed `seq` (absent when no such row exists), keyed by
   * `seq`. At most 1,000 per call.
   */
  async bySeq(q: Queryable, seqs: readonly number[]): Promise<Map<number, SealedState>> {
    const out = new Map<number, SealedState>();
    if (seqs.length === 0) return out;
    if (seqs.length > 1000)
      throw new RangeError('read at most 1,000 versions of sealed content at once');
    const rows = await q.all(
      `SELECT o.seq, o.key_id, o.shredded_at_ms, o.nonce, o.ciphertext, o.tag FROM objects o
       WHERE ${inList(q.dialect, 'o.seq')}`,
      [seqs],
    );
    for (const row of rows) {
      const nonce = bytesOrNull(row, 'nonce');
      const ciphertext = bytesOrNull(row, 'ciphertext');
      const tag = bytesOrNull(row, 'tag');
      out.set(int(row, 'seq'), {
        shreddedAtMs: intOrNull(row, 'shredded_at_ms'),
        sealed:
          nonce === null || ciphertext === null || tag === null
            ? null
            : { keyId: text(row, 'key_id'), nonce, ciphertext, tag },
      });
    }
    return out;
  },
};
