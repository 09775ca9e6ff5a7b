/**
 * The compiled engine against the reference interpreter (STYLE.md: a naive reference beside the
 * fast path): on random valid agreements and requests biased towards their rules, every
 * decision must be deeply equal — same stage, same clause arrays in the same order, same
 * obligations, no extra keys. Also asserts the compiled path is what ran.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { compileAgreement, referenceEngine } from '../../src/policy/index.js';
import type { Decision } from '../../src/policy/index.js';
import { arbitraryScenario } from '../support/arbitrary-agreement.js';
import { propertyOptions, propertyRuns } from './runs.js';

/** Requests decided per generated agreement (compiling is what costs; deciding is cheap). */
const BATCH = 100;
// Total decisions compared: 2,000 by default locally, at least 100,000 when CI=true.
const TOTAL = propertyRuns(2_000, 100_000);
const RUNS = Math.max(1, Math.ceil(TOTAL / BATCH));

describe('compiled engine ≡ reference interpreter', () => {
  it(`decides ${RUNS * BATCH} random requests identically (${RUNS} agreements × ${BATCH})`, () => {
    const stages = new Map<string, number>();
    fc.assert(
      fc.property(arbitraryScenario(BATCH), ({ agreement, cases }) => {
        const compiled = compileAgreement(agreement);
        expect(compiled.kind).toBe('compiled');
        const reference = referenceEngine(agreement);
        const before = compiled.stats().decisions;
        for (const { request, state } of cases) {
          const expected = reference(request, state);
          const actual = compiled.decide(request, state);
          // isDeepStrictEqual is strict on keys (an `undefined`-valued key is a difference) and
          // cheap; `expect` then prints the diff.
          if (!isDeepStrictEqual(actual, expected)) expect(actual).toStrictEqual(expected);
          const key =
            expected.effect === 'allow' ? (expected.byWaiver ? 'waiver' : 'allow') : expected.stage;
          stages.set(key, (stages.get(key) ?? 0) + 1);
        }
        expect(compiled.stats().decisions - before).toBe(cases.length);
      }),
      propertyOptions(RUNS),
    );
    // The generator must actually reach every stage, or the comparison proves little.
    for (const stage of ['allow', 'waiver', 'constraint', 'pause', 'never-release', 'no-rule']) {
      expect(stages.get(stage) ?? 0, `stage ${stage} reached`).toBeGreaterThan(0);
    }
    console.info('differential stage counts', Object.fromEntries(stages));
  });

  it('returns the same decision twice (obligation slots are not corrupted by reuse)', () => {
    fc.assert(
      fc.property(arbitraryScenario(20), ({ agreement, cases }) => {
        const compiled = compileAgreement(agreement);
        const first: Decision[] = cases.map((c) => compiled.decide(c.request, c.state));
        const again: Decision[] = cases.map((c) => compiled.decide(c.request, c.state));
        expect(again).toStrictEqual(first);
        expect(compiled.stats().slots).toBeGreaterThanOrEqual(0);
      }),
      propertyOptions(Math.max(10, Math.ceil(RUNS / 10))),
    );
  });
});
