import { expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import { dataKeys, instantToMicros, ledgerEntries, objects } from '../../src/store/index.js';
import type { ShredEvent } from '../../src/vault/index.js';
import { makeVault, stixObject } from '../vault/fixtures.js';
import { describeDialects } from './dialects.js';
import { DAY, T0 } from './fixtures.js';

describeDialects('store shredding', (d) => {
  it('destroys exactly the keys whose window ended; their objects become unreadable', async () => {
    const { db } = await d.fresh();
    const f = await makeVault('day');
    const due = [
      stixObject({ retainUntilMs: T0 + DAY }),
      stixObject({ retainUntilMs: T0 + DAY - 1 }),
    ];
    const dueBor = stixObject({ retainUntilMs: T0 + DAY, producer: 'BOR' });
    const kept = stixObject({ retainUntilMs: T0 + 2 * DAY });
    await db.transaction(async (tx) => {
      for (const o of [...due, dueBor, kept]) await f.vault.put(tx, o);
    });
    f.clock.set(T0 + DAY - 1);
    expect((await f.vault.shredDue(db)).events).toEqual([]);
    f.clock.set(T0 + DAY);
    const { events, scrub } = await f.vault.shredDue(db);
    expect(events.map((e) => [e.producer, e.windowEndMs, e.objectCount])).toEqual([
      ['ARV', T0 + DAY, 2],
      ['BOR', T0 + DAY, 1],
    ]);
    expect(events.every((e) => /^[0-9a-f]{64}$/.test(e.objectsDigest))).toBe(true);
    expect(scrub).toBeDefined();
    if (d.name === 'sqlite') expect(scrub?.walTruncated).toBe(true);
    for (const o of [...due, dueBor]) {
      const err = await f
        .fresh()
        .read(db, o.id, o.modified)
        .catch((e: unknown) => e);
      expect(isConcordatError(err, 'ERR_SHREDDED'), o.id).toBe(true);
      // The live vault, whose cache held the key, refuses as well.
      expect(
        isConcordatError(
          await f.vault.read(db, o.id, o.modified).catch((e: unknown) => e),
          'ERR_SHREDDED',
        ),
      ).toBe(true);
      const rec = await objects.get(db, o.id, instantToMicros(o.modified));
      expect(rec?.sealed).toBeNull();
      expect(rec?.shreddedAtMs).toBe(T0 + DAY);
    }
    for (const k of await dataKeys.list(db))
      expect(k.wrapped === null).toBe(k.windowEndMs === T0 + DAY);
    expect(
      (await f.fresh().read(db, kept.id, kept.modified)).equals(Buffer.from(kept.content)),
    ).toBe(true);
    // Shredded versions leave TAXII listings, and re-ingesting one does not bring it back.
    const listed = await objects.manifest(db, { visibleAtMs: 0, limit: 10, versions: ['all'] });
    expect(listed.items.map((r) => r.id)).toEqual([kept.id]);
    const again = await db.transaction((tx) =>
      f.vault.put(tx, { ...due[0]!, retainUntilMs: T0 + 9 * DAY }),
    );
    expect(again.status).toBe('unchanged');
    expect(
      isConcordatError(
        await f.vault.read(db, due[0]!.id, due[0]!.modified).catch((e: unknown) => e),
        'ERR_SHREDDED',
      ),
    ).toBe(true);
    // Nothing more is due.
    expect((await f.vault.shredDue(db)).events).toEqual([]);
  });

  it('ledgers the shred in the same transaction, and rolls the shred back if ledgering fails', async () => {
    const { db } = await d.fresh();
    const f = await makeVault('day');
    const o = stixObject({ retainUntilMs: T0 + DAY });
    await db.transaction((tx) => f.vault.put(tx, o));
    f.clock.set(T0 + DAY);
    const failing = f.vault.shredDue(db, {
      record: async (tx, events) => {
        await ledgerEntries.append(
          tx,
          events.map((e) => ({
            atMs: e.shreddedAtMs,
            kind: 'shred',
            body: JSON.stringify(e),
            leafHash: new Uint8Array(32),
          })),
        );
        throw new Error('ledger unavailable');
      },
    });
    await expect(failing).rejects.toThrow('ledger unavailable');
    expect(await ledgerEntries.size(db)).toBe(0);
    expect((await dataKeys.list(db))[0]?.wrapped).not.toBeNull();
    expect(await objects.get(db, o.id, instantToMicros(o.modified))).toMatchObject({
      shreddedAtMs: null,
    });

    let seen: readonly ShredEvent[] = [];
    const { events } = await f.vault.shredDue(db, {
      record: async (tx, evs) => {
        seen = evs;
        await ledgerEntries.append(
          tx,
          evs.map((e) => ({
            atMs: e.shreddedAtMs,
            kind: 'shred',
            body: JSON.stringify({ keyId: e.keyId, objectsDigest: e.objectsDigest }),
            leafHash: new Uint8Array(32),
          })),
        );
      },
    });
    expect(seen).toEqual(events);
    expect(events).toHaveLength(1);
    const entry = await ledgerEntries.get(db, 0);
    expect(JSON.parse(entry!.body)).toEqual({
      keyId: events[0]!.keyId,
      objectsDigest: events[0]!.objectsDigest,
    });
    expect(entry!.body).not.toContain(o.id);
  });

  it('two vaults shredding at once destroy each key once', async () => {
    const { db } = await d.fresh();
    const f = await makeVault('hour');
    await db.transaction(async (tx) => {
      for (let i = 0; i < 6; i++)
        await f.vault.put(tx, stixObject({ retainUntilMs: T0 + (i + 1) * 3_600_000 }));
    });
    f.clock.set(T0 + DAY);
    const [a, b] = await Promise.all([f.fresh().shredDue(db), f.fresh().shredDue(db)]);
    const ids = [...a.events, ...b.events].map((e) => e.keyId);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });
});
