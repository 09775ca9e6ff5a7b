/**
 * Signing an agreement: each party signs the digest of the canonical form, detached.
 */
import { sign } from 'node:crypto';
import { ConcordatError, formatInstant } from '../core/index.js';
import { agreementDigest } from './digest.js';
import { keyId, loadPrivateKey, type KeyInput } from './keys.js';
import {
  agreementHeader,
  signedMessage,
  SIGNATURE_FORMAT_VERSION,
  type AgreementSignature,
  type SignatureFile,
} from './signature.js';

/** Who signs, with what, and when. */
export interface SignOptions {
  /** The signing party's id; it must be one of the agreement's parties. */
  readonly party: string;
  /** The party's Ed25519 private key (`KeyObject` or unencrypted PKCS#8 PEM). */
  readonly privateKey: KeyInput;
  /** The signing instant, epoch milliseconds (from the injected clock). */
  readonly signedAt: number;
}

/**
 * Signs an agreement document for one party: an Ed25519 signature over
 * `signedMessage(agreementDigest(document), party, keyId, signedAt)`.
 *
 * @param document - the JSON data of the agreement source (`parseAgreement(...).document`).
 * @returns the signature entry, to be collected with the other parties' by `signatureFile`.
 * @throws ConcordatError `ERR_INPUT_SYNTAX` when the document is not JSON data;
 *   `ERR_AGREEMENT_INVALID` when it has no id, version or parties; `ERR_USAGE` when `party` is
 *   not among them or `signedAt` is not a valid instant; `ERR_KEY_INVALID` when the key is not
 *   an Ed25519 private key.
 */
export function signAgreement(document: unknown, options: SignOptions): AgreementSignature {
  const header = agreementHeader(document);
  const digest = agreementDigest(document);
  if (!header.parties.includes(options.party))
    throw new ConcordatError(
      'ERR_USAGE',
      `\`${options.party}\` is not a party of agreement \`${header.id}\``,
      { details: { party: options.party, parties: header.parties } },
    );
  if (!Number.isFinite(options.signedAt) || Number.isNaN(new Date(options.signedAt).getTime()))
    throw new ConcordatError('ERR_USAGE', 'signing time is not a valid instant');
  const privateKey = loadPrivateKey(options.privateKey, `private key of \`${options.party}\``);
  const kid = keyId(privateKey);
  const signedAt = formatInstant(options.signedAt);
  // RFC 8032 §5.1.6: Ed25519 signs the message itself (no prehash); node takes `null` as the
  // digest algorithm for Ed25519.
  const signature = sign(null, signedMessage(digest, options.party, kid, signedAt), privateKey);
  return {
    party: options.party,
    key_id: kid,
    alg: 'Ed25519',
    signed_at: signedAt,
    signature: signature.toString('base64url'),
  };
}

/**
 * Builds the signature file of an agreement document from the parties' signature entries
 * (for instance those of an existing file plus a new one). Entries are kept in the order given.
 *
 * @throws ConcordatError as `agreementHeader` and `agreementDigest` do.
 */
export function signatureFile(
  document: unknown,
  signatures: readonly AgreementSignature[],
): SignatureFile {
  const header = agreementHeader(document);
  return {
    concordat_signatures: SIGNATURE_FORMAT_VERSION,
    agreement: header.id,
    version: header.version,
    digest: agreementDigest(document),
    signatures: [...signatures],
  };
}
