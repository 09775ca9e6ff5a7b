/**
 * The verifier's byte scanner (scan-entry.ts) against the reference path (`decodeEntry`:
 * parse, re-encode, compare). The scanner may decline (the verifier then takes the reference
 * path) but must never accept bytes the reference rejects, nor read another `seq`; and it must
 * really accept the common entries, or the fast path would be dead code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry, type JsonObject } from '../../src/ledger/index.js';
import { scanEntrySeq } from '../../src/ledger/scan-entry.js';
import { sampleEntry } from './fixtures.js';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

function reference(bytes: Uint8Array): number | undefined {
  try {
    return decodeEntry(bytes).seq;
  } catch {
    return undefined;
  }
}

/** Never accepts what the reference rejects; agrees on `seq` when both accept. */
function agrees(bytes: Uint8Array): void {
  const fast = scanEntrySeq(bytes);
  if (fast !== undefined) expect(reference(bytes)).toBe(fast);
}

const key = fc.oneof(
  fc.constantFrom(
    'a',
    'b',
    'A',
    'Z',
    'objectHash',
    'Content',
    'PAYLOAD',
    'raw',
    'rax',
    '__proto__',
  ),
  fc.string({ minLength: 1, maxLength: 8, unit: 'binary-ascii' }),
);
const leaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -(2 ** 53), max: 2 ** 53 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 12, unit: 'binary-ascii' }),
  fc.string({ maxLength: 6, unit: 'grapheme' }),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(key, tie('v'), { maxKeys: 4 }),
  ),
})).v;
const body = fc.dictionary(key, value, { maxKeys: 6 });

describe('scanEntrySeq', () => {
  it('accepts the common entries (the fast path runs) with their seq', () => {
    for (let seq = 0; seq < 200; seq++) {
      const bytes = encodeEntry(sampleEntry(seq));
      expect(scanEntrySeq(bytes)).toBe(seq);
    }
  });

  it('agrees with decodeEntry on random canonical entries and on every single-bit flip', () => {
    fc.assert(
      fc.property(
        body,
        fc.nat(),
        fc.nat(),
        fc.constantFrom('ingest', 'governance.pause', 'a-b.c'),
        (b, seq, at, kind) => {
          let bytes: Uint8Array;
          try {
            bytes = encodeEntry({ seq, at, kind, body: b as JsonObject });
          } catch {
            return; // over a limit or a content key: not an entry
          }
          agrees(bytes);
          for (let bit = 0; bit < bytes.length * 8; bit++) {
            const copy = bytes.slice();
            copy[bit >> 3]! ^= 1 << (bit & 7);
            agrees(copy);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('declines or rejects non-canonical spellings the reference rejects', () => {
    const cases = [
      '{"at":1,"body":{},"kind":"x","seq":0} ',
      '{"at":1,"body":{ },"kind":"x","seq":0}',
      '{"at":01,"body":{},"kind":"x","seq":0}',
      '{"at":1,"body":{"b":1,"a":2},"kind":"x","seq":0}',
      '{"at":1,"body":{"a":1,"a":1},"kind":"x","seq":0}',
      '{"at":1,"body":{"a":-0},"kind":"x","seq":0}',
      '{"at":1,"body":{"a":1.0},"kind":"x","seq":0}',
      '{"at":1,"body":{"a":1e2},"kind":"x","seq":0}',
      '{"at":1,"body":{"Pattern":"x"},"kind":"x","seq":0}',
      '{"at":1,"body":{"a":"\\u0041"},"kind":"x","seq":0}',
      '{"at":1,"body":[],"kind":"x","seq":0}',
      '{"at":1,"body":{},"kind":"X","seq":0}',
      '{"at":1,"body":{},"kind":"a..b","seq":0}',
      '{"at":1,"body":{},"kind":"a.","seq":0}',
      '{"at":-1,"body":{},"kind":"x","seq":0}',
      '{"at":1,"body":{"a":[[[[[[1]]]]]]},"kind":"x","seq":0}',
      `{"at":1,"body":{"a":"${'x'.repeat(513)}"},"kind":"x","seq":0}`,
    ];
    for (const c of cases) {
      expect(reference(ascii(c)), c).toBeUndefined();
      expect(scanEntrySeq(ascii(c)), c).toBeUndefined();
    }
    // Valid but outside the subset: declined, and the reference path accepts it.
    const long = '{"at":1,"body":{"a":"é","b":0.5},"kind":"x","seq":1234567890123456}';
    expect(scanEntrySeq(ascii(long))).toBeUndefined();
    expect(reference(ascii(long))).toBe(1234567890123456);
    // Accepted by both: the limits' edges.
    const edge = `{"at":1,"body":{"a":[[[[[1]]]]],"s":"${'x'.repeat(512)}"},"kind":"x","seq":7}`;
    expect(reference(ascii(edge))).toBe(7);
    expect(scanEntrySeq(ascii(edge))).toBe(7);
  });
});
