import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STIX_SCHEMAS } from '../../src/intel/stix-schemas.js';
import { rewritePattern } from '../../src/intel/safe-regexp.js';
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
