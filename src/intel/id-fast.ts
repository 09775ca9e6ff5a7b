/**
 * The common case of `checkId` (ids.ts) in one regular expression, for validation's hot path:
 * a bundle of a thousand objects checks thousands of ids and references, nearly all of them
 * well-formed and lowercase. Differential-tested against `checkId` in
 * test/intel/schema-rewrite.test.ts.
 */
import { checkId, type IdProblem } from './ids.js';

/**
 * A lowercase RFC 4122 id. Every string it matches is one `checkId` accepts — printable ASCII,
 * `type--UUID` with the same type pattern, version 1–5 and variant `10xx` bits, lowercase —
 * and, the UUID being fixed-length, the type is everything before the last 38 characters, as
 * `checkId` splits it. No capture group: `test` without captures is the cheapest call (a
 * hand-written character loop measured slower than this expression).
 */
const PLAIN_ID =
  /^[a-z][a-z0-9-]{1,248}[a-z0-9]--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Ids recently found plain: validation tests each id and reference twice, once against the
 * schema's identifier pattern (safe-regexp.ts asks {@link isPlainId} first) and once here.
 * Pure (a verdict depends only on the string); bounded, cleared when full.
 */
const recentPlain = new Set<string>();
const RECENT_MAX = 1024;

/**
 * True when `value` matches {@link PLAIN_ID}. Every such string also matches the OASIS
 * `common/identifier.json` pattern (a narrower type length, lowercase hex, the same version
 * and variant digits).
 */
export function isPlainId(value: string): boolean {
  if (recentPlain.has(value)) return true;
  if (!PLAIN_ID.test(value)) return false;
  if (recentPlain.size >= RECENT_MAX) recentPlain.clear();
  recentPlain.add(value);
  return true;
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
