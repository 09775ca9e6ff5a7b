import { HASH_SIZE, emptyRoot, nodeHash } from './hash.js';
import { ConcordatError } from '../core/index.js';
import { isOdd } from './tree-math.js';

/**
 * The right edge of an append-only Merkle tree: one perfect-subtree hash per set bit of the
 * size, largest first (transparency-dev/merkle `compact.Range` over `[0, size)`). Enough to
 * compute the root after every append in O(log n) memory, which is what a streaming verifier
 * of a million-entry ledger needs.
 */
export class CompactRange {
  readonly #hashes: Uint8Array[] = [];
  #size = 0;

  /** Number of leaves appended. */
  get size(): number {
    return this.#size;
  }

  /**
   * Appends one leaf hash. Each set low bit of the old size is a perfect subtree that the new
   * leaf completes, so merge while the size is odd (RFC 6962 §2.1: node = H(0x01 || l || r)).
   */
  append(leafHash: Uint8Array): void {
    if (!(leafHash instanceof Uint8Array) || leafHash.length !== HASH_SIZE) {
      throw new ConcordatError('ERR_LEDGER_RANGE', `a leaf hash must be ${HASH_SIZE} bytes`);
    }
    let hash = leafHash;
    let size = this.#size;
    while (isOdd(size)) {
      const left = this.#hashes.pop();
      if (left === undefined) throw new ConcordatError('ERR_INTERNAL', 'compact range underflow');
      hash = nodeHash(left, hash);
      size = (size - 1) / 2;
    }
    this.#hashes.push(hash);
    this.#size++;
  }

  /**
   * RFC 6962 §2.1 MTH over the leaves so far: the right edge folded from the right, since
   * MTH(D[n]) = H(MTH(D[0:k]) || MTH(D[k:n])) with k the largest perfect subtree.
   */
  root(): Uint8Array {
    let acc = this.#hashes[this.#hashes.length - 1];
    if (acc === undefined) return emptyRoot();
    for (let i = this.#hashes.length - 2; i >= 0; i--) {
      const left = this.#hashes[i];
      if (left !== undefined) acc = nodeHash(left, acc);
    }
    // A copy: with one subtree, acc is the stored hash itself.
    return new Uint8Array(acc);
  }
}
