import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STIX_SCHEMAS } from '../../src/intel/stix-schemas.js';
import { IDENTIFIER_PATTERN, rewritePattern, safeRegExp } from '../../src/intel/safe-regexp.js';
import { SHARED } from './fixtures.js';

const upstream = new URL('stix2.1-schemas/', SHARED);

describe('vendored OASIS schemas', () => {
  const files = ['common', 'observables', 'sdos', 'sros'].flatMap((d) =>
    readdirSync(new URL(`${d}/`, upstream)).map((f) => `${d}/${f}`),
  );
  it('vendors every upstream schema file', () => {
    expect(STIX_SCHEMAS).toHaveLength(files.length);
  });
  it.each(files)('%s has the same content as the pinned upstream copy', (f) => {
    const theirs = JSON.parse(readFileSync(new URL(f, upstream), 'utf8')) as { $id: string };
    const ours = STIX_SCHEMAS.find((s) => (s as { $id?: string }).$id === theirs.$id);
    expect(ours).toEqual(theirs);
  });
});

describe('safe pattern rewrite', () => {
  const original = new RegExp('^([a-z][a-z0-9]*)+(-[a-z0-9]+)*\\-?$');
  const rewritten = new RegExp(rewritePattern(original.source));
  it('changes the catastrophic pattern', () => expect(rewritten.source).not.toBe(original.source));
  it.each([
    'indicator',
    'x-mitre-tactic',
    'a1-b2-',
    'abc',
    'Abc',
    '1abc',
    'a--b',
    'ipv4-addr',
    'a-',
    '',
  ])('agrees with the original on %j', (s) => expect(rewritten.test(s)).toBe(original.test(s)));
});

describe('identifier pattern rewrite', () => {
  const source = (
    STIX_SCHEMAS.find((s) => (s as { $id?: string }).$id?.endsWith('/common/identifier.json')) as {
      pattern: string;
    }
  ).pattern;
  const original = new RegExp(source);
  const rewritten = new RegExp(rewritePattern(source));
  const engine = safeRegExp(IDENTIFIER_PATTERN, '');
  it('changes the identifier pattern', () => expect(rewritten.source).not.toBe(original.source));
  it('is the pattern safe-regexp answers plain ids for', () =>
    expect(IDENTIFIER_PATTERN).toBe(source));
  it('agrees with the original on id-like strings', () => {
    const uuid = fc.uuid();
    const idLike = fc.oneof(
      fc
        .tuple(fc.stringMatching(/^[a-z0-9-]{0,12}$/), fc.constantFrom('--', '-', '---', ''), uuid)
        .map(([t, sep, u]) => `${t}${sep}${u}`),
      fc.tuple(uuid, fc.nat(40), fc.constantFrom('-', 'A', 'g', '0', '--', '')).map(([u, i, c]) => {
        const s = `indicator--${u}`;
        const at = i % (s.length + 1);
        return s.slice(0, at) + c + s.slice(at + 1);
      }),
      fc.string({ unit: fc.constantFrom('a', 'z', '0', '9', '-', 'f', 'A', '4', '8') }),
    );
    fc.assert(
      fc.property(idLike, (s) => {
        expect(rewritten.test(s)).toBe(original.test(s));
        // Twice: the second answer may come from the plain ids remembered by the first.
        expect(engine.test(s)).toBe(original.test(s));
        expect(engine.test(s)).toBe(original.test(s));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('literal schema patterns', () => {
  const patterns = new Set<string>();
  const collect = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(collect);
    const n = node as Record<string, unknown>;
    if (typeof n.pattern === 'string') patterns.add(n.pattern);
    Object.values(n).forEach(collect);
  };
  STIX_SCHEMAS.forEach(collect);
  const literal = [...patterns].filter((p) => /^\^[A-Za-z0-9_-]+\$?$/.test(p));
  it('include the prefix checks of ids', () => expect(literal).toContain('^indicator--'));
  it.each(literal)('%s: the engine answers what the expression does', (p) => {
    const engine = safeRegExp(p, '');
    const re = new RegExp(p);
    const text = p.replace(/^\^|\$$/g, '');
    const near = fc.oneof(
      fc
        .tuple(fc.nat(text.length), fc.string({ maxLength: 3 }), fc.string({ maxLength: 8 }))
        .map(([i, mid, tail]) => text.slice(0, i) + mid + text.slice(i) + tail),
      fc.string({ maxLength: 8 }).map((tail) => text + tail),
      fc.constantFrom(text, `${text}\n`, `x${text}`, text.toUpperCase(), ''),
    );
    fc.assert(
      fc.property(near, (s) => {
        expect(engine.test(s)).toBe(re.test(s));
      }),
      { numRuns: 300 },
    );
  });
});
