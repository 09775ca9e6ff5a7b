/**
 * Ed25519 signing keys for agreements: generation, loading and key ids. node:crypto only.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
} from 'node:crypto';
import { ConcordatError } from '../core/index.js';

/** A key as callers hold it: a `KeyObject`, or PEM text (SPKI public, PKCS#8 private). */
export type KeyInput = KeyObject | string;

/** A freshly generated Ed25519 key pair, both halves PEM-encoded. */
export interface SigningKeyPair {
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`). */
  readonly publicKey: string;
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), unencrypted: store it in the node's vault. */
  readonly privateKey: string;
}

/** Generates an Ed25519 key pair for signing agreements. */
export function generateSigningKeyPair(): SigningKeyPair {
  return generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

function requireEd25519(key: KeyObject, role: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new ConcordatError(
      'ERR_KEY_INVALID',
      `${role} is a \`${key.asymmetricKeyType ?? key.type}\` key; an ed25519 key is required`,
      { details: { keyType: key.asymmetricKeyType ?? key.type } },
    );
  return key;
}

/**
 * Loads an Ed25519 public key. A private key is accepted too; its public half is used.
 *
 * @throws ConcordatError `ERR_KEY_INVALID` when the input is not a key, not PEM, or not Ed25519.
 */
export function loadPublicKey(input: KeyInput, role = 'public key'): KeyObject {
  let key: KeyObject;
  try {
    if (input instanceof KeyObject) {
      if (input.type === 'secret') throw new TypeError('secret key');
      key = input.type === 'public' ? input : createPublicKey(input);
    } else if (typeof input === 'string') {
      key = createPublicKey({ key: input, format: 'pem' });
    } else {
      throw new TypeError('not a key');
    }
  } catch (cause) {
    throw new ConcordatError(
      'ERR_KEY_INVALID',
      `${role} is not an spki pem public key or a key object`,
      { cause },
    );
  }
  return requireEd25519(key, role);
}

/**
 * Loads an Ed25519 private key.
 *
 * @throws ConcordatError `ERR_KEY_INVALID` when the input is not a private key, not PEM
 *   (PKCS#8), encrypted, or not Ed25519.
 */
export function loadPrivateKey(input: KeyInput, role = 'private key'): KeyObject {
  let key: KeyObject;
  try {
    if (input instanceof KeyObject) {
      if (input.type !== 'private') throw new TypeError(`${input.type} key`);
      key = input;
    } else if (typeof input === 'string') {
      key = createPrivateKey({ key: input, format: 'pem' });
    } else {
      throw new TypeError('not a key');
    }
  } catch (cause) {
    throw new ConcordatError(
      'ERR_KEY_INVALID',
      `${role} is not an unencrypted pkcs#8 pem private key or a private key object`,
      { cause },
    );
  }
  return requireEd25519(key, role);
}

/**
 * The id of a public key: the SHA-256 of its DER-encoded SPKI, 64 lowercase hex digits.
 * A private key yields the id of its public half.
 *
 * @throws ConcordatError `ERR_KEY_INVALID` when the key is not an Ed25519 key.
 */
export function keyId(publicKey: KeyInput): string {
  const der = loadPublicKey(publicKey).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}
