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

  it('writes what canonicalize writes, whatever the member order and nesting', () => {
    // Deep copy with members in sorted order (the writer then has nothing to reorder).
    const sorted = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(sorted);
      if (v === null || typeof v !== 'object') return v;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort())
        Object.defineProperty(out, k, {
          value: sorted((v as Record<string, unknown>)[k]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return out;
    };
    const key = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom(
        '0',
        '1',
        '10',
        '2',
        '__proto__',
        'a',
        'A',
        'é',
        '\u{1f600}',
        '\\ud800',
        '\ud800',
        '',
      ),
    );
    const leaf = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.constantFrom(
        '\\ud800',
        'a\\udc00b',
        '\ud800',
        'a\udc00b',
        '\udbff\udfff',
        '\u2028',
        '\u{1f600}',
        '\u007f',
        '"\\',
      ),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.constantFrom(0, -0, 1e21, 1e-7, 5e-324, Number.MAX_VALUE),
      fc.boolean(),
      fc.constant(null),
    );
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
      array: fc.array(tie('tree'), { maxLength: 5 }),
      object: fc.dictionary(key, tie('tree'), { maxKeys: 8 }),
    }));
    // With the `u` flag a well-formed pair is one code point: only lone surrogates match.
    const noLoneSurrogate = (v: unknown): boolean =>
      typeof v === 'string'
        ? !/\p{Surrogate}/u.test(v)
        : v === null || typeof v !== 'object'
          ? true
          : Array.isArray(v)
            ? v.every(noLoneSurrogate)
            : Object.entries(v).every(([k, m]) => noLoneSurrogate(k) && noLoneSurrogate(m));
    fc.assert(
      fc.property(tree, (v) => {
        for (const w of [v, sorted(v)]) {
          if (noLoneSurrogate(w)) expect(canonicalStixJson(w)).toBe(canonicalize(w));
          else
            expect(String(thrown(() => canonicalStixJson(w)))).toBe(
              String(thrown(() => canonicalJson(w))),
            );
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('writes what canonicalize writes, on STIX objects', () => {
    for (const o of [
      INDICATOR,
      EMAIL,
      IDENTITY,
      { a: -0, b: 1e21, c: 5e-7, é: '\u2028\n"' },
      // Already sorted, with a literal `\ud` that is no surrogate.
      { a: 'C:\\udp', b: [{ c: 1, d: '\u{1f600}' }], e: { '10': 1, '2': 2 } },
      JSON.parse('{"__proto__":{"b":1,"a":2},"z":{"2":0,"10":1}}') as unknown,
    ])
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
      { a: 1, b: '\ud800' },
      { a: 1, b: ['x', { c: 'y\udfff' }] },
      { a: 1, b: undefined },
      { a: [1, undefined] },
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
