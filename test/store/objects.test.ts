import { expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import { instantToMicros, objects } from '../../src/store/index.js';
import type { ObjectQuery } from '../../src/store/index.js';
import { describeDialects } from './dialects.js';
import { DAY, T0, seedKey, stixId, version } from './fixtures.js';

const ALL: ObjectQuery = { visibleAtMs: T0, limit: 1000, versions: ['all'] };

describeDialects('store objects', (d) => {
  it('inserts a version and gets it back with its sealed content', async () => {
    const { db } = await d.fresh();
    const key = await seedKey(db);
    const input = version(key, { modified: '2029-06-01T10:00:00.123456Z', tlp: 'amber' });
    const res = await db.transaction((tx) => objects.insert(tx, input, T0));
    expect(res.status).toBe('inserted');
    const got = await objects.get(db, input.id, instantToMicros(input.modified));
    expect(got).toMatchObject({
      id: input.id,
      type: 'indicator',
      specVersion: '2.1',
      modified: '2029-06-01T10:00:00.123456Z',
      modifiedUs: instantToMicros('2029-06-01T10:00:00.123456Z'),
      collection: 'c1',
      producer: 'ARV',
      tlp: 'amber',
      revoked: false,
      retainUntilMs: input.retainUntilMs,
      keyId: key,
      shreddedAtMs: null,
      seq: res.record.seq,
      dateAddedUs: res.record.dateAddedUs,
    });
    const sealed = input.sealed as Exclude<typeof input.sealed, () => unknown>;
    expect(Buffer.from(got!.sealed!.ciphertext)).toEqual(Buffer.from(sealed.ciphertext));
    expect(Buffer.from(got!.sealed!.nonce)).toEqual(Buffer.from(sealed.nonce));
    expect(Buffer.from(got!.sealed!.tag)).toEqual(Buffer.from(sealed.tag));
    expect(Buffer.from(got!.contentHash)).toEqual(Buffer.from(input.contentHash));
  });

  it('treats re-inserting the same version as a no-op, and other content as a conflict', async () => {
    const { db } = await d.fresh();
    const key = await seedKey(db);
    const input = version(key, { content: 'same' });
    const first = await db.transaction((tx) => objects.insert(tx, input, T0));
    const again = await db.transaction((tx) =>
      objects.insert(tx, { ...version(key, { id: input.id, content: 'same' }) }, T0 + 5),
    );
    expect(again.status).toBe('unchanged');
    expect(again.record.seq).toBe(first.record.seq);
    expect(again.record.dateAddedUs).toBe(first.record.dateAddedUs);
    let sealCalls = 0;
    const lazy = await db.transaction((tx) =>
      objects.insert(
        tx,
        { ...input, sealed: async () => (sealCalls++, input.sealed as never) },
        T0,
      ),
    );
    expect(lazy.status).toBe('unchanged');
    expect(sealCalls).toBe(0);
    const err = await db
      .transaction((tx) =>
        objects.insert(tx, version(key, { id: input.id, content: 'different' }), T0),
      )
      .catch((e: unknown) => e);
    expect(isConcordatError(err, 'ERR_OBJECT_CONFLICT')).toBe(true);
    expect(await objects.count(db)).toBe(1);
  });

  it('keeps versions of one id apart and answers first, last, all and a specific version', async () => {
    const { db } = await d.fresh();
    const key = await seedKey(db);
    const id = stixId();
    // Inserted out of order: first/last follow `modified`, not insertion.
    const mods = ['2029-03-01T00:00:00Z', '2029-01-01T00:00:00Z', '2029-02-01T00:00:00.5Z'];
    await db.transaction(async (tx) => {
      for (const m of mods) await objects.insert(tx, version(key, { id, modified: m }), T0);
      await objects.insert(tx, version(key, { modified: '2029-05-05T00:00:00Z' }), T0);
    });
    const mod = async (q: Partial<ObjectQuery>): Promise<string[]> =>
      (await objects.find(db, { ...ALL, ids: [id], ...q })).items.map((r) => r.modified);
    expect(await mod({ versions: ['last'] })).toEqual(['2029-03-01T00:00:00Z']);
    expect(await mod({ versions: ['first'] })).toEqual(['2029-01-01T00:00:00Z']);
    expect((await mod({ versions: ['first', 'last'] })).sort()).toEqual([
      '2029-01-01T00:00:00Z',
      '2029-03-01T00:00:00Z',
    ]);
    expect(await mod({ versions: [{ modified: '2029-02-01T00:00:00.500Z' }] })).toEqual([
      '2029-02-01T00:00:00.5Z',
    ]);
    expect(await mod({ versions: ['all'] })).toEqual(mods);
    expect(await mod({ versions: [{ modified: '2028-01-01T00:00:00Z' }] })).toEqual([]);
    // Default is `last` (TAXII 2.1 §3.4.2).
    const defaults: ObjectQuery = { visibleAtMs: T0, limit: 10, ids: [id] };
    expect((await objects.find(db, defaults)).items.map((r) => r.modified)).toEqual([mods[0]]);
    const versions = await objects.versions(db, id, { visibleAtMs: T0, limit: 10 });
    expect(versions.items.map((r) => r.modified)).toEqual(mods);
  });

  it('filters by collection, producer, type, id and spec_version', async () => {
    const { db } = await d.fresh();
    const arv = await seedKey(db, 'ARV');
    const bor = await seedKey(db, 'BOR');
    const a = version(arv, { type: 'indicator', collection: 'c1' });
    const b = version(arv, { type: 'malware', collection: 'c2' });
    const c = version(bor, {
      type: 'indicator',
      collection: 'c1',
      producer: 'BOR',
      specVersion: '2.0',
    });
    await db.transaction(async (tx) => {
      for (const v of [a, b, c]) await objects.insert(tx, v, T0);
    });
    const ids = async (q: Partial<ObjectQuery>): Promise<string[]> =>
      (await objects.manifest(db, { ...ALL, ...q })).items.map((r) => r.id);
    expect(await ids({})).toEqual([a.id, b.id, c.id]);
    expect(await ids({ collection: 'c1' })).toEqual([a.id, c.id]);
    expect(await ids({ producer: 'BOR' })).toEqual([c.id]);
    expect(await ids({ types: ['malware'] })).toEqual([b.id]);
    expect(await ids({ types: ['malware', 'indicator'], collection: 'c1' })).toEqual([a.id, c.id]);
    expect(await ids({ ids: [c.id, b.id] })).toEqual([b.id, c.id]);
    expect(await ids({ specVersions: ['2.0'] })).toEqual([c.id]);
    expect(await ids({ ids: [] })).toEqual([]);
  });

  it('returns manifest rows without content and hides objects past retention', async () => {
    const { db } = await d.fresh();
    const key = await seedKey(db);
    const short = version(key, { retainUntilMs: T0 + DAY });
    const long = version(key, { retainUntilMs: T0 + 5 * DAY });
    await db.transaction(async (tx) => {
      await objects.insert(tx, short, T0);
      await objects.insert(tx, long, T0);
    });
    const m = await objects.manifest(db, ALL);
    expect(m.items).toHaveLength(2);
    for (const row of m.items) expect(row).not.toHaveProperty('sealed');
    const later = await objects.manifest(db, { ...ALL, visibleAtMs: T0 + DAY });
    expect(later.items.map((r) => r.id)).toEqual([long.id]);
    expect((await objects.find(db, { ...ALL, visibleAtMs: T0 + 5 * DAY })).items).toEqual([]);
  });

  it('refuses a malformed limit or timestamp with a clear error', async () => {
    const { db } = await d.fresh();
    const key = await seedKey(db);
    const e1 = await objects.find(db, { ...ALL, limit: 0 }).catch((e: unknown) => e);
    expect(isConcordatError(e1, 'ERR_USAGE')).toBe(true);
    const e2 = await db
      .transaction((tx) => objects.insert(tx, version(key, { modified: 'yesterday' }), T0))
      .catch((e: unknown) => e);
    expect(isConcordatError(e2, 'ERR_INSTANT_INVALID')).toBe(true);
  });

  it('inserts many at once: existing and repeated versions are unchanged, new ones inserted in order', async () => {
    const { db } = await d.fresh();
    const key = await seedKey(db);
    const old = version(key, { content: 'old' });
    await db.transaction((tx) => objects.insert(tx, old, T0));
    const a = version(key, { content: 'a' });
    const b = version(key, { content: 'b' });
    const results = await db.transaction((tx) =>
      objects.insertMany(tx, [a, { ...old }, b, { ...a }], T0),
    );
    expect(results.map((r) => r.status)).toEqual([
      'inserted',
      'unchanged',
      'inserted',
      'unchanged',
    ]);
    expect(results[3]!.record.seq).toBe(results[0]!.record.seq);
    expect(results[2]!.record.seq).toBe(results[0]!.record.seq + 1);
    expect(results[2]!.record.dateAddedUs).toBeGreaterThan(results[0]!.record.dateAddedUs);
    expect(await objects.count(db)).toBe(3);
    expect(await db.transaction((tx) => objects.insertMany(tx, [], T0))).toEqual([]);
  });

  it('lists every conflicting version of a batch and stores none of the batch', async () => {
    const { db } = await d.fresh();
    const key = await seedKey(db);
    const x = version(key, { content: 'x' });
    const y = version(key, { content: 'y' });
    await db.transaction((tx) => objects.insertMany(tx, [x, y], T0));
    const before = await objects.count(db);
    const err = await db
      .transaction((tx) =>
        objects.insertMany(
          tx,
          [
            version(key),
            version(key, { id: x.id, content: 'x2' }),
            version(key, { id: y.id, content: 'y2' }),
          ],
          T0,
        ),
      )
      .catch((e: unknown) => e);
    expect(isConcordatError(err, 'ERR_OBJECT_CONFLICT')).toBe(true);
    expect((err as { details: { index: number }[] }).details.map((c) => c.index)).toEqual([1, 2]);
    expect(await objects.count(db)).toBe(before);
    // The same version twice in one batch with different content conflicts too.
    const z = version(key, { content: 'z' });
    const dup = await db
      .transaction((tx) =>
        objects.insertMany(tx, [z, { ...version(key, { content: 'z2' }), id: z.id }], T0),
      )
      .catch((e: unknown) => e);
    expect(isConcordatError(dup, 'ERR_OBJECT_CONFLICT')).toBe(true);
  });
});
