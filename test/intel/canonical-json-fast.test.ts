/**
 * The fast writer really runs: on JSON data without lone surrogates `canonicalStixJson` never
 * falls back to `canonicalJson` (a fallback would still give the right text, so the
 * differential test in canonical-json.test.ts cannot see it), whatever the member order and
 * whatever objects came before (the writer remembers recent member lists).
 */
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type * as Agreement from '../../src/agreement/index.js';
import { canonicalStixJson } from '../../src/intel/index.js';

const fallbacks = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/agreement/index.js', async (original) => {
  const m = await original<typeof Agreement>();
  return {
    ...m,
    canonicalJson: (v: unknown) => {
      fallbacks.count++;
      return m.canonicalJson(v);
    },
  };
});

describe('canonicalStixJson fast path', () => {
  const key = fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('id', 'type', 'x_a', '10'));
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small' },
      fc.string(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      tie('array'),
      tie('object'),
    ),
    array: fc.array(tie('tree'), { maxLength: 4 }),
    object: fc.dictionary(key, tie('tree'), { maxKeys: 5 }),
  }));

  it('never falls back on JSON data', () => {
    fc.assert(
      fc.property(fc.array(tree, { maxLength: 6 }), (values) => {
        for (const v of values) {
          const before = fallbacks.count;
          expect(canonicalStixJson(v)).toBe(canonicalize(v));
          expect(fallbacks.count).toBe(before);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('does fall back on what is not JSON data', () => {
    const before = fallbacks.count;
    expect(() => canonicalStixJson({ a: '\ud800' })).toThrow();
    expect(fallbacks.count).toBe(before + 1);
  });
});
