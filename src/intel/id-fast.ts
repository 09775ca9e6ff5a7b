/**
 * The common case of `checkId` (ids.ts) without a regular expression, for validation's hot
 * path: a bundle of a thousand objects checks thousands of ids and references, nearly all of
 * them well-formed and lowercase. Differential-tested against `checkId` in
 * test/intel/schema-rewrite.test.ts.
 */
import { checkId, type IdProblem } from './ids.js';

const isLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * True when `value` is a lowercase RFC 4122 id, i.e. matches
 * `^([a-z][a-z0-9-]{1,248}[a-z0-9])--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`.
 * Every such string is one `checkId` accepts — printable ASCII, `type--UUID` with the same type
 * pattern, version 1–5 and variant `10xx` bits, lowercase — and, the UUID being fixed-length,
 * the type is everything before the last 38 characters, as `checkId` splits it.
 */
function isPlainId(value: string): boolean {
  const t = value.length - 38; // the type's length
  if (t < 3 || t > 250) return false;
  let c = value.charCodeAt(0);
  if (!isLower(c)) return false;
  for (let i = 1; i < t - 1; i++) {
    c = value.charCodeAt(i);
    if (!isLower(c) && !isDigit(c) && c !== 0x2d) return false;
  }
  c = value.charCodeAt(t - 1);
  if (!isLower(c) && !isDigit(c)) return false;
  if (value.charCodeAt(t) !== 0x2d || value.charCodeAt(t + 1) !== 0x2d) return false;
  // The UUID: 8-4-4-4-12 lowercase hex digits.
  const u = t + 2;
  for (let i = 0; i < 36; i++) {
    c = value.charCodeAt(u + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return false;
    } else if (!isDigit(c) && !(c >= 0x61 && c <= 0x66)) return false;
  }
  // RFC 4122 §4.1: version 1–5, variant `10xx` (8, 9, a, b).
  c = value.charCodeAt(u + 14);
  if (c < 0x31 || c > 0x35) return false;
  c = value.charCodeAt(u + 19);
  return c === 0x38 || c === 0x39 || c === 0x61 || c === 0x62;
}

/** True when the plain id `value` has type `expectedType` (or none is expected). */
function hasType(value: string, expectedType: string | undefined): boolean {
  return (
    expectedType === undefined ||
    (expectedType.length === value.length - 38 && value.startsWith(expectedType))
  );
}

/**
 * `checkId(value, expectedType)`, answered by {@link isPlainId} when it holds with the
 * expected type; anything else goes to `checkId` itself, which names the problem.
 */
export function checkIdFast(value: unknown, expectedType?: string): ReturnType<typeof checkId> {
  if (typeof value === 'string' && isPlainId(value) && hasType(value, expectedType)) {
    const t = value.length - 38;
    return { ok: true, type: value.slice(0, t), uuid: value.slice(t + 2) };
  }
  return checkId(value, expectedType);
}

/**
 * The problem `checkIdFast(value, expectedType)` names, or `undefined` when the id is fine
 * (nothing is allocated for a fine id).
 */
export function idProblemFast(value: unknown, expectedType?: string): IdProblem | undefined {
  if (typeof value === 'string' && isPlainId(value) && hasType(value, expectedType))
    return undefined;
  const r = checkId(value, expectedType);
  return r.ok ? undefined : r.problem;
}
