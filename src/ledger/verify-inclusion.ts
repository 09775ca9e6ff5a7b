import { HASH_SIZE, equalBytes, nodeHash } from './hash.js';
import { PROOF_OK, proofFailure, type ProofResult } from './proof-result.js';
import { half, isOdd, isTreeSize, isValidSubtree } from './tree-math.js';

/** True when every element of `proof` is a 32-byte hash (and `proof` is an array). */
export function isHashList(proof: unknown): proof is readonly Uint8Array[] {
  return (
    Array.isArray(proof) &&
    proof.every((p: unknown) => p instanceof Uint8Array && p.length === HASH_SIZE)
  );
}

/** True when `h` is a 32-byte hash. */
export function isHash(h: unknown): h is Uint8Array {
  return h instanceof Uint8Array && h.length === HASH_SIZE;
}

/**
 * Verifies an RFC 6962 inclusion proof (audit path) that the leaf with hash `leafHash` sits at
 * `index` in the tree of `size` leaves whose root is `root`. Needs only the hash function.
 * Follows RFC 9162 §2.1.3.2, which rejects proofs that are too long or too short by walking
 * the indices, not by trusting the proof's length.
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): ProofResult {
  if (!isTreeSize(index) || !isTreeSize(size)) return proofFailure('bad-size');
  // RFC 9162 §2.1.3.2 step 1: leaf_index must be below tree_size.
  if (index >= size) return proofFailure('index-out-of-range');
  if (!isHash(leafHash) || !isHash(root) || !isHashList(proof)) {
    return proofFailure('bad-hash-length');
  }
  // Step 2: fn = leaf_index, sn = tree_size - 1, r = hash.
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leafHash;
  // Step 3: for each p in the path...
  for (const p of proof) {
    // ...a path longer than the tree is high fails.
    if (sn === 0) return proofFailure('wrong-proof-length');
    if (isOdd(fn) || fn === sn) {
      // p is a left sibling: r = HASH(0x01 || p || r).
      r = nodeHash(p, r);
      // On the right border a node may have no right sibling: climb until fn is a right child.
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      // p is a right sibling: r = HASH(0x01 || r || p).
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // Step 4: the walk must reach the root (sn = 0), and r must be the root.
  if (sn !== 0) return proofFailure('wrong-proof-length');
  return equalBytes(r, root) ? PROOF_OK : proofFailure('root-mismatch');
}

/**
 * Verifies a subtree inclusion proof (draft-ietf-plants-merkle-tree-certs §4.3.2): leaf
 * `index` is in the subtree `[start, end)` whose hash is `subtreeRoot`. A valid subtree is
 * itself an RFC 6962 tree over its leaves, so this is {@link verifyInclusion} at
 * `index - start` in a tree of `end - start` leaves.
 */
export function verifySubtreeInclusion(
  leafHash: Uint8Array,
  index: number,
  start: number,
  end: number,
  proof: readonly Uint8Array[],
  subtreeRoot: Uint8Array,
): ProofResult {
  if (!isTreeSize(index) || !isTreeSize(start) || !isTreeSize(end)) return proofFailure('bad-size');
  if (!isValidSubtree(start, end)) return proofFailure('invalid-subtree');
  if (index < start || index >= end) return proofFailure('index-out-of-range');
  return verifyInclusion(leafHash, index - start, end - start, proof, subtreeRoot);
}
