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
  const buf = new Uint8Array(1 + data.length);
  buf[0] = LEAF_PREFIX;
  buf.set(data, 1);
  return oneShotHash('sha256', buf, 'buffer');
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
