/**
 * The detached signature file of an agreement (docs/spec/agreement-identity.md): the format,
 * the exact bytes each party signs, and the structural checks shared by `parseSignatureFile`
 * and `verifyAgreementSignatures`.
 */
import { ConcordatError, parseInstant } from '../core/index.js';
import { AGREEMENT_DIGEST_PATTERN } from './digest.js';

/** Version of the signature file format (`concordat_signatures`). */
export const SIGNATURE_FORMAT_VERSION = 1;

/** The domain-separation tag that starts every signed message. */
export const SIGNATURE_DOMAIN = 'concordat-agreement-v1';

/** One party's detached signature over an agreement's canonical form. */
export interface AgreementSignature {
  /** The signing party's id, as in the agreement's `parties`. */
  readonly party: string;
  /** `keyId` of the signing public key: SHA-256 of its SPKI DER, 64 lowercase hex digits. */
  readonly key_id: string;
  readonly alg: 'Ed25519';
  /** RFC 3339 UTC timestamp, signed as written. */
  readonly signed_at: string;
  /** The 64-byte Ed25519 signature, base64url without padding (86 characters). */
  readonly signature: string;
}

/** A detached signature file: one agreement version, its digest, and each party's signature. */
export interface SignatureFile {
  readonly concordat_signatures: 1;
  /** The agreement's `id`. */
  readonly agreement: string;
  /** The agreement's `version`. */
  readonly version: number;
  /** `agreementDigest` of the document signed. */
  readonly digest: string;
  readonly signatures: readonly AgreementSignature[];
}

/** What identifies an agreement document for signing: its id, version and party ids. */
export interface AgreementHeader {
  readonly id: string;
  readonly version: number;
  readonly parties: readonly string[];
}

/** A structural problem in a signature file, with a JSON path into it. */
export interface SignatureFileIssue {
  readonly path: string;
  readonly message: string;
}

const KEY_ID_PATTERN = /^[0-9a-f]{64}$/;
// 64 bytes in unpadded base64url: 85 full characters, then one carrying the
// last 2 bits and 4 zero bits, so only `A`, `Q`, `g`, `w` (RFC 4648 §5, §3.5 canonical encoding).
const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{85}[AQgw]$/;
// A party id is one line of the signed message, so it may hold no control character.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** RFC 3339 date-time with a time and a zone (a plain date is not a signing time). */
const SIGNED_AT_PATTERN =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** True when `text` is a signing time this format accepts. */
export function isSignedAt(text: string): boolean {
  return SIGNED_AT_PATTERN.test(text) && parseInstant(text) !== undefined;
}

/** True when `party` may appear in a signed message (non-empty, no control characters). */
export function isSignableParty(party: string): boolean {
  return party !== '' && !CONTROL.test(party);
}

/**
 * The exact message a party signs, as UTF-8 bytes: five lines joined by `\n`, no trailing
 * newline — the domain tag, the agreement digest, the party, the key id and the signing time.
 * Binding all five means a signature cannot be moved to another agreement or version (the
 * digest covers the whole document), another party, another key or another time.
 */
export function signedMessage(
  digest: string,
  party: string,
  keyIdHex: string,
  signedAt: string,
): Buffer {
  return Buffer.from([SIGNATURE_DOMAIN, digest, party, keyIdHex, signedAt].join('\n'), 'utf8');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the id, version and party ids from an agreement document (the JSON data of its source).
 *
 * @throws ConcordatError `ERR_AGREEMENT_INVALID` when the document has no string `id`, no
 *   integer `version`, or no `parties` list of objects with string `id`s.
 */
export function agreementHeader(document: unknown): AgreementHeader {
  const fail = (what: string): ConcordatError =>
    new ConcordatError('ERR_AGREEMENT_INVALID', `agreement document ${what}`, {
      details: [{ code: 'not-signable', message: what }],
    });
  if (!isRecord(document)) throw fail('is not an object');
  const { id, version, parties } = document;
  if (typeof id !== 'string' || id === '') throw fail('has no string `id`');
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0)
    throw fail('has no integer `version`');
  if (!Array.isArray(parties)) throw fail('has no `parties` list');
  const ids: string[] = [];
  for (const party of parties as unknown[]) {
    if (!isRecord(party) || typeof party['id'] !== 'string' || !isSignableParty(party['id']))
      throw fail('has a party without a string `id`');
    if (!ids.includes(party['id'])) ids.push(party['id']);
  }
  return { id, version, parties: ids };
}

/** Structural problems of one signature entry (empty when it has the documented shape). */
export function signatureEntryIssues(entry: unknown, path: string): SignatureFileIssue[] {
  if (!isRecord(entry)) return [{ path, message: 'a signature entry must be an object' }];
  const issues: SignatureFileIssue[] = [];
  const { party, key_id: kid, alg, signed_at: signedAt, signature } = entry;
  if (typeof party !== 'string' || !isSignableParty(party))
    issues.push({
      path: `${path}.party`,
      message: 'must be a party id without control characters',
    });
  if (typeof kid !== 'string' || !KEY_ID_PATTERN.test(kid))
    issues.push({ path: `${path}.key_id`, message: 'must be 64 lowercase hex digits' });
  if (alg !== 'Ed25519') issues.push({ path: `${path}.alg`, message: 'must be `Ed25519`' });
  if (typeof signedAt !== 'string' || !isSignedAt(signedAt))
    issues.push({ path: `${path}.signed_at`, message: 'must be an rfc 3339 date-time' });
  if (typeof signature !== 'string' || !SIGNATURE_PATTERN.test(signature))
    issues.push({
      path: `${path}.signature`,
      message: 'must be a 64-byte signature in unpadded base64url (86 characters)',
    });
  const known = new Set(['party', 'key_id', 'alg', 'signed_at', 'signature']);
  for (const key of Object.keys(entry))
    if (!known.has(key)) issues.push({ path: `${path}.${key}`, message: 'unknown member' });
  return issues;
}

/** Structural problems of a signature file's header (entries are checked one by one). */
export function signatureFileHeaderIssues(file: unknown): SignatureFileIssue[] {
  if (!isRecord(file)) return [{ path: '$', message: 'a signature file must be a json object' }];
  const issues: SignatureFileIssue[] = [];
  if (file['concordat_signatures'] !== SIGNATURE_FORMAT_VERSION)
    issues.push({
      path: '$.concordat_signatures',
      message: `must be ${SIGNATURE_FORMAT_VERSION} (the only format version)`,
    });
  if (typeof file['agreement'] !== 'string')
    issues.push({ path: '$.agreement', message: 'must be the agreement id' });
  if (typeof file['version'] !== 'number' || !Number.isSafeInteger(file['version']))
    issues.push({ path: '$.version', message: 'must be the agreement version' });
  if (typeof file['digest'] !== 'string' || !AGREEMENT_DIGEST_PATTERN.test(file['digest']))
    issues.push({ path: '$.digest', message: 'must be `sha256:` and 64 lowercase hex digits' });
  if (!Array.isArray(file['signatures']))
    issues.push({ path: '$.signatures', message: 'must be a list' });
  const known = new Set(['concordat_signatures', 'agreement', 'version', 'digest', 'signatures']);
  for (const key of Object.keys(file))
    if (!known.has(key)) issues.push({ path: `$.${key}`, message: 'unknown member' });
  return issues;
}

/**
 * Parses the text of a signature file and checks its structure (not its signatures: that is
 * `verifyAgreementSignatures`, which also accepts files this function would refuse and reports
 * each bad entry instead).
 *
 * @throws ConcordatError `ERR_INPUT_SYNTAX` when the text is not JSON; `ERR_SIGNATURE_INVALID`
 *   when it does not have the documented shape (`details` lists every issue with its path).
 */
export function parseSignatureFile(text: string): SignatureFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ConcordatError('ERR_INPUT_SYNTAX', 'signature file is not well-formed json', {
      cause,
    });
  }
  const issues = signatureFileHeaderIssues(value);
  if (issues.length === 0 && isRecord(value))
    (value['signatures'] as unknown[]).forEach((entry, i) =>
      issues.push(...signatureEntryIssues(entry, `$.signatures[${i}]`)),
    );
  if (issues.length > 0)
    throw new ConcordatError(
      'ERR_SIGNATURE_INVALID',
      `signature file is malformed: ${issues.length} issue(s), first at \`${issues[0]?.path ?? '$'}\``,
      { details: issues },
    );
  return value as SignatureFile;
}

/** The text of a signature file: JSON, two-space indented, one trailing newline. */
export function formatSignatureFile(file: SignatureFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
