/**
 * `bundleValidation` in ranges (how ingest workers validate, chunk by chunk) against
 * `validateStixBundle` in one go: the same verdict and the same issues in the same order, for
 * every way of cutting the objects into consecutive ranges — on the official OASIS examples
 * gathered into one bundle, with mutations that make objects invalid or repeat them.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { bundleValidation, validateStixBundle, validationResult } from '../../src/intel/index.js';
import type { StixIssue } from '../../src/intel/index.js';
import { oasisExamples } from '../intel/fixtures.js';

type Json = Record<string, unknown>;

const objects: Json[] = oasisExamples().flatMap(([, doc]) => {
  const d = doc as Json;
  return d.type === 'bundle' && Array.isArray(d.objects) ? (d.objects as Json[]) : [d];
});

function inRanges(bundle: unknown, cuts: readonly number[]): ReturnType<typeof validateStixBundle> {
  const v = bundleValidation(bundle, {});
  if (v.stop !== undefined) return v.stop;
  const issues: StixIssue[] = [...v.head];
  const ends = [...new Set(cuts.map((c) => Math.min(c, v.count)))].sort((a, b) => a - b);
  let from = 0;
  for (const to of [...ends, v.count]) {
    if (to <= from) continue;
    issues.push(...v.range(from, to));
    from = to;
  }
  return validationResult(issues);
}

it('validates in any ranges exactly as in one go', () => {
  expect(objects.length).toBeGreaterThan(50);
  fc.assert(
    fc.property(
      fc.shuffledSubarray(objects, { minLength: 1 }),
      fc.array(fc.nat({ max: objects.length }), { maxLength: 8 }),
      fc.array(fc.tuple(fc.nat(), fc.constantFrom('drop-id', 'bad-created', 'repeat', 'null')), {
        maxLength: 4,
      }),
      (picked, cuts, mutations) => {
        const list: unknown[] = picked.map((o) => ({ ...o }));
        for (const [at, kind] of mutations) {
          const i = at % list.length;
          const o = list[i] as Json | null;
          if (o === null) continue;
          if (kind === 'drop-id') delete o.id;
          else if (kind === 'bad-created') o.created = 'not a time';
          else if (kind === 'repeat') list.push({ ...o });
          else list[i] = null;
        }
        const bundle = {
          type: 'bundle',
          id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
          objects: list,
        };
        expect(inRanges(bundle, cuts)).toEqual(validateStixBundle(bundle, {}));
      },
    ),
    { numRuns: 60 },
  );
});

it('stops at the limits before any object, as the whole validation does', () => {
  const bundle = { type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects };
  const limits = { maxDepth: 64, maxValues: 10, maxStringLength: 1000 };
  const v = bundleValidation(bundle, { limits });
  expect(v.stop).toEqual(validateStixBundle(bundle, { limits }));
  expect(v.stop?.valid).toBe(false);
});
