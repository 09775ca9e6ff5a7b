import { emptyRoot, equalBytes, nodeHash } from './hash.js';
import { PROOF_OK, proofFailure, type ProofResult } from './proof-result.js';
import { half, isOdd, isTreeSize, isValidSubtree } from './tree-math.js';
import { isHash, isHashList } from './verify-inclusion.js';

/**
 * Verifies an RFC 6962 consistency proof: the tree of `size1` leaves with root `root1` is a
 * prefix of the tree of `size2` leaves with root `root2` (RFC 9162 §2.1.4.2).
 *
 * Equal sizes need an empty proof and identical roots. A proof from the empty tree is
 * rejected (`empty-tree`): it would prove nothing, and accepting it would let a caller
 * mistake "no check" for "checked" (transparency-dev/merkle vectors agree).
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): ProofResult {
  if (!isTreeSize(size1) || !isTreeSize(size2)) return proofFailure('bad-size');
  if (size1 > size2) return proofFailure('size-order');
  if (size1 === 0) return proofFailure('empty-tree');
  if (!Array.isArray(proof)) return proofFailure('bad-hash-length');
  if (size1 === size2) {
    // RFC 9162 §2.1.4.2 step 1: equal sizes verify iff the proof is empty and the roots match.
    if (proof.length !== 0) return proofFailure('proof-not-empty');
    return sameBytes(root1, root2) ? PROOF_OK : proofFailure('root-mismatch');
  }
  return chainSubtreeConsistency(0, size1, size2, proof, root1, root2);
}

/**
 * Verifies a subtree consistency proof (draft-ietf-plants-merkle-tree-certs §4.4.3): the
 * subtree `[start, end)` with hash `subtreeRoot` sits at those positions in the tree of `size`
 * leaves with root `root`. An empty subtree (`start = end <= size`) is consistent with any
 * tree when its hash is the empty-tree hash and the proof is empty.
 */
export function verifySubtreeConsistency(
  start: number,
  end: number,
  size: number,
  proof: readonly Uint8Array[],
  subtreeRoot: Uint8Array,
  root: Uint8Array,
): ProofResult {
  if (!isTreeSize(start) || !isTreeSize(end) || !isTreeSize(size)) return proofFailure('bad-size');
  if (!Array.isArray(proof)) return proofFailure('bad-hash-length');
  if (start === end && end <= size) {
    if (proof.length !== 0) return proofFailure('proof-not-empty');
    return sameBytes(subtreeRoot, emptyRoot()) ? PROOF_OK : proofFailure('old-root-mismatch');
  }
  if (!isValidSubtree(start, end) || end > size) return proofFailure('invalid-subtree');
  if (start === 0 && end === size) {
    if (proof.length !== 0) return proofFailure('proof-not-empty');
    return sameBytes(subtreeRoot, root) ? PROOF_OK : proofFailure('root-mismatch');
  }
  return chainSubtreeConsistency(start, end, size, proof, subtreeRoot, root);
}

/** Byte equality that tolerates non-byte input (it is then simply unequal). */
function sameBytes(a: unknown, b: unknown): boolean {
  return a instanceof Uint8Array && b instanceof Uint8Array && equalBytes(a, b);
}

/**
 * The verification walk of draft-ietf-plants-merkle-tree-certs §4.4.3, which for `start = 0`
 * is RFC 9162 §2.1.4.2: `fn`, `sn` and `tn` track the subtree's first leaf, its last leaf and
 * the tree's last leaf; shifting all three right climbs one level. `fr` rebuilds the subtree
 * hash from the proof, `sr` the tree root. Requires a valid subtree strictly inside the tree.
 */
function chainSubtreeConsistency(
  start: number,
  end: number,
  size: number,
  proof: readonly Uint8Array[],
  subtreeRoot: Uint8Array,
  root: Uint8Array,
): ProofResult {
  if (!isHash(subtreeRoot) || !isHash(root) || !isHashList(proof)) {
    return proofFailure('bad-hash-length');
  }
  let fn = start;
  let sn = end - 1;
  let tn = size - 1;
  const climb = (): void => {
    fn = half(fn);
    sn = half(sn);
    tn = half(tn);
  };
  if (sn === tn) {
    // The subtree ends on the tree's right border: nothing to fold until its root.
    while (fn !== sn) climb();
  } else {
    // Otherwise climb while the subtree's last node is a right child within the subtree.
    while (fn !== sn && isOdd(sn)) climb();
  }
  // RFC 9162 §2.1.4.2 step 2: when the climb reached the subtree's own root (size1 a power of
  // two), the verifier already holds the seed; otherwise it is the proof's first element.
  let fr: Uint8Array;
  let rest: readonly Uint8Array[];
  if (fn === sn) {
    fr = subtreeRoot;
    rest = proof;
  } else {
    const seed = proof[0];
    if (seed === undefined) return proofFailure('wrong-proof-length');
    fr = seed;
    rest = proof.slice(1);
  }
  let sr = fr;
  for (const c of rest) {
    // A proof longer than the tree is high fails.
    if (tn === 0) return proofFailure('wrong-proof-length');
    if (isOdd(sn) || sn === tn) {
      // c is a left sibling: it belongs to the old tree unless we are above the subtree root.
      if (fn < sn) fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(sn) && sn !== 0) climb();
    } else {
      // c is a right sibling: it only exists in the newer tree.
      sr = nodeHash(sr, c);
    }
    climb();
  }
  if (tn !== 0) return proofFailure('wrong-proof-length');
  if (!equalBytes(fr, subtreeRoot)) return proofFailure('old-root-mismatch');
  return equalBytes(sr, root) ? PROOF_OK : proofFailure('root-mismatch');
}
