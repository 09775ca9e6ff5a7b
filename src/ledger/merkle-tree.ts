import { ConcordatError } from '../core/index.js';
import { HASH_SIZE, emptyRoot, nodeHash } from './hash.js';
import { HashList } from './hash-list.js';
import { isOdd, isTreeSize, isValidSubtree, largestPowerOfTwoBelow } from './tree-math.js';

/**
 * An append-only RFC 6962 Merkle tree over leaf hashes, for proof generation.
 *
 * Storage: one {@link HashList} per level; level `L` holds the hash of every complete
 * (perfect) subtree of `2^L` leaves, so level 0 is the leaves. An append completes one node on
 * average, so appending costs amortised O(1) hashes, and the tree holds about twice the leaf
 * hashes (≈ 64 MB per million leaves). Every root, subtree hash and proof at any earlier size
 * is then assembled from O(log n) stored nodes: complete subtrees never change, so the tree at
 * size `m` is made of exactly the nodes the tree at size `n ≥ m` already holds.
 */
export class MerkleTree {
  readonly #levels: HashList[] = [new HashList()];

  /** Number of leaves. */
  get size(): number {
    return this.#leaves().length;
  }

  /** Appends a leaf hash (32 bytes, see `leafHash`) and returns its index. */
  append(leafHash: Uint8Array): number {
    if (!(leafHash instanceof Uint8Array) || leafHash.length !== HASH_SIZE) {
      throw new ConcordatError('ERR_LEDGER_RANGE', `a leaf hash must be ${HASH_SIZE} bytes`);
    }
    const leaves = this.#leaves();
    const index = leaves.length;
    leaves.push(leafHash);
    // Every odd index at a level completes a pair: hash it into the level above.
    let level = 0;
    let i = index;
    while (isOdd(i)) {
      const below = this.#levels[level];
      if (below === undefined) throw new ConcordatError('ERR_INTERNAL', 'missing tree level');
      const parent = nodeHash(below.view(i - 1), below.view(i));
      level++;
      let above = this.#levels[level];
      if (above === undefined) {
        above = new HashList();
        this.#levels.push(above);
      }
      above.push(parent);
      i = (i - 1) / 2;
    }
    return index;
  }

  /** A copy of the leaf hash at `index`. */
  leafHashAt(index: number): Uint8Array {
    this.#checkIndex(index, this.size);
    return new Uint8Array(this.#leaves().view(index));
  }

  /** RFC 6962 §2.1 MTH of the whole tree. */
  root(): Uint8Array {
    return this.rootAt(this.size);
  }

  /** RFC 6962 §2.1 MTH of the first `size` leaves (`0 <= size <= this.size`). */
  rootAt(size: number): Uint8Array {
    this.#checkSize(size, this.size, 'size');
    return size === 0 ? emptyRoot() : new Uint8Array(this.#rangeHash(0, size));
  }

  /**
   * The hash of the subtree `[start, end)` (draft-ietf-plants-merkle-tree-certs §4.1): the
   * MTH of those leaves, for a valid subtree within the tree.
   */
  subtreeHash(start: number, end: number): Uint8Array {
    this.#checkSubtree(start, end, this.size);
    return new Uint8Array(this.#rangeHash(start, end));
  }

  /**
   * RFC 6962 §2.1.1 PATH(index, D[0:size]): the audit path for leaf `index` in the tree of
   * `size` leaves, lowest sibling first. `size` defaults to the current size.
   */
  inclusionProof(index: number, size: number = this.size): Uint8Array[] {
    this.#checkSize(size, this.size, 'size');
    this.#checkIndex(index, size);
    const out: Uint8Array[] = [];
    this.#path(index, 0, size, out);
    return out;
  }

  /**
   * RFC 6962 §2.1.2 PROOF(size1, D[0:size2]): proves the tree of `size1` leaves is a prefix of
   * the tree of `size2` leaves. Empty when the sizes are equal. A proof from the empty tree is
   * meaningless (RFC 9162 §2.1.4), so `size1` must be at least 1.
   */
  consistencyProof(size1: number, size2: number = this.size): Uint8Array[] {
    this.#checkSize(size2, this.size, 'size2');
    this.#checkSize(size1, size2, 'size1');
    if (size1 === 0) {
      throw new ConcordatError(
        'ERR_LEDGER_RANGE',
        'a consistency proof from the empty tree is meaningless',
      );
    }
    const out: Uint8Array[] = [];
    if (size1 < size2) this.#subtreeSubproof(0, size1, 0, size2, true, out);
    return out;
  }

  /**
   * draft-ietf-plants-merkle-tree-certs §4.3: the inclusion proof of leaf `index` in the subtree
   * `[start, end)`, i.e. its audit path within that subtree.
   */
  subtreeInclusionProof(index: number, start: number, end: number): Uint8Array[] {
    this.#checkSubtree(start, end, this.size);
    if (!isTreeSize(index) || index < start || index >= end) {
      throw new ConcordatError(
        'ERR_LEDGER_RANGE',
        `index \`${String(index)}\` is outside the subtree`,
      );
    }
    const out: Uint8Array[] = [];
    this.#path(index, start, end, out);
    return out;
  }

  /**
   * draft-ietf-plants-merkle-tree-certs §4.4.1 SUBTREE_PROOF(start, end, D[0:size]): proves the
   * subtree `[start, end)` sits at those positions in the tree of `size` leaves. With
   * `start = 0` this is the RFC 6962 consistency proof.
   */
  subtreeConsistencyProof(start: number, end: number, size: number = this.size): Uint8Array[] {
    this.#checkSize(size, this.size, 'size');
    this.#checkSubtree(start, end, size);
    const out: Uint8Array[] = [];
    this.#subtreeSubproof(start, end, 0, size, true, out);
    return out;
  }

  #leaves(): HashList {
    const leaves = this.#levels[0];
    if (leaves === undefined) throw new ConcordatError('ERR_INTERNAL', 'missing leaf level');
    return leaves;
  }

  /**
   * MTH(D[lo:hi]) for a valid subtree (a fresh hash, or a view of a stored node: callers that
   * hand it out copy it): its leaves split into perfect nodes along the bits of
   * `hi - lo`, largest first, each aligned and therefore stored; RFC 6962's recursion
   * MTH(D[n]) = H(MTH(D[0:k]) || MTH(D[k:n])) is the right fold of that list.
   */
  #rangeHash(lo: number, hi: number): Uint8Array {
    const nodes: Uint8Array[] = [];
    let width = 1;
    while (width * 2 <= hi - lo) width *= 2;
    let cursor = lo;
    for (let level = Math.log2(width); width >= 1; width /= 2, level--) {
      if (cursor + width > hi) continue;
      const stored = this.#levels[level];
      if (stored === undefined) throw new ConcordatError('ERR_INTERNAL', 'missing tree level');
      nodes.push(stored.view(cursor / width));
      cursor += width;
    }
    let acc = nodes[nodes.length - 1];
    if (acc === undefined) throw new ConcordatError('ERR_INTERNAL', 'empty range has no hash');
    for (let i = nodes.length - 2; i >= 0; i--) {
      const left = nodes[i];
      if (left !== undefined) acc = nodeHash(left, acc);
    }
    return acc;
  }

  /** RFC 6962 §2.1.1 PATH(m, D[lo:hi]), appending deepest sibling first. */
  #path(m: number, lo: number, hi: number, out: Uint8Array[]): void {
    if (hi - lo <= 1) return;
    const k = largestPowerOfTwoBelow(hi - lo);
    if (m < lo + k) {
      this.#path(m, lo, lo + k, out);
      out.push(new Uint8Array(this.#rangeHash(lo + k, hi)));
    } else {
      this.#path(m, lo + k, hi, out);
      out.push(new Uint8Array(this.#rangeHash(lo, lo + k)));
    }
  }

  /**
   * draft-ietf-plants-merkle-tree-certs §4.4.1 SUBTREE_SUBPROOF(start, end, D[lo:hi], known),
   * which for `start = 0` is RFC 6962 §2.1.2 SUBPROOF(end, D[lo:hi], known).
   */
  #subtreeSubproof(
    start: number,
    end: number,
    lo: number,
    hi: number,
    known: boolean,
    out: Uint8Array[],
  ): void {
    if (start === lo && end === hi) {
      // The verifier already holds this hash when `known`; otherwise it is the proof's seed.
      if (!known) out.push(new Uint8Array(this.#rangeHash(lo, hi)));
      return;
    }
    const mid = lo + largestPowerOfTwoBelow(hi - lo);
    if (end <= mid) {
      this.#subtreeSubproof(start, end, lo, mid, known, out);
      out.push(new Uint8Array(this.#rangeHash(mid, hi)));
    } else if (mid <= start) {
      this.#subtreeSubproof(start, end, mid, hi, known, out);
      out.push(new Uint8Array(this.#rangeHash(lo, mid)));
    } else {
      // start < mid < end: a valid subtree then starts at lo and covers [lo, mid) entirely.
      this.#subtreeSubproof(mid, end, mid, hi, false, out);
      out.push(new Uint8Array(this.#rangeHash(lo, mid)));
    }
  }

  #checkSize(size: number, max: number, what: string): void {
    if (!isTreeSize(size) || size > max) {
      throw new ConcordatError(
        'ERR_LEDGER_RANGE',
        `${what} \`${String(size)}\` is not a tree size between 0 and ${String(max)}`,
      );
    }
  }

  #checkIndex(index: number, size: number): void {
    if (!isTreeSize(index) || index >= size) {
      throw new ConcordatError(
        'ERR_LEDGER_RANGE',
        `index \`${String(index)}\` is not below tree size ${String(size)}`,
      );
    }
  }

  #checkSubtree(start: number, end: number, size: number): void {
    if (!isValidSubtree(start, end) || end > size) {
      throw new ConcordatError(
        'ERR_LEDGER_RANGE',
        `[${String(start)}, ${String(end)}) is not a subtree of a tree of size ${String(size)}`,
      );
    }
  }
}
