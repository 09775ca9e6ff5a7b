/**
 * The tamper test: a ledger of a few hundred entries with checkpoints cosigned by the log and
 * the oversight body; 1,000 times, flip one random bit in a random stored entry encoding,
 * stored leaf hash or checkpoint text. Every single flip must be detected.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyLedger, type LedgerRecord } from '../../src/ledger/index.js';
import {
  checkpointsAt,
  logSigner,
  logVerifier,
  oversightSigner,
  oversightVerifier,
  sampleRecords,
} from './fixtures.js';

const SEED = Number(process.env.LEDGER_TAMPER_SEED ?? Date.now() % 2 ** 31);
const FLIPS = 1000;

describe('tamper test', () => {
  const records = sampleRecords(320);
  const sizes = [1, 50, 128, 200, 257, 320];
  const checkpoints = checkpointsAt(records, sizes, [logSigner, oversightSigner]);
  const encoded = checkpoints.map((c) => new TextEncoder().encode(c));
  const options = { verifiers: [logVerifier, oversightVerifier], require: 'all' as const };

  it('verifies the untouched ledger', async () => {
    expect((await verifyLedger(records, encoded, options)).ok).toBe(true);
  });

  it(`detects ${String(FLIPS)}/${String(FLIPS)} single-bit flips (seed ${String(SEED)})`, async () => {
    console.log(`ledger tamper test seed: ${String(SEED)} (LEDGER_TAMPER_SEED to replay)`);
    const target = fc.oneof(
      fc.record({
        where: fc.constant('entry' as const),
        i: fc.nat(records.length - 1),
        bit: fc.nat(),
      }),
      fc.record({
        where: fc.constant('leaf-hash' as const),
        i: fc.nat(records.length - 1),
        bit: fc.nat(),
      }),
      fc.record({
        where: fc.constant('checkpoint' as const),
        i: fc.nat(checkpoints.length - 1),
        bit: fc.nat(),
      }),
    );
    const flips = fc.sample(target, { seed: SEED, numRuns: FLIPS });
    const missed: string[] = [];
    const kinds = new Map<string, number>();
    for (const { where, i, bit } of flips) {
      let list: readonly LedgerRecord[] = records;
      let cps: readonly Uint8Array[] = encoded;
      const flipIn = (bytes: Uint8Array): Uint8Array => {
        const copy = bytes.slice();
        const b = bit % (copy.length * 8);
        copy[b >> 3]! ^= 1 << (b & 7);
        return copy;
      };
      if (where === 'checkpoint') {
        cps = encoded.map((c, j) => (j === i ? flipIn(c) : c));
      } else {
        list = records.map((r, j) =>
          j !== i
            ? r
            : where === 'entry'
              ? { entry: flipIn(r.entry), storedLeafHash: r.storedLeafHash }
              : { entry: r.entry, storedLeafHash: flipIn(r.storedLeafHash) },
        );
      }
      const result = await verifyLedger(list, cps, options);
      if (result.ok) missed.push(`${where}#${String(i)} bit ${String(bit)}`);
      else kinds.set(result.break.kind, (kinds.get(result.break.kind) ?? 0) + 1);
    }
    console.log(
      `ledger tamper test: ${String(FLIPS - missed.length)}/${String(FLIPS)} detected`,
      Object.fromEntries(kinds),
    );
    expect(missed).toEqual([]);
    expect(flips).toHaveLength(FLIPS);
  });
});
