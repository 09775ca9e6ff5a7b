/**
 * The standard transparency-dev/merkle vectors in ../shared/data/merkle-vectors (README:
 * SOURCE.txt there). Every file is one case named after its damage; the valid ones must
 * verify and every mutated one must be rejected. Tests may read ../shared; the product never.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  verifyConsistency,
  verifyInclusion,
  verifySubtreeConsistency,
  verifySubtreeInclusion,
} from '../../src/ledger/index.js';

const ROOT = new URL('../../../shared/data/merkle-vectors/', import.meta.url).pathname;

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return walk(path);
      return name.endsWith('.json') ? [path] : [];
    });
}

const b64 = (s: unknown): Uint8Array => Buffer.from(typeof s === 'string' ? s : '', 'base64');
const b64s = (list: unknown): Uint8Array[] => (Array.isArray(list) ? list.map(b64) : []);

interface Vector {
  readonly file: string;
  readonly data: Record<string, unknown>;
}

function load(kind: string): Vector[] {
  return walk(join(ROOT, kind)).map((path) => ({
    file: relative(ROOT, path),
    data: JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>,
  }));
}

const num = (v: unknown): number => v as number;

const suites: Record<string, (d: Record<string, unknown>) => { ok: boolean; reason?: string }> = {
  inclusion: (d) =>
    verifyInclusion(b64(d.leafHash), num(d.leafIdx), num(d.treeSize), b64s(d.proof), b64(d.root)),
  consistency: (d) =>
    verifyConsistency(num(d.size1), num(d.size2), b64s(d.proof), b64(d.root1), b64(d.root2)),
  subtreeinclusion: (d) =>
    verifySubtreeInclusion(
      b64(d.leafHash),
      num(d.leafIdx),
      num(d.start),
      num(d.end),
      b64s(d.proof),
      b64(d.root),
    ),
  subtreeconsistency: (d) =>
    verifySubtreeConsistency(
      num(d.start),
      num(d.end),
      num(d.size),
      b64s(d.proof),
      b64(d.root1),
      b64(d.root2),
    ),
};

let total = 0;
for (const [kind, verify] of Object.entries(suites)) {
  const vectors = load(kind);
  total += vectors.length;
  describe(`merkle vectors: ${kind} (${String(vectors.length)} cases)`, () => {
    it('has cases, valid and mutated', () => {
      expect(vectors.some((v) => v.data.wantErr === false)).toBe(true);
      expect(vectors.some((v) => v.data.wantErr === true)).toBe(true);
    });
    for (const { file, data } of vectors) {
      const want = data.wantErr === true ? 'rejects' : 'verifies';
      it(`${want} ${file} (${String(data.desc)})`, () => {
        const result = verify(data);
        expect(result.ok, JSON.stringify(result)).toBe(data.wantErr !== true);
      });
    }
  });
}

describe('merkle vectors: coverage', () => {
  it('ran every vector file', () => {
    expect(total).toBe(walk(ROOT).length);
    expect(total).toBeGreaterThanOrEqual(500);
  });
});
