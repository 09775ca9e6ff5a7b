import { describe, expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import {
  checkpointFor,
  encodeEntry,
  leafHash,
  signCheckpoint,
  verifyCheckpoint,
  verifyLedger,
  MerkleTree,
  type LedgerRecord,
} from '../../src/ledger/index.js';
import {
  ORIGIN,
  checkpointsAt,
  logSigner,
  logVerifier,
  oversightSigner,
  oversightVerifier,
  sampleEntry,
  sampleRecords,
} from './fixtures.js';

const records = sampleRecords(300);
const sizes = [0, 1, 64, 100, 100, 255, 300];
const checkpoints = checkpointsAt(records, sizes);
const options = { verifiers: [logVerifier] };

async function* slowly(list: readonly LedgerRecord[]): AsyncGenerator<LedgerRecord> {
  for (const r of list) yield await Promise.resolve(r);
}

describe('verifyLedger', () => {
  it('verifies an intact ledger from a sync or async iterable, with progress', async () => {
    const progress: number[] = [];
    const result = await verifyLedger(records, checkpoints, {
      ...options,
      progressEvery: 100,
      onProgress: (n) => progress.push(n),
    });
    const tree = new MerkleTree();
    for (const r of records) tree.append(r.storedLeafHash);
    expect(result).toEqual({
      ok: true,
      size: 300,
      root: tree.root(),
      anchoredSize: 300,
      checkpoints: 7,
    });
    expect(progress).toEqual([100, 200, 300]);
    expect((await verifyLedger(slowly(records), checkpoints, options)).ok).toBe(true);
  });

  it('accepts decoded entries as well as stored bytes', async () => {
    const decoded = records.map((r, seq) => ({
      entry: sampleEntry(seq),
      storedLeafHash: r.storedLeafHash,
    }));
    expect((await verifyLedger(decoded, checkpoints, options)).ok).toBe(true);
  });

  it('reports entries beyond the last checkpoint as unanchored', async () => {
    const result = await verifyLedger(records, checkpoints.slice(0, 4), options);
    expect(result).toMatchObject({ ok: true, size: 300, anchoredSize: 100 });
  });

  const breakOf = async (
    list: readonly LedgerRecord[],
    cps: readonly string[] = checkpoints,
    opts: Parameters<typeof verifyLedger>[2] = options,
  ): Promise<unknown> => {
    const result = await verifyLedger(list, cps, opts);
    expect(result.ok).toBe(false);
    return result.ok ? undefined : result.break;
  };
  const withRecord = (seq: number, record: LedgerRecord): LedgerRecord[] =>
    records.map((r, i) => (i === seq ? record : r));

  it('finds a leaf-hash-mismatch at the entry', async () => {
    const entry = encodeEntry({ ...sampleEntry(42), kind: 'decision' });
    expect(
      await breakOf(withRecord(42, { entry, storedLeafHash: records[42]!.storedLeafHash })),
    ).toMatchObject({
      kind: 'leaf-hash-mismatch',
      seq: 42,
    });
  });

  it('finds a rewritten entry with a recomputed leaf hash at the next checkpoint', async () => {
    const entry = encodeEntry({ ...sampleEntry(142), kind: 'decision' });
    expect(
      await breakOf(withRecord(142, { entry, storedLeafHash: leafHash(entry) })),
    ).toMatchObject({
      kind: 'checkpoint-root-mismatch',
      seq: 254,
      checkpointIndex: 5,
      checkpointSize: 255,
    });
  });

  it('finds a sequence-gap (a deleted entry)', async () => {
    const list = records.filter((_, i) => i !== 7);
    expect(await breakOf(list)).toMatchObject({ kind: 'sequence-gap', seq: 7 });
  });

  it('finds a truncated ledger (checkpoint-beyond-ledger)', async () => {
    expect(await breakOf(records.slice(0, 290))).toMatchObject({
      kind: 'checkpoint-beyond-ledger',
      checkpointIndex: 6,
      checkpointSize: 300,
    });
  });

  it('finds a malformed entry', async () => {
    const entry = new TextEncoder().encode('{"not":"an entry"}');
    expect(await breakOf(withRecord(3, { entry, storedLeafHash: leafHash(entry) }))).toMatchObject({
      kind: 'entry-malformed',
      seq: 3,
    });
  });

  it('finds a checkpoint-signature break (wrong key, missing cosignature)', async () => {
    expect(await breakOf(records, checkpoints, { verifiers: [oversightVerifier] })).toMatchObject({
      kind: 'checkpoint-signature',
      checkpointIndex: 0,
    });
    expect(
      await breakOf(records, checkpoints, {
        verifiers: [logVerifier, oversightVerifier],
        require: 'all',
      }),
    ).toMatchObject({ kind: 'checkpoint-signature', checkpointIndex: 0 });
  });

  it('finds checkpoints out of order, from another origin, or malformed', async () => {
    expect(await breakOf(records, [checkpoints[3]!, checkpoints[2]!])).toMatchObject({
      kind: 'checkpoint-order',
      checkpointIndex: 1,
    });
    const tree = new MerkleTree();
    for (const r of records) tree.append(r.storedLeafHash);
    const foreign = signCheckpoint(
      { origin: 'other.example/log', size: 10, root: tree.rootAt(10) },
      logSigner,
    );
    expect(await breakOf(records, [checkpoints[1]!, foreign])).toMatchObject({
      kind: 'checkpoint-origin',
      checkpointIndex: 1,
    });
    expect(await breakOf(records, [checkpoints[1]!], { ...options, origin: 'x' })).toMatchObject({
      kind: 'checkpoint-origin',
    });
    expect(await breakOf(records, ['garbage'])).toMatchObject({
      kind: 'checkpoint-malformed',
      checkpointIndex: 0,
    });
  });

  it('finds a checkpoint whose signed root does not match (a forked history)', async () => {
    const forked = signCheckpoint(
      { origin: ORIGIN, size: 100, root: new Uint8Array(32) },
      logSigner,
    );
    expect(await breakOf(records, [checkpoints[2]!, forked])).toMatchObject({
      kind: 'checkpoint-root-mismatch',
      checkpointIndex: 1,
      checkpointSize: 100,
      seq: 99,
    });
  });
});

describe('checkpointFor', () => {
  it('signs a checkpoint over verified records', async () => {
    const note = await checkpointFor(records, {
      origin: ORIGIN,
      signer: [logSigner, oversightSigner],
    });
    const tree = new MerkleTree();
    for (const r of records) tree.append(r.storedLeafHash);
    expect(
      verifyCheckpoint(note, [logVerifier, oversightVerifier], {
        require: 'all',
        size: 300,
        root: tree.root(),
      }).ok,
    ).toBe(true);
  });

  it('refuses to sign over a leaf whose stored hash differs from its recomputed hash', async () => {
    const list = records.map((r, i) =>
      i === 250 ? { ...r, storedLeafHash: leafHash(new Uint8Array(1)) } : r,
    );
    let caught: unknown;
    try {
      await checkpointFor(list, { origin: ORIGIN, signer: logSigner });
    } catch (err) {
      caught = err;
    }
    expect(isConcordatError(caught, 'ERR_LEDGER_INTEGRITY')).toBe(true);
    expect((caught as { details: unknown }).details).toMatchObject({
      kind: 'leaf-hash-mismatch',
      seq: 250,
    });
  });
});
