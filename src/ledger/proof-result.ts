/**
 * Why a proof was rejected. Verifiers return these as values and never throw on bad input
 * (STYLE.md: decisions and verifications return values).
 *
 * - `bad-size`: a size or index is not a non-negative safe integer.
 * - `index-out-of-range`: the leaf index is not below the tree size (or outside the subtree).
 * - `size-order`: the first tree is larger than the second.
 * - `empty-tree`: a consistency proof from the empty tree (RFC 9162 §2.1.4: meaningless).
 * - `invalid-subtree`: `[start, end)` is not a subtree, or does not fit in the tree.
 * - `bad-hash-length`: a leaf hash, root or proof element is not 32 bytes.
 * - `proof-not-empty`: the sizes need no proof but one was given.
 * - `wrong-proof-length`: too few or too many proof elements for the sizes.
 * - `old-root-mismatch`: the proof does not rebuild the first (older, or subtree) root.
 * - `root-mismatch`: the proof does not rebuild the (new) root.
 */
export type ProofFailure =
  | 'bad-size'
  | 'index-out-of-range'
  | 'size-order'
  | 'empty-tree'
  | 'invalid-subtree'
  | 'bad-hash-length'
  | 'proof-not-empty'
  | 'wrong-proof-length'
  | 'old-root-mismatch'
  | 'root-mismatch';

/** The outcome of verifying a Merkle proof. */
export type ProofResult =
  { readonly ok: true } | { readonly ok: false; readonly reason: ProofFailure };

/** The successful result (shared; results are immutable). */
export const PROOF_OK: ProofResult = Object.freeze({ ok: true });

/** A failed result with its reason. */
export function proofFailure(reason: ProofFailure): ProofResult {
  return { ok: false, reason };
}
