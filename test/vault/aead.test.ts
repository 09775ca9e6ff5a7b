import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import { NONCE_BYTES, TAG_BYTES, encodeAad, open, seal } from '../../src/vault/index.js';
import type { Sealed } from '../../src/vault/index.js';

const key = randomBytes(32);
const aad = encodeAad('test', ['indicator--1', 1700000000000000, 'dk-1']);
const plaintext = Buffer.from(
  '{"type":"indicator","pattern":"[ipv4-addr:value = \'198.51.100.7\']"}',
);

function flip(b: Uint8Array, bit: number): Buffer {
  const c = Buffer.from(b);
  c[bit >> 3]! ^= 1 << (bit & 7);
  return c;
}

describe('aes-256-gcm seal/open', () => {
  it('round-trips with a 96-bit nonce and a full 128-bit tag', () => {
    const s = seal(key, plaintext, aad);
    expect(s.nonce).toHaveLength(NONCE_BYTES);
    expect(s.tag).toHaveLength(TAG_BYTES);
    expect(Buffer.from(s.ciphertext).includes(Buffer.from('198.51.100.7'))).toBe(false);
    expect(open(key, s, aad, 'x').equals(plaintext)).toBe(true);
  });

  it('uses a fresh nonce every time', () => {
    const nonces = new Set(
      Array.from({ length: 1000 }, () =>
        Buffer.from(seal(key, plaintext, aad).nonce).toString('hex'),
      ),
    );
    expect(nonces.size).toBe(1000);
  });

  const s = seal(key, plaintext, aad);
  const vectors: [string, () => [Uint8Array, Sealed, Uint8Array]][] = [
    ['flipped-bit-in-ciphertext', () => [key, { ...s, ciphertext: flip(s.ciphertext, 13) }, aad]],
    [
      'flipped-last-bit-in-ciphertext',
      () => [key, { ...s, ciphertext: flip(s.ciphertext, s.ciphertext.length * 8 - 1) }, aad],
    ],
    ['flipped-bit-in-tag', () => [key, { ...s, tag: flip(s.tag, 127) }, aad]],
    ['flipped-bit-in-nonce', () => [key, { ...s, nonce: flip(s.nonce, 0) }, aad]],
    ['truncated-tag-12-bytes', () => [key, { ...s, tag: s.tag.subarray(0, 12) }, aad]],
    ['truncated-tag-4-bytes', () => [key, { ...s, tag: s.tag.subarray(0, 4) }, aad]],
    ['empty-tag', () => [key, { ...s, tag: new Uint8Array(0) }, aad]],
    ['short-nonce', () => [key, { ...s, nonce: s.nonce.subarray(0, 8) }, aad]],
    [
      'truncated-ciphertext',
      () => [key, { ...s, ciphertext: s.ciphertext.subarray(0, s.ciphertext.length - 1) }, aad],
    ],
    [
      'extended-ciphertext',
      () => [key, { ...s, ciphertext: Buffer.concat([s.ciphertext, Buffer.from([0])]) }, aad],
    ],
    ['wrong-aad-id', () => [key, s, encodeAad('test', ['indicator--2', 1700000000000000, 'dk-1'])]],
    [
      'wrong-aad-split',
      () => [key, s, encodeAad('test', ['indicator--', '11700000000000000', 'dk-1'])],
    ],
    ['empty-aad', () => [key, s, new Uint8Array(0)]],
    ['wrong-key', () => [randomBytes(32), s, aad]],
  ];
  for (const [name, make] of vectors) {
    it(`rejects ${name}`, () => {
      const [k, sealed, a] = make();
      let err: unknown;
      try {
        open(k, sealed, a, 'vector');
      } catch (e) {
        err = e;
      }
      expect(isConcordatError(err, 'ERR_DECRYPT_FAILED')).toBe(true);
    });
  }

  it('refuses a key that is not 256 bits', () => {
    expect(() => seal(randomBytes(16), plaintext, aad)).toThrow(/32 bytes/);
  });

  it('encodes aad fields unambiguously', () => {
    expect(encodeAad('l', ['ab', 'c']).equals(encodeAad('l', ['a', 'bc']))).toBe(false);
    expect(encodeAad('l', ['a', '']).equals(encodeAad('l', ['a']))).toBe(false);
  });
});
