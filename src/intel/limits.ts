/**
 * Size and depth limits checked before anything else reads the input, iteratively, so that a
 * hostile document (10 000 nested arrays, a billion-element array) yields one clear issue
 * instead of a stack overflow or an exhausted heap (DESIGN.md invariant 7).
 */
import type { StixIssue } from './issues.js';
import { pointer } from './issues.js';

/** Limits on a STIX input. */
export interface StixLimits {
  /** Deepest nesting of objects and arrays (the outermost value is depth 1). */
  readonly maxDepth: number;
  /** Most JSON values (objects, arrays, scalars, property names) in total. */
  readonly maxValues: number;
  /** Longest single string (property names included), in UTF-16 code units. */
  readonly maxStringLength: number;
}

/**
 * Defaults: generous for real intel (the ATT&CK Mobile bundle is 4 MB, depth 6, about
 * 300 000 values), far below what would hurt a node.
 */
export const DEFAULT_STIX_LIMITS: StixLimits = Object.freeze({
  maxDepth: 64,
  maxValues: 5_000_000,
  maxStringLength: 10_000_000,
});

/** A value waiting to be checked; its path is rebuilt from `up` only when it breaks a limit. */
interface Pending {
  readonly value: unknown;
  readonly depth: number;
  readonly token: string | number | undefined;
  readonly up: Pending | undefined;
}

function pathOf(p: Pending, keep?: number): string {
  const tokens: (string | number)[] = [];
  for (let at: Pending | undefined = p; at?.token !== undefined; at = at.up) tokens.push(at.token);
  tokens.reverse();
  return pointer('', ...(keep === undefined ? tokens : tokens.slice(0, keep)));
}

/**
 * Nesting up to which {@link withinLimits} may recurse: far below any stack limit, far above
 * the default `maxDepth`.
 */
const RECURSION_MAX_DEPTH = 512;

/**
 * True when `value` (at `depth`) breaks no limit — the same conditions `checkLimits` checks,
 * without the bookkeeping for a path: the common case of valid input, answered by recursion
 * that `maxDepth` bounds. `count` holds the running value count. On `false` the caller runs the
 * exact walk, which names the first limit broken (in its own order).
 */
function withinLimits(
  value: unknown,
  depth: number,
  limits: StixLimits,
  count: { n: number },
): boolean {
  if (typeof value === 'string') return value.length <= limits.maxStringLength;
  if (value === null || typeof value !== 'object') return true;
  if (depth > limits.maxDepth) return false;
  if (Array.isArray(value)) {
    if (value.length > limits.maxValues) return false;
    count.n += value.length;
    if (count.n > limits.maxValues) return false;
    for (let i = 0; i < value.length; i++)
      if (!withinLimits(value[i], depth + 1, limits, count)) return false;
    return true;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  // A property name and its value: two values.
  count.n += 2 * keys.length;
  if (count.n > limits.maxValues) return false;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (k.length > limits.maxStringLength) return false;
    if (!withinLimits(record[k], depth + 1, limits, count)) return false;
  }
  return true;
}

/** Returns the first limit the input breaks, as an issue, or undefined. */
export function checkLimits(input: unknown, limits: StixLimits): StixIssue | undefined {
  // The input itself is the first value.
  const seen = { n: 1 };
  if (
    limits.maxDepth <= RECURSION_MAX_DEPTH &&
    seen.n <= limits.maxValues &&
    withinLimits(input, 1, limits, seen)
  )
    return undefined;
  const stack: Pending[] = [{ value: input, depth: 1, token: undefined, up: undefined }];
  let count = 0;
  while (stack.length > 0) {
    const pending = stack.pop() as Pending;
    const { value, depth } = pending;
    count += 1;
    if (count > limits.maxValues)
      return {
        code: 'input-too-large',
        path: '',
        message: `input has more than ${limits.maxValues} values`,
        severity: 'error',
      };
    if (typeof value === 'string') {
      if (value.length > limits.maxStringLength)
        return {
          code: 'input-too-large',
          path: pathOf(pending),
          message: `string is longer than ${limits.maxStringLength} characters`,
          severity: 'error',
        };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > limits.maxDepth)
      return {
        code: 'input-too-deep',
        path: pathOf(pending, limits.maxDepth),
        message: `input nests deeper than ${limits.maxDepth} levels`,
        severity: 'error',
      };
    if (Array.isArray(value)) {
      if (value.length > limits.maxValues)
        return {
          code: 'input-too-large',
          path: pathOf(pending),
          message: `array has more than ${limits.maxValues} items`,
          severity: 'error',
        };
      for (let i = value.length - 1; i >= 0; i -= 1)
        stack.push({ value: value[i], depth: depth + 1, token: i, up: pending });
    } else {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i -= 1) {
        const k = keys[i] as string;
        if (k.length > limits.maxStringLength)
          return {
            code: 'input-too-large',
            path: pathOf(pending),
            message: `a property name is longer than ${limits.maxStringLength} characters`,
            severity: 'error',
          };
        count += 1;
        stack.push({
          value: (value as Record<string, unknown>)[k],
          depth: depth + 1,
          token: k,
          up: pending,
        });
      }
    }
  }
  return undefined;
}
