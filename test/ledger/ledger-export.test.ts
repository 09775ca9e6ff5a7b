/**
 * The ledger export format: written lines read back into records that verify against their
 * checkpoints; every way a file can be cut, padded, edited or forged is refused with the line
 * named (ERR_LEDGER_EXPORT_INVALID) or a verification break at the entry — never half-read.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MerkleTree,
  encodeEntry,
  entryLeafHash,
  exportCheckpointLine,
  exportEntryLine,
  exportHeaderLine,
  noteVerifier,
  readLedgerExport,
  signCheckpoint,
  verifyLedger,
} from '../../src/ledger/index.js';
import type { LedgerEntry, LedgerRecord } from '../../src/ledger/index.js';

const ORIGIN = 'concordat.test.node';
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer = { name: ORIGIN, privateKey };
const verifier = noteVerifier(ORIGIN, publicKey);

function entries(n: number): LedgerEntry[] {
  return Array.from({ length: n }, (_, seq) => ({
    seq,
    at: 1_780_000_000_000 + seq,
    kind: 'governance',
    body: { event: 'agreement-activated', agreementId: `a-${seq}`, version: 1 },
  }));
}

/** An export of `list` with a checkpoint at each size in `at`. */
function lines(list: readonly LedgerEntry[], at: readonly number[]): string[] {
  const tree = new MerkleTree();
  const cps: string[] = [];
  for (const e of list) {
    tree.append(entryLeafHash(e));
    if (at.includes(tree.size))
      cps.push(signCheckpoint({ origin: ORIGIN, size: tree.size, root: tree.root() }, [signer]));
  }
  return [
    exportHeaderLine({
      origin: ORIGIN,
      verifierKey: 'k',
      size: list.length,
      checkpoints: cps.length,
    }),
    ...cps.map(exportCheckpointLine),
    ...list.map(exportEntryLine),
  ];
}

async function* from(ls: readonly string[]): AsyncGenerator<string> {
  for (const l of ls) yield l;
}

async function verify(ls: readonly string[]) {
  const r = await readLedgerExport(from(ls));
  return verifyLedger(r.records, r.checkpoints, { verifiers: [verifier], origin: ORIGIN });
}

async function refusal(ls: readonly string[]): Promise<unknown> {
  try {
    await verify(ls);
  } catch (err) {
    return err;
  }
  return 'accepted';
}

describe('ledger export', () => {
  it('writes each entry as its canonical bytes and reads back a ledger that verifies', async () => {
    const list = entries(25);
    const ls = lines(list, [10, 25]);
    expect(ls[3]).toBe(new TextDecoder().decode(encodeEntry(list[0]!)));
    const r = await readLedgerExport(from(ls));
    expect(r.header).toMatchObject({
      type: 'concordat-ledger-export',
      v: 1,
      size: 25,
      checkpoints: 2,
    });
    const got: LedgerRecord[] = [];
    for await (const rec of r.records) got.push(rec);
    expect(got.map((g) => g.entry)).toEqual(list);
    expect(await verify(ls)).toMatchObject({ ok: true, size: 25, checkpoints: 2 });
  });

  it('refuses a file cut short, padded, or with a broken header or checkpoint line, naming the line', async () => {
    const ls = lines(entries(5), [5]);
    const cases: [string, string[], RegExp][] = [
      ['empty', [], /line 1: the file is empty/],
      ['not-json-header', ['{', ...ls.slice(1)], /line 1: the header is not json/],
      [
        'other-type',
        [JSON.stringify({ type: 'x' }), ...ls.slice(1)],
        /line 1: not a ledger export/,
      ],
      ['future-version', [ls[0]!.replace('"v":1', '"v":2'), ...ls.slice(1)], /version `2`/],
      ['bad-counts', [ls[0]!.replace('"size":5', '"size":-1'), ...ls.slice(1)], /counts/],
      ['checkpoint-missing', [ls[0]!, ...ls.slice(2)], /line 2: expected checkpoint 1 of 1/],
      ['truncated', ls.slice(0, -1), /line 7: the file ends after 4 of the header's 5 entries/],
      ['padded', [...ls, ls.at(-1)!], /line 8: more entries than the header's `size` \(5\)/],
    ];
    for (const [name, broken, message] of cases) {
      const err = await refusal(broken);
      expect(err, name).toMatchObject({ code: 'ERR_LEDGER_EXPORT_INVALID' });
      expect((err as Error).message, name).toMatch(message);
    }
  });

  it('reports an edited, reordered or non-canonical entry as a break at its position', async () => {
    const ls = lines(entries(6), [6]); // header, one checkpoint, then entry k at line k + 3
    const edited = [...ls];
    edited[3] = edited[3]!.replace('"a-1"', '"a-X"');
    expect(edited[3]).toContain('"a-X"');
    expect(await verify(edited)).toMatchObject({
      ok: false,
      break: { kind: 'checkpoint-root-mismatch' },
    });
    const swapped = [...ls];
    [swapped[2], swapped[3]] = [swapped[3]!, swapped[2]!];
    expect(await verify(swapped)).toMatchObject({
      ok: false,
      break: { kind: 'sequence-gap', seq: 0 },
    });
    const spaced = [...ls];
    spaced[5] = spaced[5]!.replace('{"at"', '{ "at"');
    expect(await verify(spaced)).toMatchObject({
      ok: false,
      break: { kind: 'entry-malformed', seq: 3 },
    });
  });

  it('vouches for nothing with another key, whatever the header claims', async () => {
    const other = noteVerifier(ORIGIN, generateKeyPairSync('ed25519').publicKey);
    const r = await readLedgerExport(from(lines(entries(3), [3])));
    expect(
      await verifyLedger(r.records, r.checkpoints, { verifiers: [other], origin: ORIGIN }),
    ).toMatchObject({ ok: false, break: { kind: 'checkpoint-signature' } });
  });
});
