/**
 * `checkLimits` (a recursive pass for input within the limits, then the iterative walk) against
 * the iterative walk alone, kept here as it was before the recursive pass: the same issue, or
 * none, on random trees and limits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pointer, type StixIssue } from '../../src/intel/issues.js';
import { checkLimits, type StixLimits } from '../../src/intel/limits.js';

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

/** Returns the first limit the input breaks, as an issue, or undefined. */
function referenceLimits(input: unknown, limits: StixLimits): StixIssue | undefined {
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

describe('checkLimits', () => {
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small' },
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.constant(null),
      tie('array'),
      tie('object'),
    ),
    array: fc.array(tie('tree'), { maxLength: 6 }),
    object: fc.dictionary(fc.string({ maxLength: 12 }), tie('tree'), { maxKeys: 6 }),
  }));
  const limits = fc.record({
    maxDepth: fc.integer({ min: 0, max: 8 }),
    maxValues: fc.integer({ min: 0, max: 80 }),
    maxStringLength: fc.integer({ min: 0, max: 12 }),
  });

  it('finds the issue the iterative walk finds, or none', () => {
    let none = 0;
    let some = 0;
    fc.assert(
      fc.property(tree, limits, (input, l) => {
        const expected = referenceLimits(input, l);
        expect(checkLimits(input, l)).toEqual(expected);
        if (expected === undefined) none++;
        else some++;
      }),
      { numRuns: 3000 },
    );
    expect(none).toBeGreaterThan(300);
    expect(some).toBeGreaterThan(300);
  });

  it('refuses a circular input as the iterative walk does', () => {
    const circular: Record<string, unknown> = { a: [1] };
    circular.self = circular;
    const l: StixLimits = { maxDepth: 64, maxValues: 1000, maxStringLength: 100 };
    expect(checkLimits(circular, l)).toEqual(referenceLimits(circular, l));
    expect(checkLimits(circular, l)).toBeDefined();
  });
});
