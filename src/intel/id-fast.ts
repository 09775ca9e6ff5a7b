/**
 * The common case of `checkId` (ids.ts) in one regular expression, for validation's hot path:
 * a bundle of a thousand objects checks thousands of ids and references, nearly all of them
 * well-formed and lowercase. Differential-tested against `checkId` in
 * test/intel/schema-rewrite.test.ts.
 */
import { checkId } from './ids.js';

/**
 * A lowercase RFC 4122 id. Every string it matches is one `checkId` accepts — printable ASCII,
 * `type--UUID` with the same type pattern, version 1–5 and variant `10xx` bits, lowercase —
 * and, the UUID being fixed-length, group 1 is the same type `checkId` splits off.
 */
const PLAIN_ID =
  /^([a-z][a-z0-9-]{1,248}[a-z0-9])--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * `checkId(value, expectedType)`, answered by {@link PLAIN_ID} when it matches with the
 * expected type; anything else goes to `checkId` itself, which names the problem.
 */
export function checkIdFast(value: unknown, expectedType?: string): ReturnType<typeof checkId> {
  if (typeof value === 'string') {
    const m = PLAIN_ID.exec(value);
    if (m !== null && (expectedType === undefined || m[1] === expectedType))
      return { ok: true, type: m[1] as string, uuid: value.slice(value.length - 36) };
  }
  return checkId(value, expectedType);
}
