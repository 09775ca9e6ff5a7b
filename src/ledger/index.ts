/**
 * The ledger module's only public door: RFC 6962 Merkle trees and proofs, ledger entries,
 * C2SP checkpoints and whole-ledger verification. Pure: node:crypto only, no I/O.
 */
export { HASH_SIZE, leafHash, nodeHash, emptyRoot } from './hash.js';
export { MerkleTree } from './merkle-tree.js';
export { CompactRange } from './compact-range.js';
export { isValidSubtree } from './tree-math.js';
export type { ProofFailure, ProofResult } from './proof-result.js';
export { verifyInclusion, verifySubtreeInclusion } from './verify-inclusion.js';
export { verifyConsistency, verifySubtreeConsistency } from './verify-consistency.js';
