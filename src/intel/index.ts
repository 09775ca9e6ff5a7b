/**
 * The intel module: STIX 2.1 validation, TLP markings, Admiralty grading, RSIT and
 * personal-data classification, the Concordat handling extension, and release-time
 * minimisation. Pure: no I/O (node:crypto only). This file is the module's only public door
 * (STYLE.md).
 */

// --- validation (validate.ts, issues.ts, limits.ts) ---
export { validateStix, validateStixBundle, validateStixObject } from './validate.js';
export type { StixValidationOptions } from './validate.js';
export type { StixIssue, StixIssueCode, StixIssueSeverity, StixValidation } from './issues.js';
export { DEFAULT_STIX_LIMITS } from './limits.js';
export type { StixLimits } from './limits.js';
export { assertValidStix } from './assert-valid.js';

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
