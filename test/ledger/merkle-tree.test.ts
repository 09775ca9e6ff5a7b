/**
 * The fast tree against the naive RFC 6962 reference (reference-tree.ts), on random sizes and
 * indices: roots and proofs must be byte-identical, every proof must verify, and every
 * mutation of a proof must be rejected.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CompactRange,
  MerkleTree,
  emptyRoot,
  isValidSubtree,
  leafHash,
  verifyConsistency,
  verifyInclusion,
  verifySubtreeConsistency,
  verifySubtreeInclusion,
} from '../../src/ledger/index.js';
import { isConcordatError } from '../../src/core/index.js';
import { refMth, refPath, refProof, refSubtreeProof } from './reference-tree.js';

const MAX = 2000;
const data: Uint8Array[] = Array.from({ length: MAX }, (_, i) =>
  new TextEncoder().encode(`leaf-${String(i)}`),
);
const tree = new MerkleTree();
for (const d of data) tree.append(leafHash(d));

const hex = (list: readonly Uint8Array[]): string[] =>
  list.map((h) => Buffer.from(h).toString('hex'));

/** A proof with one of the damages a forger or a bug could cause. */
const proofMutation = (proof: readonly Uint8Array[]): fc.Arbitrary<Uint8Array[]> => {
  const options: fc.Arbitrary<Uint8Array[]>[] = [
    fc.constant([...proof, proof[0] ?? new Uint8Array(32)]), // extra element
    fc.constant([new Uint8Array(32), ...proof]), // preceding garbage
  ];
  if (proof.length > 0) {
    options.push(
      fc.record({ i: fc.nat(proof.length - 1), bit: fc.nat(255) }).map(({ i, bit }) => {
        const copy = proof.map((h) => new Uint8Array(h));
        copy[i]![bit >> 3]! ^= 1 << (bit & 7);
        return copy;
      }), // flipped bit
      fc.constant(proof.slice(0, -1)), // truncated
      fc.constant(proof.slice(1)), // dropped first
    );
  }
  if (proof.length > 1) {
    options.push(
      fc.nat(proof.length - 2).map((i) => {
        const copy = [...proof];
        [copy[i], copy[i + 1]] = [copy[i + 1]!, copy[i]!];
        return copy;
      }), // swapped neighbours
    );
  }
  return fc.oneof(...options);
};

/** A copy of `h` with one bit flipped (`new Uint8Array` copies; `Buffer#slice` would not). */
const flip = (h: Uint8Array, bit: number): Uint8Array => {
  const copy = new Uint8Array(h);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
};

describe('MerkleTree vs the RFC 6962 reference', () => {
  it('roots at every size 0..64 and on random sizes equal MTH', () => {
    expect(hex([tree.rootAt(0)])).toEqual(hex([emptyRoot()]));
    for (let n = 0; n <= 64; n++) {
      expect(hex([tree.rootAt(n)])).toEqual(hex([refMth(data.slice(0, n))]));
    }
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX }), (n) => {
        expect(hex([tree.rootAt(n)])).toEqual(hex([refMth(data.slice(0, n))]));
      }),
      { numRuns: 60 },
    );
  });

  it('a tree built to size n has root() = rootAt(n) of a bigger tree, and so has a compact range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), (n) => {
        const small = new MerkleTree();
        const range = new CompactRange();
        for (let i = 0; i < n; i++) {
          small.append(tree.leafHashAt(i));
          range.append(tree.leafHashAt(i));
        }
        expect(small.size).toBe(n);
        expect(range.size).toBe(n);
        expect(hex([small.root(), range.root()])).toEqual(hex([tree.rootAt(n), tree.rootAt(n)]));
      }),
      { numRuns: 40 },
    );
  });

  it('inclusion proofs equal PATH and verify; mutations are rejected', () => {
    const cases = fc
      .integer({ min: 1, max: MAX })
      .chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1)));
    fc.assert(
      fc.property(cases, ([n, i]) => {
        const proof = tree.inclusionProof(i, n);
        expect(hex(proof)).toEqual(hex(refPath(i, data.slice(0, n))));
        const root = tree.rootAt(n);
        const leaf = tree.leafHashAt(i);
        expect(verifyInclusion(leaf, i, n, proof, root)).toEqual({ ok: true });
        fc.assert(
          fc.property(proofMutation(proof), (bad) => {
            expect(verifyInclusion(leaf, i, n, bad, root).ok).toBe(false);
          }),
          { numRuns: 10 },
        );
        fc.assert(
          fc.property(fc.nat(255), (bit) => {
            expect(verifyInclusion(flip(leaf, bit), i, n, proof, root).ok).toBe(false);
            expect(verifyInclusion(leaf, i, n, proof, flip(root, bit)).ok).toBe(false);
          }),
          { numRuns: 5 },
        );
        if (n > 1) {
          const other = (i + 1) % n;
          expect(verifyInclusion(leaf, other, n, proof, root).ok).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('consistency proofs equal PROOF and verify; mutations are rejected', () => {
    const cases = fc
      .integer({ min: 1, max: MAX })
      .chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n)));
    fc.assert(
      fc.property(cases, ([m, n]) => {
        const proof = tree.consistencyProof(m, n);
        expect(hex(proof)).toEqual(hex(refProof(m, data.slice(0, n))));
        const [root1, root2] = [tree.rootAt(m), tree.rootAt(n)];
        expect(verifyConsistency(m, n, proof, root1, root2)).toEqual({ ok: true });
        fc.assert(
          fc.property(proofMutation(proof), (bad) => {
            expect(verifyConsistency(m, n, bad, root1, root2).ok).toBe(false);
          }),
          { numRuns: 10 },
        );
        fc.assert(
          fc.property(fc.nat(255), (bit) => {
            expect(verifyConsistency(m, n, proof, flip(root1, bit), root2).ok).toBe(false);
            expect(verifyConsistency(m, n, proof, root1, flip(root2, bit)).ok).toBe(false);
          }),
          { numRuns: 5 },
        );
        if (m < n) expect(verifyConsistency(m, n, proof, root2, root1).ok).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('subtree proofs equal the draft reference and verify; mutations are rejected', () => {
    const subtrees = fc
      .tuple(fc.integer({ min: 1, max: 600 }), fc.nat(600), fc.nat(600))
      .map(([n, a, b]) => {
        const end = 1 + (a % n);
        // Largest valid start at or below a random point.
        let start = b % end;
        while (!isValidSubtree(start, end)) start--;
        return { start, end, n };
      });
    fc.assert(
      fc.property(subtrees, fc.nat(), ({ start, end, n }, pick) => {
        const leaves = data.slice(0, n);
        const proof = tree.subtreeConsistencyProof(start, end, n);
        expect(hex(proof)).toEqual(hex(refSubtreeProof(start, end, leaves)));
        const sub = tree.subtreeHash(start, end);
        expect(hex([sub])).toEqual(hex([refMth(leaves.slice(start, end))]));
        const root = tree.rootAt(n);
        expect(verifySubtreeConsistency(start, end, n, proof, sub, root)).toEqual({ ok: true });
        fc.assert(
          fc.property(proofMutation(proof), (bad) => {
            expect(verifySubtreeConsistency(start, end, n, bad, sub, root).ok).toBe(false);
          }),
          { numRuns: 5 },
        );
        const index = start + (pick % (end - start));
        const path = tree.subtreeInclusionProof(index, start, end);
        expect(hex(path)).toEqual(hex(refPath(index - start, leaves.slice(start, end))));
        const leaf = tree.leafHashAt(index);
        expect(verifySubtreeInclusion(leaf, index, start, end, path, sub)).toEqual({ ok: true });
        fc.assert(
          fc.property(proofMutation(path), (bad) => {
            expect(verifySubtreeInclusion(leaf, index, start, end, bad, sub).ok).toBe(false);
          }),
          { numRuns: 5 },
        );
      }),
      { numRuns: 150 },
    );
  });
});

describe('MerkleTree arguments', () => {
  const small = new MerkleTree();
  for (let i = 0; i < 5; i++) small.append(tree.leafHashAt(i));
  const rangeError = (fn: () => unknown): void => {
    let caught: unknown;
    try {
      fn();
    } catch (err) {
      caught = err;
    }
    expect(isConcordatError(caught, 'ERR_LEDGER_RANGE'), String(caught)).toBe(true);
  };

  it('refuses sizes, indices and hashes out of range with ERR_LEDGER_RANGE', () => {
    rangeError(() => small.append(new Uint8Array(31)));
    rangeError(() => small.rootAt(6));
    rangeError(() => small.rootAt(-1));
    rangeError(() => small.rootAt(1.5));
    rangeError(() => small.inclusionProof(5, 5));
    rangeError(() => small.inclusionProof(0, 0));
    rangeError(() => small.inclusionProof(2, 6));
    rangeError(() => small.consistencyProof(0, 3));
    rangeError(() => small.consistencyProof(4, 3));
    rangeError(() => small.leafHashAt(5));
    rangeError(() => small.subtreeHash(1, 3));
    rangeError(() => small.subtreeConsistencyProof(4, 8, 5));
    rangeError(() => small.subtreeInclusionProof(1, 2, 4));
    rangeError(() => new CompactRange().append(new Uint8Array(33)));
  });

  it('gives an empty consistency proof between equal sizes', () => {
    expect(small.consistencyProof(5, 5)).toEqual([]);
    expect(verifyConsistency(5, 5, [], small.root(), small.root())).toEqual({ ok: true });
  });
});

describe('verifiers never throw on bad input', () => {
  const anything = fc.oneof(
    fc.integer({ min: -3, max: 40 }),
    fc.constantFrom(Number.NaN, 2 ** 60, 1.5, Infinity),
  );
  const hash = fc.oneof(
    fc.uint8Array({ minLength: 32, maxLength: 32 }),
    fc.uint8Array({ maxLength: 40 }),
  );
  const proof = fc.array(hash, { maxLength: 8 });
  it('returns a reason for any sizes, indices, hashes and proofs', () => {
    fc.assert(
      fc.property(anything, anything, anything, proof, hash, hash, (a, b, c, p, h1, h2) => {
        for (const r of [
          verifyInclusion(h1, a, b, p, h2),
          verifyConsistency(a, b, p, h1, h2),
          verifySubtreeInclusion(h1, a, b, c, p, h2),
          verifySubtreeConsistency(a, b, c, p, h1, h2),
        ]) {
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) expect(typeof r.reason).toBe('string');
        }
      }),
      { numRuns: 500 },
    );
  });
});
