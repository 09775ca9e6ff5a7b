import { expect, it } from 'vitest';
import { checkpoints, dataKeys, ledgerEntries, objects } from '../../src/store/index.js';
import type { Database } from '../../src/store/index.js';
import { describeDialects } from './dialects.js';
import { T0, seedKey, version } from './fixtures.js';

const leaf = (i: number): Uint8Array => new Uint8Array(32).fill(i & 0xff);

async function snapshot(db: Database): Promise<unknown> {
  return {
    objects: await objects.count(db),
    keys: (await dataKeys.list(db)).length,
    ledger: await ledgerEntries.size(db),
    rows: (await db.get('SELECT COUNT(*) AS n FROM ledger_entries'))?.n,
    counters: await db.all('SELECT name, value, last_us FROM store_counters ORDER BY name'),
  };
}

describeDialects('store transactions', (d) => {
  it('an error rolls back every write of the transaction', async () => {
    const { db } = await d.fresh();
    const key = await seedKey(db);
    await db.transaction((tx) => objects.insert(tx, version(key), T0));
    const before = await snapshot(db);
    const boom = new Error('boom');
    const err = await db
      .transaction(async (tx) => {
        await objects.insert(tx, version(key), T0);
        await dataKeys.insert(tx, {
          keyId: 'dk-rolled-back',
          producer: 'BOR',
          windowStartMs: T0,
          windowEndMs: T0 + 1,
          kekId: 'k',
          wrapped: new Uint8Array(60),
          createdMs: T0,
        });
        await ledgerEntries.append(tx, [
          { atMs: T0, kind: 'ingest', body: '{}', leafHash: leaf(1) },
        ]);
        throw boom;
      })
      .catch((e: unknown) => e);
    expect(err).toBe(boom);
    expect(await snapshot(db)).toEqual(before);
    expect(await dataKeys.get(db, 'dk-rolled-back')).toBeUndefined();
  });

  it('a failing statement rolls back the statements before it', async () => {
    const { db } = await d.fresh();
    const key = await seedKey(db);
    const before = await snapshot(db);
    const err = await db
      .transaction(async (tx) => {
        await objects.insert(tx, version(key), T0);
        await ledgerEntries.append(tx, [
          { atMs: T0, kind: 'ingest', body: '{}', leafHash: leaf(2) },
        ]);
        // Foreign key: a data key that does not exist.
        await objects.insert(tx, version('dk-missing'), T0);
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(await snapshot(db)).toEqual(before);
  });

  it('concurrent transactions append ledger entries without gaps or duplicates', async () => {
    const { db } = await d.fresh();
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        db.transaction((tx) =>
          ledgerEntries.append(
            tx,
            Array.from({ length: 25 }, (_, i) => ({
              atMs: T0,
              kind: 'k',
              body: `{"w":${w},"i":${i}}`,
              leafHash: leaf(i),
            })),
          ),
        ),
      ),
    );
    const rows = await ledgerEntries.range(db, 0, 1000);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    // Each transaction's batch is contiguous.
    for (let i = 0; i < 200; i += 25)
      expect(new Set(rows.slice(i, i + 25).map((r) => JSON.parse(r.body).w)).size).toBe(1);
    expect(await ledgerEntries.size(db)).toBe(200);
  });

  it('a transaction object cannot be used after it ends', async () => {
    const { db } = await d.fresh();
    let leaked: Parameters<Parameters<Database['transaction']>[0]>[0] | undefined;
    await db.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(checkpoints.latest(leaked!)).rejects.toThrow(/after it committed/);
  });
});
