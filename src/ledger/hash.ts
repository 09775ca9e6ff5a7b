import { hash as oneShotHash } from 'node:crypto';

/** Size in bytes of every hash in the tree (SHA-256). */
export const HASH_SIZE = 32;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** Scratch buffer for node hashing: 0x01 || left || right. Pure: filled and consumed per call. */
const nodeScratch = new Uint8Array(1 + 2 * HASH_SIZE);
nodeScratch[0] = NODE_PREFIX;

/**
 * RFC 6962 §2.1: the hash of a leaf is SHA-256(0x00 || data). The prefix keeps a leaf from
 * ever being read as an interior node (second-preimage resistance).
 */
export function leafHash(data: Uint8Array): Uint8Array {
  const n = 1 + data.length;
  const buf = n <= MAX_SCRATCH ? leafScratchFor(n) : new Uint8Array(n);
  buf[0] = LEAF_PREFIX;
  buf.set(data, 1);
  return oneShotHash('sha256', buf.subarray(0, n), 'buffer');
}

/** {@link leafHash} of the UTF-8 bytes of `text`, without materialising them separately. */
export function leafHashOfText(text: string): Uint8Array {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  const most = 1 + 3 * text.length;
  if (most > MAX_SCRATCH) return leafHash(Buffer.from(text, 'utf8'));
  const buf = leafScratchFor(most);
  buf[0] = LEAF_PREFIX;
  const n = 1 + buf.write(text, 1, 'utf8');
  return oneShotHash('sha256', buf.subarray(0, n), 'buffer');
}

/**
 * Scratch for leaf hashing, grown on demand up to {@link MAX_SCRATCH} bytes (larger leaves get
 * their own buffer): verifying a million entries then allocates no copy per entry. Pure: filled
 * and consumed within one call, like `nodeScratch`.
 */
const MAX_SCRATCH = 64 * 1024;
let leafScratch: Buffer | undefined;

function leafScratchFor(n: number): Buffer {
  if (leafScratch === undefined || leafScratch.length < n)
    leafScratch = Buffer.allocUnsafe(Math.max(n, 1024));
  return leafScratch;
}

/**
 * RFC 6962 §2.1: the hash of an interior node is SHA-256(0x01 || left || right).
 * Both children must be {@link HASH_SIZE} bytes; callers inside this module guarantee it,
 * verifiers check proof elements before chaining them.
 */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + HASH_SIZE);
  return oneShotHash('sha256', nodeScratch, 'buffer');
}

/** RFC 6962 §2.1: the hash of an empty tree is SHA-256 of the empty string. */
export function emptyRoot(): Uint8Array {
  return oneShotHash('sha256', new Uint8Array(0), 'buffer');
}

/** Byte equality (not constant-time: every value compared here is public). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
