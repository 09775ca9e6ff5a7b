/**
 * The fast STIX canonical encoder against its references: the `canonicalize` package (RFC 8785)
 * on random JSON data and real ATT&CK objects, and the agreement module's `canonicalJson` on
 * what is not JSON data (same error, same path).
 */
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/agreement/index.js';
import { canonicalStixJson } from '../../src/intel/index.js';
import { INDICATOR, EMAIL, IDENTITY } from './fixtures.js';

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
};

describe('canonicalStixJson', () => {
  it('writes what canonicalize writes, on random JSON data', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalStixJson(v)).toBe(canonicalize(v));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })),
        (v) => {
          const ok = !/\p{Surrogate}/u.test(JSON.stringify(Object.entries(v)).normalize());
          if (ok) expect(canonicalStixJson(v)).toBe(canonicalize(v));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes what canonicalize writes, on STIX objects', () => {
    for (const o of [INDICATOR, EMAIL, IDENTITY, { a: -0, b: 1e21, c: 5e-7, é: '\u2028\n"' }])
      expect(canonicalStixJson(o)).toBe(canonicalize(o));
  });

  it('refuses what is not JSON data exactly as canonicalJson does', () => {
    const deep: unknown[] = [];
    let at = deep;
    for (let i = 0; i < 300; i++) at.push((at = []));
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    for (const bad of [
      { a: undefined },
      { a: Number.NaN },
      { a: '\ud800' },
      { '\udc00': 1 },
      { a: new Date(0) },
      { [Symbol('s')]: 1 },
      // eslint-disable-next-line no-sparse-arrays -- a hole is the point
      [1, , 3],
      deep,
      circular,
      { a: 1n },
    ]) {
      const mine = thrown(() => canonicalStixJson(bad));
      const ref = thrown(() => canonicalJson(bad));
      expect(mine).toBeDefined();
      expect(String(mine)).toBe(String(ref));
    }
  });
});
