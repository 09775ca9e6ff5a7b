/**
 * Checking a decision request that arrives as JSON (the CLI's `concordat decide`, the REST
 * API). Names are not checked against an agreement here — an unknown agency or purpose is a
 * decision (`unknown-agency`, ...), not an error — only the shape and the closed vocabularies.
 */
import {
  PERSONAL_DATA_CATEGORIES,
  RSIT_CLASSES,
  TLP_LABELS,
  type PersonalData,
  type RsitClass,
  type Tlp,
} from '../agreement/index.js';
import { ConcordatError, parseInstant } from '../core/index.js';
import type { DecisionRequest, ObjectMeta } from './types.js';

const REQUEST_FIELDS = ['agency', 'purpose', 'object', 'at'] as const;
const OBJECT_FIELDS = ['type', 'tlp', 'personalData', 'producer', 'rsit', 'confidence'] as const;

function invalid(field: string, message: string): ConcordatError {
  return new ConcordatError('ERR_REQUEST_INVALID', `request field \`${field}\` ${message}`, {
    details: { field },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rejectUnknown(value: Record<string, unknown>, known: readonly string[], at: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw invalid(`${at}${key}`, `is not a known field (allowed: ${known.join(', ')})`);
    }
  }
}

function requireString(value: Record<string, unknown>, key: string, at: string): string {
  const v = value[key];
  if (typeof v !== 'string' || v.length === 0) {
    throw invalid(`${at}${key}`, 'must be a non-empty string');
  }
  return v;
}

function requireOneOf<T extends string>(
  value: Record<string, unknown>,
  key: string,
  allowed: readonly T[],
  at: string,
): T {
  const v = value[key];
  const found = allowed.find((a) => a === v);
  if (found === undefined) throw invalid(`${at}${key}`, `must be one of ${allowed.join(', ')}`);
  return found;
}

function parseObject(value: unknown): ObjectMeta {
  if (!isRecord(value)) throw invalid('object', 'must be an object');
  rejectUnknown(value, OBJECT_FIELDS, 'object.');
  const base = {
    type: requireString(value, 'type', 'object.'),
    tlp: requireOneOf<Tlp>(value, 'tlp', TLP_LABELS, 'object.'),
    personalData: requireOneOf<PersonalData>(
      value,
      'personalData',
      PERSONAL_DATA_CATEGORIES,
      'object.',
    ),
    producer: requireString(value, 'producer', 'object.'),
  };
  const rsit: RsitClass | undefined =
    value['rsit'] === undefined
      ? undefined
      : requireOneOf<RsitClass>(value, 'rsit', RSIT_CLASSES, 'object.');
  const confidence = value['confidence'];
  if (
    confidence !== undefined &&
    (typeof confidence !== 'number' ||
      !Number.isInteger(confidence) ||
      confidence < 0 ||
      confidence > 100)
  ) {
    throw invalid('object.confidence', 'must be an integer from 0 to 100');
  }
  return {
    ...base,
    ...(rsit === undefined ? {} : { rsit }),
    ...(confidence === undefined ? {} : { confidence }),
  };
}

function parseAt(value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string') {
    const t = parseInstant(value);
    if (t !== undefined) return t;
  }
  throw invalid('at', 'must be epoch milliseconds (an integer) or an RFC 3339 timestamp');
}

/**
 * Checks a decision request received as JSON and returns it typed. `at` may be epoch
 * milliseconds or an RFC 3339 timestamp; it is returned as epoch milliseconds.
 *
 * @throws ConcordatError `ERR_REQUEST_INVALID` naming the first offending field (also in
 *   `details.field`): an unknown field, a missing one, a wrong type or a value outside its
 *   vocabulary.
 */
export function validateDecisionRequest(value: unknown): DecisionRequest {
  if (!isRecord(value)) throw invalid('(request)', 'must be a json object');
  rejectUnknown(value, REQUEST_FIELDS, '');
  const agency = requireString(value, 'agency', '');
  const purpose = requireString(value, 'purpose', '');
  if (value['object'] === undefined) throw invalid('object', 'is required');
  const object = parseObject(value['object']);
  if (value['at'] === undefined) throw invalid('at', 'is required');
  const at = parseAt(value['at']);
  return { agency, purpose, object, at };
}
