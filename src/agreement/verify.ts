/**
 * Verifying an agreement's detached signatures. Like a decision, verification returns a value
 * that carries every reason (STYLE.md): one verdict per signature entry, the file's structural
 * issues, and the parties that have not signed. Only caller mistakes (a document that is not
 * JSON, a trusted key that is not Ed25519) throw.
 */
import { verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { agreementDigest } from './digest.js';
import { keyId, loadPublicKey, type KeyInput } from './keys.js';
import {
  agreementHeader,
  signatureEntryIssues,
  signatureFileHeaderIssues,
  signedMessage,
  SIGNATURE_FORMAT_VERSION,
  type AgreementSignature,
  type SignatureFileIssue,
} from './signature.js';

/**
 * Why a signature entry does not count:
 * - `malformed` — the entry does not have the documented shape (including a signature that is
 *   empty, truncated or not 64 bytes of unpadded base64url);
 * - `unknown-party` — the party is not a party of the agreement;
 * - `duplicate` — an earlier entry already speaks for this party;
 * - `untrusted-key` — no trusted key of the party has this entry's `key_id`;
 * - `digest-mismatch` — the file's digest is not the document's: it signs another document;
 * - `bad-signature` — the Ed25519 signature does not verify over the signed message.
 */
export type SignatureFailure =
  | 'malformed'
  | 'unknown-party'
  | 'duplicate'
  | 'untrusted-key'
  | 'digest-mismatch'
  | 'bad-signature';

/** The verdict on one entry of the file's `signatures`, by its index. */
export type SignatureCheck =
  | {
      readonly index: number;
      readonly valid: true;
      readonly party: string;
      readonly keyId: string;
      readonly signedAt: string;
    }
  | {
      readonly index: number;
      readonly valid: false;
      readonly reason: SignatureFailure;
      /** The claimed party, when the entry names one. */
      readonly party?: string;
      readonly message: string;
    };

/** Problems of the file as a whole. */
export interface SignatureFileProblem extends SignatureFileIssue {
  readonly code: 'malformed' | 'agreement-mismatch' | 'version-mismatch' | 'digest-mismatch';
}

/** The outcome of `verifyAgreementSignatures`. */
export interface VerifyResult {
  /** True when the file is well-formed, every entry is valid, and no required party is missing. */
  readonly ok: boolean;
  /** The digest of the document verified against. */
  readonly digest: string;
  readonly problems: readonly SignatureFileProblem[];
  readonly signatures: readonly SignatureCheck[];
  /** Parties with a valid signature, in agreement order. */
  readonly signed: readonly string[];
  /** Required parties without a valid signature, in agreement order. */
  readonly missing: readonly string[];
}

/** Options of `verifyAgreementSignatures`. */
export interface VerifyOptions {
  /**
   * Parties whose signatures are required (default: every party of the agreement). Signatures
   * of other parties of the agreement still count; parties outside it are `unknown-party`.
   */
  readonly requiredParties?: readonly string[];
}

/** Trusted public keys per party; several keys per party allow rotation. */
export type TrustedKeys = Readonly<Record<string, KeyInput | readonly KeyInput[]>>;

function loadTrusted(trustedKeys: TrustedKeys): Map<string, Map<string, KeyObject>> {
  const byParty = new Map<string, Map<string, KeyObject>>();
  for (const [party, input] of Object.entries(trustedKeys)) {
    const list: readonly KeyInput[] = Array.isArray(input) ? input : [input as KeyInput];
    const keys = new Map<string, KeyObject>();
    for (const k of list) {
      const key = loadPublicKey(k, `trusted key of \`${party}\``);
      keys.set(keyId(key), key);
    }
    byParty.set(party, keys);
  }
  return byParty;
}

/**
 * Verifies the detached signatures of an agreement document.
 *
 * @param document - the JSON data of the agreement source; its canonical digest is recomputed,
 *   so whitespace and key order do not matter, any value does.
 * @param sigFile - the parsed JSON of a signature file (or a `SignatureFile`); its shape is
 *   checked here and every problem is reported, never thrown.
 * @param trustedKeys - each party's trusted Ed25519 public keys (SPKI PEM or `KeyObject`).
 * @throws ConcordatError `ERR_INPUT_SYNTAX` / `ERR_AGREEMENT_INVALID` when the document is not
 *   an agreement's JSON data; `ERR_KEY_INVALID` when a trusted key is not an Ed25519 key.
 */
export function verifyAgreementSignatures(
  document: unknown,
  sigFile: unknown,
  trustedKeys: TrustedKeys,
  options: VerifyOptions = {},
): VerifyResult {
  const header = agreementHeader(document);
  const digest = agreementDigest(document);
  const trusted = loadTrusted(trustedKeys);
  const required = options.requiredParties ?? header.parties;

  const problems: SignatureFileProblem[] = signatureFileHeaderIssues(sigFile).map((issue) => ({
    code: 'malformed',
    ...issue,
  }));
  const file: Record<string, unknown> =
    typeof sigFile === 'object' && sigFile !== null && !Array.isArray(sigFile)
      ? (sigFile as Record<string, unknown>)
      : {};
  const entries: readonly unknown[] = Array.isArray(file['signatures'])
    ? (file['signatures'] as unknown[])
    : [];
  if (typeof file['agreement'] === 'string' && file['agreement'] !== header.id)
    problems.push({
      code: 'agreement-mismatch',
      path: '$.agreement',
      message: `file is for agreement \`${file['agreement']}\`, not \`${header.id}\``,
    });
  if (typeof file['version'] === 'number' && file['version'] !== header.version)
    problems.push({
      code: 'version-mismatch',
      path: '$.version',
      message: `file is for version ${file['version']}, not ${header.version}`,
    });
  const digestMatches = file['digest'] === digest;
  if (typeof file['digest'] === 'string' && !digestMatches)
    problems.push({
      code: 'digest-mismatch',
      path: '$.digest',
      message: 'file digest is not the digest of this document: it was changed after signing',
    });

  const seen = new Set<string>();
  const signatures = entries.map((raw, index): SignatureCheck => {
    const path = `$.signatures[${index}]`;
    const claimed =
      typeof raw === 'object' &&
      raw !== null &&
      typeof (raw as { party?: unknown }).party === 'string'
        ? (raw as { party: string }).party
        : undefined;
    const invalid = (reason: SignatureFailure, message: string): SignatureCheck =>
      claimed === undefined
        ? { index, valid: false, reason, message }
        : { index, valid: false, reason, party: claimed, message };
    // An unknown format version may mean another signed message: count nothing from it.
    if (file['concordat_signatures'] !== SIGNATURE_FORMAT_VERSION)
      return invalid('malformed', 'unsupported signature file format version');
    const issues = signatureEntryIssues(raw, path);
    if (issues.length > 0)
      return invalid('malformed', issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    const entry = raw as AgreementSignature;
    if (!header.parties.includes(entry.party))
      return invalid('unknown-party', `\`${entry.party}\` is not a party of the agreement`);
    if (seen.has(entry.party))
      return invalid('duplicate', `an earlier entry already signs for \`${entry.party}\``);
    seen.add(entry.party);
    const key = trusted.get(entry.party)?.get(entry.key_id);
    if (key === undefined)
      return invalid(
        'untrusted-key',
        `key \`${entry.key_id.slice(0, 16)}…\` is not a trusted key of \`${entry.party}\``,
      );
    if (!digestMatches)
      return invalid(
        'digest-mismatch',
        'the signature is over another document (file digest differs)',
      );
    const message = signedMessage(digest, entry.party, entry.key_id, entry.signed_at);
    let good: boolean;
    try {
      good = verify(null, message, key, Buffer.from(entry.signature, 'base64url'));
    } catch {
      good = false;
    }
    if (!good) return invalid('bad-signature', 'the ed25519 signature does not verify');
    return {
      index,
      valid: true,
      party: entry.party,
      keyId: entry.key_id,
      signedAt: entry.signed_at,
    };
  });

  const validParties = new Set(signatures.flatMap((s) => (s.valid ? [s.party] : [])));
  const signed = header.parties.filter((p) => validParties.has(p));
  const missing = required.filter((p) => !validParties.has(p));
  return {
    ok: problems.length === 0 && signatures.every((s) => s.valid) && missing.length === 0,
    digest,
    problems,
    signatures,
    signed,
    missing,
  };
}
