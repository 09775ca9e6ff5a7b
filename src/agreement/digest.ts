/**
 * The identity of an agreement: the SHA-256 of its canonical form (docs/spec/agreement-identity.md).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.js';

/** The shape of an agreement digest: `sha256:` and 64 lowercase hex digits. */
export const AGREEMENT_DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/**
 * `sha256:<lowercase hex>` of the UTF-8 bytes of the RFC 8785 canonical form of `document`.
 * Whitespace, key order and YAML-vs-JSON syntax do not change it; any value does.
 *
 * @throws ConcordatError `ERR_INPUT_SYNTAX` when `document` is not JSON data (see `canonicalJson`).
 */
export function agreementDigest(document: unknown): string {
  const hex = createHash('sha256').update(canonicalJson(document), 'utf8').digest('hex');
  return `sha256:${hex}`;
}
