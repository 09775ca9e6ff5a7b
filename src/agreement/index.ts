/**
 * The agreement language: parse, validate, compose, canonicalise, sign, diff. Pure: no I/O.
 * This file is the module's only public door (STYLE.md).
 */

// --- model (src/agreement/model.ts) ---
export {
  TLP_LABELS,
  PERSONAL_DATA_CATEGORIES,
  RSIT_CLASSES,
  PAP_LEVELS,
  ONWARD_SHARING_LEVELS,
} from './model.js';
export type {
  Agreement,
  Agency,
  ApprovalRule,
  Certification,
  ClauseKind,
  ClauseRef,
  Constraint,
  ConstraintScope,
  Core,
  DisputePolicy,
  Extension,
  Handling,
  Level,
  Match,
  Minimisation,
  NeverRelease,
  Official,
  OnwardSharing,
  Pap,
  Party,
  PersonalData,
  Purpose,
  ReleaseRule,
  ReviewPolicy,
  RsitClass,
  Sanction,
  SourceLocation,
  Tier,
  Tlp,
  Trigger,
  TriggerCondition,
  WaiverPolicy,
} from './model.js';

// --- minimisation and handling algebra (src/agreement/minimisation.ts) ---
export {
  NO_MINIMISATION,
  PERMISSIVE_HANDLING,
  combineMinimisation,
  minimisesAtLeast,
  stricterHandling,
  handlingAtLeastAsStrict,
} from './minimisation.js';

// --- parse and validate (owned by the agreement-language work) ---
export { parseAgreement, loadAgreement } from './parse.js';
export type { ParseOptions, ParseResult } from './parse.js';
export { ISSUE_CODES } from './issue-codes.js';
export type { AgreementIssue, IssueCode, IssueSpec } from './issue-codes.js';
export { AGREEMENT_SCHEMA, AGREEMENT_SCHEMA_ID, renderAgreementSchema } from './schema.js';
export { MAX_SOURCE_LENGTH } from './yaml-source.js';
export type { JsonValue } from './yaml-source.js';

// --- identity: canonical form, digest, signatures, diff (owned by the identity work) ---
export { canonicalJson } from './canonical.js';
export { AGREEMENT_DIGEST_PATTERN, agreementDigest } from './digest.js';
export { generateSigningKeyPair, keyId, loadPrivateKey, loadPublicKey } from './keys.js';
export type { KeyInput, SigningKeyPair } from './keys.js';
export {
  SIGNATURE_DOMAIN,
  SIGNATURE_FORMAT_VERSION,
  formatSignatureFile,
  parseSignatureFile,
  signedMessage,
} from './signature.js';
export type { AgreementSignature, SignatureFile, SignatureFileIssue } from './signature.js';
export { signAgreement, signatureFile } from './sign.js';
export type { SignOptions } from './sign.js';
export { verifyAgreementSignatures } from './verify.js';
export type {
  SignatureCheck,
  SignatureFailure,
  SignatureFileProblem,
  TrustedKeys,
  VerifyOptions,
  VerifyResult,
} from './verify.js';
export { diffAgreements, diffVerdict } from './diff.js';
export type { AgreementDiff, DiffChange, DiffEffect, DiffValue } from './diff.js';
export { formatDiff } from './format-diff.js';
