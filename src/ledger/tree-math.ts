/**
 * Tree-size arithmetic. Sizes and indices are JavaScript numbers, so every helper here uses
 * arithmetic rather than the 32-bit bitwise operators: a ledger may outgrow 2^32 entries, and
 * `>>` would silently wrap. Values above `Number.MAX_SAFE_INTEGER` are rejected at the edges.
 */

/** True when `n` is a non-negative safe integer: a usable tree size or index. */
export function isTreeSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** `n >> 1` for any safe non-negative integer. */
export function half(n: number): number {
  return Math.floor(n / 2);
}

/** True when the lowest bit of `n` is set. */
export function isOdd(n: number): boolean {
  return n % 2 === 1;
}

/** RFC 6962 §2.1: the largest power of two smaller than `n` (`n` > 1). */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The smallest power of two greater than or equal to `n` (`n` ≥ 1). */
export function bitCeil(n: number): number {
  let k = 1;
  while (k < n) k *= 2;
  return k;
}

/**
 * draft-ietf-plants-merkle-tree-certs §4.1: `[start, end)` is a subtree when it is non-empty
 * and `start` is a multiple of `bitCeil(end - start)`, i.e. the range is one node of some
 * (possibly larger) tree, or the left-aligned prefix of one. Subtrees starting at 0 are the
 * RFC 6962 trees of every size.
 */
export function isValidSubtree(start: number, end: number): boolean {
  if (!isTreeSize(start) || !isTreeSize(end) || start >= end) return false;
  return start % bitCeil(end - start) === 0;
}
