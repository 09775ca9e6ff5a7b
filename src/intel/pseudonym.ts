/**
 * Keyed pseudonyms: HMAC-SHA-256 over the agreement id and the value (RFC 2104). The same value
 * under the same key and agreement always gives the same token, so partners can still
 * correlate; without the key a token reveals nothing, and a guess cannot be checked.
 */
import { createHmac, KeyObject } from 'node:crypto';
import { ConcordatError } from '../core/index.js';
import { shapeUuid } from './ids.js';
import type { TokenShape } from './sensitive-properties.js';

/** The key material of one agreement's pseudonyms. */
export interface PseudonymKey {
  /** A secret of at least 16 bytes, or a secret `KeyObject`. */
  readonly pseudonymKey: Uint8Array | KeyObject;
  readonly agreementId: string;
}

/** Throws `ERR_KEY_INVALID` unless the key is a usable secret. */
export function checkPseudonymKey(key: PseudonymKey): void {
  const k = key.pseudonymKey;
  const ok =
    k instanceof KeyObject
      ? k.type === 'secret' && (k.symmetricKeySize ?? 0) >= 16
      : k instanceof Uint8Array && k.byteLength >= 16;
  if (!ok)
    throw new ConcordatError(
      'ERR_KEY_INVALID',
      'the pseudonym key must be a secret of at least 16 bytes',
    );
  if (key.agreementId === '')
    throw new ConcordatError('ERR_KEY_INVALID', 'the pseudonym key needs an agreement id');
}

function mac(key: PseudonymKey, domain: string, value: string): Buffer {
  // Length-prefixed fields: no two (domain, agreement, value) triples share an input.
  const h = createHmac('sha256', key.pseudonymKey);
  for (const part of [domain, key.agreementId, value]) {
    const b = Buffer.from(part, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    h.update(len).update(b);
  }
  return h.digest();
}

/** The token for a value, shaped so the property stays schema-valid. */
export function pseudonymToken(key: PseudonymKey, value: string, shape: TokenShape): string {
  const hex = mac(key, 'value', value).subarray(0, 16).toString('hex');
  switch (shape) {
    case 'email':
      return `${hex}@pseudonym.invalid`;
    case 'domain':
      return `${hex}.pseudonym.invalid`;
    case 'url':
      return `https://${hex}.pseudonym.invalid/`;
    case 'opaque':
      return `pseudonym-${hex}`;
  }
}

/** True when a string is a token `pseudonymToken` produced (of any shape). */
export function isPseudonymToken(value: string): boolean {
  return /^(?:https:\/\/)?(?:pseudonym-)?[0-9a-f]{32}(?:@pseudonym\.invalid|\.pseudonym\.invalid\/?)?$/.test(
    value,
  );
}

/**
 * A replacement SCO id: `type--` and a UUID derived from the keyed MAC of the original id,
 * shaped as a version 4 UUID (STIX 2.1 §2.9 allows UUIDv4 SCO ids; it is not the §2.9 UUIDv5,
 * which would let anyone holding a guess recompute it and confirm the original value).
 */
export function pseudonymousScoId(key: PseudonymKey, type: string, originalId: string): string {
  return `${type}--${shapeUuid(mac(key, 'sco-id', originalId), 4)}`;
}
