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

/** Encrypts `plaintext` under `key` with a fresh random nonce, authenticating `aad` too. */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Sealed {
  checkKey(key);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
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
  const parts: Buffer[] = [];
  for (const f of [label, ...fields.map(String)]) {
    const bytes = Buffer.from(f, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    parts.push(len, bytes);
  }
  return Buffer.concat(parts);
}
