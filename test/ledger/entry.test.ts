import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import {
  assertNoContent,
  decodeEntry,
  encodeEntry,
  entryLeafHash,
  leafHash,
  type JsonObject,
  type LedgerEntry,
} from '../../src/ledger/index.js';
import { sampleEntry } from './fixtures.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

const rejects = (fn: () => unknown): void => {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(isConcordatError(caught, 'ERR_LEDGER_ENTRY_INVALID'), String(caught)).toBe(true);
};

describe('encodeEntry', () => {
  it('writes RFC 8785 JSON: sorted keys, no whitespace', () => {
    const entry: LedgerEntry = {
      seq: 7,
      at: 1000,
      kind: 'release',
      body: { z: 1, a: [true, null, 'é'], m: { y: 0.5, b: -0 } },
    };
    expect(text(encodeEntry(entry))).toBe(
      '{"at":1000,"body":{"a":[true,null,"é"],"m":{"b":0,"y":0.5},"z":1},"kind":"release","seq":7}',
    );
    expect(entryLeafHash(entry)).toEqual(leafHash(encodeEntry(entry)));
  });

  it('agrees with the canonicalize package (RFC 8785 reference) on random bodies', () => {
    const key = fc
      .string({ minLength: 1, maxLength: 12 })
      .filter(
        (k) =>
          !/^(content|payload|plaintext|ciphertext|raw|stix|bundle|objects|pattern|description|intel)$/i.test(
            k,
          ),
      );
    const leaf = fc.oneof(
      fc.constant(null),
      fc.boolean(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.string({ maxLength: 40, unit: 'grapheme' }),
      fc.string({ maxLength: 20, unit: 'binary' }).filter((s) => !/\p{Surrogate}/u.test(s)),
    );
    const body = fc.dictionary(
      key,
      fc.oneof(leaf, fc.array(leaf, { maxLength: 4 }), fc.dictionary(key, leaf, { maxKeys: 4 })),
      { maxKeys: 8 },
    );
    fc.assert(
      fc.property(body, fc.nat(), fc.nat(), (b, seq, at) => {
        const entry: LedgerEntry = { seq, at, kind: 'decision', body: b as JsonObject };
        const bytes = encodeEntry(entry);
        expect(text(bytes)).toBe(canonicalize({ seq, at, kind: 'decision', body: b }));
        expect(decodeEntry(bytes)).toEqual(JSON.parse(text(bytes)));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects malformed entries', () => {
    const ok = sampleEntry(1);
    rejects(() => encodeEntry({ ...ok, seq: -1 }));
    rejects(() => encodeEntry({ ...ok, seq: 1.5 }));
    rejects(() => encodeEntry({ ...ok, at: Number.NaN }));
    rejects(() => encodeEntry({ ...ok, kind: 'Release' }));
    rejects(() => encodeEntry({ ...ok, kind: '' }));
    rejects(() => encodeEntry({ ...ok, body: [] as unknown as JsonObject }));
    rejects(() => encodeEntry({ ...ok, extra: 1 } as unknown as LedgerEntry));
    rejects(() => encodeEntry({ ...ok, body: { n: Infinity } }));
    rejects(() => encodeEntry({ ...ok, body: { s: '\ud800' } }));
    rejects(() => encodeEntry({ ...ok, body: { d: new Date(0) as unknown as string } }));
    rejects(() => encodeEntry({ ...ok, body: { u: undefined as unknown as null } }));
  });
});

describe('assertNoContent', () => {
  it('accepts hashes, ids and metadata', () => {
    expect(() => assertNoContent(sampleEntry(3).body)).not.toThrow();
  });

  it.each([
    ['content-field', { payload: 'x' }],
    ['stix-pattern', { indicator: { pattern: "[ipv4-addr:value = '198.51.100.7']" } }],
    ['stix-objects', { objects: [] }],
    ['description', { Description: 'APT report' }],
    ['long-string', { note: 'x'.repeat(513) }],
    ['deep-nesting', { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } }],
    ['too-many-values', { list: Array.from({ length: 600 }, (_, i) => i) }],
    ['not-an-object', 'hello'],
  ])('rejects a body with %s', (_damage, body) => {
    rejects(() => assertNoContent(body));
  });
});

describe('decodeEntry', () => {
  const bytes = encodeEntry(sampleEntry(4));
  it('round-trips', () => {
    expect(decodeEntry(bytes)).toEqual(sampleEntry(4));
  });
  it.each([
    ['added-whitespace', (s: string) => s.replace(':', ': ')],
    [
      'reordered-keys',
      (s: string) => s.replace('{"at":', '{"seq":4,"at":').replace(',"seq":4}', '}'),
    ],
    ['number-spelling', (s: string) => s.replace('"version":3', '"version":3.0')],
    ['escaped-char', (s: string) => s.replace('BOR', '\\u0042OR')],
    ['truncated', (s: string) => s.slice(0, -1)],
  ])('rejects non-canonical bytes: %s', (_damage, mutate) => {
    const altered = new TextEncoder().encode(mutate(text(bytes)));
    expect(text(altered)).not.toBe(text(bytes));
    rejects(() => decodeEntry(altered));
  });
  it('rejects invalid utf-8', () => {
    const altered = new Uint8Array([...bytes.slice(0, 10), 0xff, ...bytes.slice(10)]);
    rejects(() => decodeEntry(altered));
  });
});
