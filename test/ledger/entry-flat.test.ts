/**
 * The flat-body fast path of the entry encoder (entry.ts `flatBody`) against references: the
 * `canonicalize` package (RFC 8785) for the text and leaf hash, and `assertNoContent` (the
 * general walk) for what must be refused. Bodies are drawn flat and nested, in and out of key
 * order, with escapes, long strings, forbidden keys and non-integer numbers.
 */
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertNoContent, entryLeafHash, entryRow, leafHash } from '../../src/ledger/index.js';
import type { JsonObject, LedgerEntry } from '../../src/ledger/index.js';

const key = fc.oneof(
  fc.constantFrom(
    'objectId',
    'objectHash',
    'bundleId',
    'collection',
    'tlp',
    'version',
    'keyId',
    'retainUntil',
    'Payload',
    'content',
    'a"b',
    'é',
  ),
  fc.string({ maxLength: 6 }),
);
const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('a\\b', 'q"q', 'tab\t', 'é', '\u{1f600}', 'x'.repeat(512), 'x'.repeat(513)),
  fc.integer(),
  fc.constantFrom(0, -0, 1.5, 1e21, Number.MAX_SAFE_INTEGER + 2, true, false, null),
);
const value = fc.oneof(
  { weight: 5, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 2 }) },
  { weight: 1, arbitrary: fc.dictionary(key, scalar, { maxKeys: 2 }) },
);
const body = fc
  .tuple(fc.dictionary(key, value, { maxKeys: 10 }), fc.boolean())
  .map(([b, sorted]) =>
    sorted
      ? Object.fromEntries(Object.entries(b).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : b,
  );

describe('entryRow on flat and other bodies', () => {
  it('writes what canonicalize writes and refuses what the general walk refuses', () => {
    let written = 0;
    let refused = 0;
    fc.assert(
      fc.property(body, fc.nat(), (b, seq) => {
        const entry: LedgerEntry = {
          seq,
          at: 1_900_000_000_000,
          kind: 'ingest',
          body: b as JsonObject,
        };
        let general: unknown;
        try {
          assertNoContent(b);
        } catch (err) {
          general = err;
        }
        if (general !== undefined) {
          expect(() => entryRow(entry)).toThrow(
            expect.objectContaining({ code: 'ERR_LEDGER_ENTRY_INVALID' }) as Error,
          );
          refused++;
          return;
        }
        const row = entryRow(entry);
        const text = canonicalize({ at: entry.at, body: b, kind: entry.kind, seq }) as string;
        expect(row.body).toBe(canonicalize(b));
        expect(Buffer.from(row.leafHash)).toEqual(Buffer.from(leafHash(Buffer.from(text, 'utf8'))));
        expect(Buffer.from(entryLeafHash(entry))).toEqual(Buffer.from(row.leafHash));
        written++;
      }),
      { numRuns: 4000 },
    );
    expect(written).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(100);
  });

  it('encodes the ingest body shape exactly', () => {
    const b = {
      bundleId: 'bundle--6f1c1e0e-8c2a-4d4b-9b8a-3f2b1a0c9d8e',
      collection: 'bench',
      keyId: 'dk-1',
      objectHash: `sha256:${'ab'.repeat(32)}`,
      retainUntil: 1_900_000_000_000,
      version: '2029-11-01T00:00:00.000Z',
    };
    expect(entryRow({ seq: 7, at: 5, kind: 'ingest', body: b }).body).toBe(canonicalize(b));
  });
});
