import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConcordatError } from '../core/index.js';

/** AES-256-GCM parameters (NIST SP 800-38D): 256-bit key, 96-bit nonce, full 128-bit tag. */
export const KEY_BYTES = 32;
/** 96-bit nonces, random per message (SP 800-38D §8.2.2). */
export const NONCE_BYTES = 12;
/** Full-length tags only; shorter tags are refused, not truncated-and-accepted. */
export const TAG_BYTES = 16;

/** The output of {@link seal}. */
export interface Sealed {
  readonly nonce: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

function checkKey(key: Uint8Array): void {
  if (key.length !== KEY_BYTES)
    throw new ConcordatError('ERR_KEY_INVALID', `aes-256-gcm key must be ${KEY_BYTES} bytes`);
}

// Nonces are cut from a pool refilled from the CSPRNG: one getrandom call per 1,024 nonces
// instead of one per message. Each nonce is still 96 fresh random bits, used once.
const POOL_NONCES = 1024;
let pool = Buffer.alloc(0);
let poolAt = 0;

function freshNonce(): Buffer {
  if (poolAt + NONCE_BYTES > pool.length) {
    pool = randomBytes(NONCE_BYTES * POOL_NONCES);
    poolAt = 0;
  }
  const nonce = Buffer.from(pool.subarray(poolAt, poolAt + NONCE_BYTES));
  pool.fill(0, poolAt, poolAt + NONCE_BYTES);
  poolAt += NONCE_BYTES;
  return nonce;
}

/** Encrypts `plaintext` under `key` with a fresh random nonce, authenticating `aad` too. */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Sealed {
  checkKey(key);
  const nonce = freshNonce();
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  // GCM is a stream mode: `final` yields no bytes, so the ciphertext is `update`'s one buffer
  // (concatenated only if that ever changes).
  const body = cipher.update(plaintext);
  const rest = cipher.final();
  const ciphertext = rest.length === 0 ? body : Buffer.concat([body, rest]);
  return { nonce, ciphertext, tag: cipher.getAuthTag() };
}

/**
 * Decrypts and authenticates. Any change to the ciphertext, nonce, tag or `aad`, or the wrong
 * key, fails with `ERR_DECRYPT_FAILED` (`what` names the thing in the message).
 */
export function open(key: Uint8Array, sealed: Sealed, aad: Uint8Array, what: string): Buffer {
  checkKey(key);
  if (sealed.nonce.length !== NONCE_BYTES || sealed.tag.length !== TAG_BYTES)
    throw new ConcordatError(
      'ERR_DECRYPT_FAILED',
      `${what}: nonce must be ${NONCE_BYTES} bytes and tag ${TAG_BYTES} bytes`,
    );
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.nonce, {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  try {
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch (cause) {
    throw new ConcordatError('ERR_DECRYPT_FAILED', `${what}: authentication failed`, { cause });
  }
}

/** `nonce || ciphertext || tag`, for keys wrapped into one blob. */
export function concatSealed(s: Sealed): Buffer {
  return Buffer.concat([s.nonce, s.ciphertext, s.tag]);
}

/** Splits a {@link concatSealed} blob; too short fails as a decryption failure. */
export function splitSealed(blob: Uint8Array, what: string): Sealed {
  if (blob.length < NONCE_BYTES + TAG_BYTES)
    throw new ConcordatError('ERR_DECRYPT_FAILED', `${what}: sealed blob is truncated`);
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  return {
    nonce: b.subarray(0, NONCE_BYTES),
    ciphertext: b.subarray(NONCE_BYTES, b.length - TAG_BYTES),
    tag: b.subarray(b.length - TAG_BYTES),
  };
}

/**
 * Additional authenticated data: a domain label, then each field as a 4-byte big-endian
 * length and its UTF-8 bytes, so no two field lists encode alike (`ab`,`c` ≠ `a`,`bc`).
 */
export function encodeAad(label: string, fields: readonly (string | number)[]): Buffer {
  const texts = [label, ...fields.map(String)];
  let size = 0;
  for (const t of texts) size += 4 + Buffer.byteLength(t, 'utf8');
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const t of texts) {
    const n = out.write(t, at + 4, 'utf8');
    out.writeUInt32BE(n, at);
    at += 4 + n;
  }
  return out;
}
