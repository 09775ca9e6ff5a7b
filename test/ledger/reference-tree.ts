/**
 * A naive RFC 6962 Merkle tree, written straight from the recursive definitions and kept only
 * to cross-check the fast tree (like transparency-dev/merkle `testonly/reference_test.go`).
 * Slow on purpose: every MTH recomputes from the leaf data. Never import it from src/.
 */
import { createHash } from 'node:crypto';

function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** RFC 6962 §2.1: the largest power of two smaller than n. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** RFC 6962 §2.1: MTH(D[n]) over leaf *data*, empty tree = SHA-256(). */
export function refMth(leaves: readonly Uint8Array[]): Uint8Array {
  const n = leaves.length;
  if (n === 0) return sha256();
  if (n === 1) return sha256(Uint8Array.of(0), leaves[0]!);
  const k = splitPoint(n);
  return sha256(Uint8Array.of(1), refMth(leaves.slice(0, k)), refMth(leaves.slice(k)));
}

/** RFC 6962 §2.1.1: PATH(m, D[n]). */
export function refPath(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  const n = leaves.length;
  if (n <= 1) return [];
  const k = splitPoint(n);
  if (m < k) return [...refPath(m, leaves.slice(0, k)), refMth(leaves.slice(k))];
  return [...refPath(m - k, leaves.slice(k)), refMth(leaves.slice(0, k))];
}

/** RFC 6962 §2.1.2: SUBPROOF(m, D[n], b). */
function refSubproof(m: number, leaves: readonly Uint8Array[], b: boolean): Uint8Array[] {
  const n = leaves.length;
  if (m === n) return b ? [] : [refMth(leaves)];
  const k = splitPoint(n);
  if (m <= k) return [...refSubproof(m, leaves.slice(0, k), b), refMth(leaves.slice(k))];
  return [...refSubproof(m - k, leaves.slice(k), false), refMth(leaves.slice(0, k))];
}

/** RFC 6962 §2.1.2: PROOF(m, D[n]) = SUBPROOF(m, D[n], true), 0 < m <= n. */
export function refProof(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  return refSubproof(m, leaves, true);
}

/** draft-ietf-plants-merkle-tree-certs §4.4.1: SUBTREE_SUBPROOF(start, end, D[n], b). */
function refSubtreeSubproof(
  start: number,
  end: number,
  leaves: readonly Uint8Array[],
  b: boolean,
): Uint8Array[] {
  const n = leaves.length;
  if (start === 0 && end === n) return b ? [] : [refMth(leaves)];
  const k = splitPoint(n);
  if (end <= k) {
    return [...refSubtreeSubproof(start, end, leaves.slice(0, k), b), refMth(leaves.slice(k))];
  }
  if (k <= start) {
    return [
      ...refSubtreeSubproof(start - k, end - k, leaves.slice(k), b),
      refMth(leaves.slice(0, k)),
    ];
  }
  return [...refSubtreeSubproof(0, end - k, leaves.slice(k), false), refMth(leaves.slice(0, k))];
}

/** draft-ietf-plants-merkle-tree-certs §4.4.1: SUBTREE_PROOF(start, end, D[n]). */
export function refSubtreeProof(
  start: number,
  end: number,
  leaves: readonly Uint8Array[],
): Uint8Array[] {
  return refSubtreeSubproof(start, end, leaves, true);
}
