import { expect, it } from 'vitest';
import { decodeCursor, encodeCursor, objects } from '../../src/store/index.js';
import type { Cursor, Database, ObjectQuery } from '../../src/store/index.js';
import { describeDialects } from './dialects.js';
import { T0, seedKey, version } from './fixtures.js';

const Q: ObjectQuery = { visibleAtMs: T0, limit: 7, versions: ['all'] };

async function insertMany(db: Database, key: string, n: number, atMs: number): Promise<string[]> {
  return db.transaction(async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await objects.insert(tx, version(key), atMs)).record.id);
    return ids;
  });
}

async function drain(
  db: Database,
  q: ObjectQuery,
  start?: Cursor,
): Promise<{ ids: string[]; last: Cursor | undefined }> {
  const ids: string[] = [];
  let after = start;
  for (;;) {
    const page = await objects.manifest(db, after === undefined ? q : { ...q, after });
    ids.push(...page.items.map((r) => r.id));
    if (page.next === undefined) {
      const tail = page.items[page.items.length - 1];
      return {
        ids,
        last: tail === undefined ? after : { dateAddedUs: tail.dateAddedUs, seq: tail.seq },
      };
    }
    after = decodeCursor(encodeCursor(page.next));
  }
}

describeDialects('store pagination', (d) => {
  it('pages through many objects added at the same instant, each exactly once, in order', async () => {
    const { db } = await d.fresh();
    const key = await seedKey(db);
    // One clock instant for all 50: date_added is still unique (µs) and seq breaks ties.
    const ids = await insertMany(db, key, 50, T0);
    const rows = (await objects.manifest(db, { ...Q, limit: 100 })).items;
    expect(new Set(rows.map((r) => r.dateAddedUs)).size).toBe(50);
    expect(rows.every((r) => Math.floor(r.dateAddedUs / 1000) >= T0)).toBe(true);
    const { ids: paged } = await drain(db, Q);
    expect(paged).toEqual(ids);
  });

  it('never skips or repeats when objects are added between pages', async () => {
    const { db } = await d.fresh();
    const key = await seedKey(db);
    const first = await insertMany(db, key, 20, T0);
    const p1 = await objects.manifest(db, Q);
    // New objects arrive, one of them with the clock going backwards.
    const more = await insertMany(db, key, 5, T0 - 60_000);
    const rest = await drain(db, Q, p1.next);
    expect([...p1.items.map((r) => r.id), ...rest.ids]).toEqual([...first, ...more]);
    // Following the last cursor later yields exactly the newer objects.
    const late = await insertMany(db, key, 3, T0);
    expect((await drain(db, Q, rest.last)).ids).toEqual(late);
  });

  it('filters added_after exclusively and combines it with the cursor', async () => {
    const { db } = await d.fresh();
    const key = await seedKey(db);
    await insertMany(db, key, 10, T0);
    const all = (await objects.manifest(db, { ...Q, limit: 100 })).items;
    const pivot = all[3]!;
    const after = await drain(db, { ...Q, addedAfterUs: pivot.dateAddedUs });
    expect(after.ids).toEqual(all.slice(4).map((r) => r.id));
  });

  it('rejects cursors that are not its own', () => {
    expect(decodeCursor('not-a-cursor')).toBeUndefined();
    expect(decodeCursor(Buffer.from('1.2.3').toString('base64url'))).toBeUndefined();
    expect(decodeCursor(encodeCursor({ dateAddedUs: 5, seq: 9 }))).toEqual({
      dateAddedUs: 5,
      seq: 9,
    });
  });
});
