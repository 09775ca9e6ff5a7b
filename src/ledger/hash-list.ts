import { HASH_SIZE } from './hash.js';

/**
 * A growable array of 32-byte hashes stored back to back in one buffer: a million leaves cost
 * 32 MB and one allocation per doubling, not a million small objects for the collector.
 */
export class HashList {
  #buf = new Uint8Array(HASH_SIZE * 256);
  #count = 0;

  /** Number of hashes held. */
  get length(): number {
    return this.#count;
  }

  /** Appends a copy of `hash` (exactly {@link HASH_SIZE} bytes; the caller checks). */
  push(hash: Uint8Array): void {
    const offset = this.#count * HASH_SIZE;
    if (offset + HASH_SIZE > this.#buf.length) {
      const grown = new Uint8Array(this.#buf.length * 2);
      grown.set(this.#buf);
      this.#buf = grown;
    }
    this.#buf.set(hash, offset);
    this.#count++;
  }

  /**
   * A read-only view of hash `i` (`0 <= i < length`). The bytes never change once written, and
   * a view stays valid after the list grows (it keeps the old buffer alive).
   */
  view(i: number): Uint8Array {
    const offset = i * HASH_SIZE;
    return this.#buf.subarray(offset, offset + HASH_SIZE);
  }
}
