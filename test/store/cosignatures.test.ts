/**
 * The witnesses' cosignatures table on both dialects: stored and listed per checkpoint size,
 * an identical repeat is idempotent, another line by the same witness for the same size is
 * refused with nothing written, a cosignature of a size never checkpointed is refused, and the
 * table is append-only in the repository and in the database.
 */
import { expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import { checkpoints, cosignatures, ledgerEntries } from '../../src/store/index.js';
import type { CosignatureRecord, Database } from '../../src/store/index.js';
import { describeDialects } from './dialects.js';
import { T0 } from './fixtures.js';

async function withCheckpoints(db: Database, sizes: readonly number[]): Promise<void> {
  const max = Math.max(...sizes);
  await db.transaction(async (tx) => {
    await ledgerEntries.append(
      tx,
      Array.from({ length: max }, (_, i) => ({
        atMs: T0 + i,
        kind: 'ingest',
        body: JSON.stringify({ i }),
        leafHash: new Uint8Array(32).fill(i),
      })),
    );
    for (const size of sizes)
      await checkpoints.append(tx, {
        size,
        root: new Uint8Array(32).fill(size),
        text: `cp ${size}`,
        atMs: T0,
      });
  });
}

const line = (witness: string, sig = 'AAAA'): string => `\u2014 ${witness} ${sig}`;
const cosig = (size: number, witness: string, sig?: string): CosignatureRecord => ({
  size,
  witness,
  keyId: 0xdeadbeef,
  line: line(witness, sig),
  receivedMs: T0 + size,
});

describeDialects('store checkpoint cosignatures', (d) => {
  it('stores cosignatures per size and finds the newest cosigned size', async () => {
    const { db } = await d.fresh();
    await withCheckpoints(db, [1, 2, 3]);
    expect(await cosignatures.latestCosignedSize(db)).toBeUndefined();
    expect(await db.transaction((tx) => cosignatures.insert(tx, cosig(2, 'w.example')))).toBe(true);
    expect(await db.transaction((tx) => cosignatures.insert(tx, cosig(2, 'a.example')))).toBe(true);
    expect(await db.transaction((tx) => cosignatures.insert(tx, cosig(1, 'w.example')))).toBe(true);
    expect(await cosignatures.latestCosignedSize(db)).toBe(2);
    expect(await cosignatures.listForSize(db, 2)).toEqual([
      cosig(2, 'a.example'),
      cosig(2, 'w.example'),
    ]);
    expect(await cosignatures.listForSize(db, 3)).toEqual([]);
  });

  it('an identical repeat is idempotent; another line by the same witness is refused', async () => {
    const { db } = await d.fresh();
    await withCheckpoints(db, [1]);
    await db.transaction((tx) => cosignatures.insert(tx, cosig(1, 'w.example')));
    expect(await db.transaction((tx) => cosignatures.insert(tx, cosig(1, 'w.example')))).toBe(
      false,
    );
    const err = await db
      .transaction((tx) => cosignatures.insert(tx, cosig(1, 'w.example', 'BBBB')))
      .catch((e: unknown) => e);
    expect(isConcordatError(err, 'ERR_CHECKPOINT_INVALID')).toBe(true);
    expect(await cosignatures.listForSize(db, 1)).toEqual([cosig(1, 'w.example')]);
  });

  it('refuses a cosignature of a size the node never checkpointed', async () => {
    const { db } = await d.fresh();
    await withCheckpoints(db, [1]);
    const err = await db
      .transaction((tx) => cosignatures.insert(tx, cosig(5, 'w.example')))
      .catch((e: unknown) => e);
    expect(isConcordatError(err, 'ERR_NOT_FOUND')).toBe(true);
    expect(await cosignatures.latestCosignedSize(db)).toBeUndefined();
  });

  it('offers no way to change or remove a cosignature', () => {
    for (const name of Object.keys(cosignatures))
      expect(name).not.toMatch(/update|delete|remove|set|truncate|replace/i);
  });

  it('the database itself refuses UPDATE and DELETE on the table', async () => {
    const { db } = await d.fresh();
    await withCheckpoints(db, [1]);
    await db.transaction((tx) => cosignatures.insert(tx, cosig(1, 'w.example')));
    const attempts = [
      "UPDATE checkpoint_cosignatures SET line = 'forged' WHERE size = 1",
      'DELETE FROM checkpoint_cosignatures',
      ...(d.name === 'postgres' ? ['TRUNCATE checkpoint_cosignatures'] : []),
    ];
    for (const sql of attempts) {
      const err = await db.transaction((tx) => tx.run(sql)).catch((e: unknown) => e);
      expect(err, sql).toBeInstanceOf(Error);
      expect(String((err as Error).message), sql).toMatch(/append-only/);
    }
    expect(await cosignatures.listForSize(db, 1)).toEqual([cosig(1, 'w.example')]);
  });
});
