import { expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import { checkpoints, ledgerEntries } from '../../src/store/index.js';
import type { LedgerEntryInput } from '../../src/store/index.js';
import { describeDialects } from './dialects.js';
import { T0 } from './fixtures.js';

const entry = (i: number): LedgerEntryInput => ({
  atMs: T0 + i,
  kind: i % 2 === 0 ? 'ingest' : 'shred',
  body: JSON.stringify({ i }),
  leafHash: new Uint8Array(32).fill(i),
});

describeDialects('store ledger tables', (d) => {
  it('appends entries at consecutive leaf indices and reads them back', async () => {
    const { db } = await d.fresh();
    expect(await db.transaction((tx) => ledgerEntries.append(tx, [entry(0), entry(1)]))).toBe(0);
    expect(await db.transaction((tx) => ledgerEntries.append(tx, [entry(2)]))).toBe(2);
    expect(await ledgerEntries.size(db)).toBe(3);
    expect(await ledgerEntries.get(db, 1)).toEqual({
      seq: 1,
      ...entry(1),
      leafHash: Buffer.from(entry(1).leafHash),
    });
    expect((await ledgerEntries.range(db, 1, 3)).map((e) => e.seq)).toEqual([1, 2]);
    expect((await ledgerEntries.leafHashes(db, 0, 3)).map((h) => h[0])).toEqual([0, 1, 2]);
    expect(await ledgerEntries.get(db, 3)).toBeUndefined();
  });

  it('refuses a leaf hash that is not 32 bytes', async () => {
    const { db } = await d.fresh();
    const err = await db
      .transaction((tx) =>
        ledgerEntries.append(tx, [{ ...entry(0), leafHash: new Uint8Array(31) }]),
      )
      .catch((e: unknown) => e);
    expect(isConcordatError(err, 'ERR_LEDGER_ENTRY_INVALID')).toBe(true);
    expect(await ledgerEntries.size(db)).toBe(0);
  });

  it('offers no way to change or remove entries or checkpoints', () => {
    for (const repo of [ledgerEntries, checkpoints])
      for (const name of Object.keys(repo))
        expect(name).not.toMatch(/update|delete|remove|set|truncate|replace/i);
  });

  it('the database itself refuses UPDATE and DELETE on the ledger tables', async () => {
    const { db } = await d.fresh();
    await db.transaction(async (tx) => {
      await ledgerEntries.append(tx, [entry(0)]);
      await checkpoints.append(tx, { size: 1, root: new Uint8Array(32), text: 'cp', atMs: T0 });
    });
    const attempts = [
      "UPDATE ledger_entries SET body = '{}' WHERE seq = 0",
      'DELETE FROM ledger_entries WHERE seq = 0',
      "UPDATE checkpoints SET text = 'forged' WHERE size = 1",
      'DELETE FROM checkpoints',
      ...(d.name === 'postgres' ? ['TRUNCATE ledger_entries', 'TRUNCATE checkpoints'] : []),
    ];
    for (const sql of attempts) {
      const err = await db.transaction((tx) => tx.run(sql)).catch((e: unknown) => e);
      expect(err, sql).toBeInstanceOf(Error);
      expect(String((err as Error).message), sql).toMatch(/append-only/);
    }
    expect((await ledgerEntries.get(db, 0))?.body).toBe(entry(0).body);
    expect((await checkpoints.latest(db))?.text).toBe('cp');
  });

  it('stores checkpoints whose size only grows and never exceeds the ledger', async () => {
    const { db } = await d.fresh();
    await db.transaction((tx) => ledgerEntries.append(tx, [entry(0), entry(1), entry(2)]));
    const cp = (size: number) => ({
      size,
      root: new Uint8Array(32).fill(size),
      text: `size ${size}`,
      atMs: T0,
    });
    await db.transaction((tx) => checkpoints.append(tx, cp(2)));
    for (const bad of [2, 1, 4]) {
      const err = await db
        .transaction((tx) => checkpoints.append(tx, cp(bad)))
        .catch((e: unknown) => e);
      expect(isConcordatError(err, 'ERR_LEDGER_RANGE'), `size ${bad}`).toBe(true);
    }
    await db.transaction((tx) => checkpoints.append(tx, cp(3)));
    expect((await checkpoints.list(db)).map((c) => c.size)).toEqual([2, 3]);
    expect((await checkpoints.latest(db))?.text).toBe('size 3');
    expect((await checkpoints.get(db, 2))?.root[0]).toBe(2);
  });
});
