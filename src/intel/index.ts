/**
 * The intel module: STIX 2.1 validation, TLP markings, Admiralty grading, RSIT and
 * personal-data classification, the Concordat handling extension, and release-time
 * minimisation. Pure: no I/O (node:crypto only). This file is the module's only public door
 * (STYLE.md).
 */

// --- validation (validate.ts, issues.ts, limits.ts) ---
export {
  bundleValidation,
  validateStix,
  validateStixBundle,
  validateStixObject,
} from './validate.js';
export type { BundleValidation } from './validate.js';
export type { StixValidationOptions } from './validate.js';
export type { StixIssue, StixIssueCode, StixIssueSeverity, StixValidation } from './issues.js';
export { validationResult } from './issues.js';
export { DEFAULT_STIX_LIMITS } from './limits.js';
export type { StixLimits } from './limits.js';
export { assertValidStix } from './assert-valid.js';
export { canonicalStixJson } from './canonical-json.js';

// --- STIX types, ids, timestamps ---
export {
  STIX_SDO_TYPES,
  STIX_SRO_TYPES,
  STIX_SCO_TYPES,
  STIX_META_TYPES,
  isSpecType,
  isScoType,
} from './stix-types.js';
export { checkId, deterministicScoId } from './ids.js';
export type { IdProblem } from './ids.js';
export { parseStixTimestamp, formatStixTimestamp } from './timestamps.js';
export type { StixInstant } from './timestamps.js';

// --- TLP (tlp.ts) ---
export {
  TLP2_EXTENSION_ID,
  TLP2_MARKING_IDS,
  TLP1_MARKING_IDS,
  tlpOf,
  tlpMarkingRef,
  tlpMarkingDefinition,
  tlpOfMarkingDefinition,
  isStandardTlpMarking,
} from './tlp.js';
export type { MarkingDefinition } from './tlp.js';

// --- Admiralty grading (admiralty.ts) ---
export {
  admiraltyToConfidence,
  confidenceToAdmiralty,
  compareAdmiralty,
  admiraltyAtLeast,
  parseAdmiralty,
  isAdmiraltyGrade,
} from './admiralty.js';
export type { AdmiraltyGrade, AdmiraltyReliability, AdmiraltyCredibility } from './admiralty.js';

// --- classification and ObjectMeta (classification.ts, sensitive-properties.ts) ---
export {
  DEFAULT_UNMARKED_TLP,
  rsitOf,
  rsitLabel,
  personalDataOf,
  objectMeta,
} from './classification.js';
export type { ObjectMetaOptions } from './classification.js';
export { SENSITIVE_PROPERTIES, COMMON_SENSITIVE, sensitiveSpecOf } from './sensitive-properties.js';
export type { SensitiveSpec, TokenShape } from './sensitive-properties.js';

// --- the Concordat handling extension (handling-extension.ts) ---
export {
  CONCORDAT_HANDLING_EXTENSION_ID,
  CONCORDAT_HANDLING_EXTENSION_DEFINITION,
  CONCORDAT_HANDLING_SCHEMA,
  CONCORDAT_IDENTITY,
  CONCORDAT_IDENTITY_ID,
  stampHandling,
  readHandling,
} from './handling-extension.js';
export type { HandlingStamp } from './handling-extension.js';

// --- minimisation (minimise.ts, pseudonym.ts, ip.ts) ---
export { minimise, PUBLIC_REFERENCE_SOURCES } from './minimise.js';
export { pseudonymToken, isPseudonymToken, pseudonymousScoId } from './pseudonym.js';
export type { PseudonymKey } from './pseudonym.js';
export { coarsenIpv4, coarsenIpv6 } from './ip.js';
