import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import type { ErrorCode } from '../../src/core/index.js';
import { dataKeys, instantToMicros, objects } from '../../src/store/index.js';
import type { Database } from '../../src/store/index.js';
import { sealObject, windowFor } from '../../src/vault/index.js';
import type { SealedFields } from '../../src/vault/index.js';
import { describeDialects } from '../store/dialects.js';
import { DAY, T0 } from '../store/fixtures.js';
import { makeVault, stixObject } from './fixtures.js';
import type { VaultFixture } from './fixtures.js';

async function errorCode(p: Promise<unknown>): Promise<ErrorCode | string | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => (isConcordatError(e) ? e.code : String(e)),
  );
}

function flip(b: unknown, bit = 9): Buffer {
  const c = Buffer.from(b as Uint8Array);
  c[bit >> 3]! ^= 1 << (bit & 7);
  return c;
}

describeDialects('vault', (d) => {
  it('round-trips objects; the stored row holds no plaintext', async () => {
    const { db } = await d.fresh();
    const f = await makeVault();
    const input = stixObject({ marker: 'round-trip-marker' });
    const res = await db.transaction((tx) => f.vault.put(tx, input));
    expect(res.status).toBe('inserted');
    expect(
      (await f.vault.read(db, input.id, input.modified)).equals(Buffer.from(input.content)),
    ).toBe(true);
    // A restarted process (empty key cache) unwraps the data key through custody.
    expect(
      (await f.fresh().read(db, input.id, input.modified)).equals(Buffer.from(input.content)),
    ).toBe(true);
    const row = await db.get('SELECT * FROM objects WHERE id = ?', [input.id]);
    for (const v of Object.values(row ?? {}))
      if (v instanceof Uint8Array) expect(Buffer.from(v).includes('round-trip-marker')).toBe(false);
  });

  it('uses one data key per (producer, retention window), wrapped by that producer’s KEK', async () => {
    const { db } = await d.fresh();
    const f = await makeVault('day');
    const day1 = T0 + DAY + 5;
    await db.transaction(async (tx) => {
      await f.vault.put(tx, stixObject({ retainUntilMs: day1 }));
      await f.vault.put(tx, stixObject({ retainUntilMs: day1 + 1000 }));
      await f.vault.put(tx, stixObject({ retainUntilMs: day1 + 3 * DAY }));
      await f.vault.put(tx, stixObject({ retainUntilMs: day1, producer: 'BOR' }));
    });
    const keys = await dataKeys.list(db);
    expect(keys.map((k) => [k.producer, k.windowEndMs])).toEqual([
      ['ARV', windowFor(day1, 'day').endMs],
      ['BOR', windowFor(day1, 'day').endMs],
      ['ARV', windowFor(day1 + 3 * DAY, 'day').endMs],
    ]);
    const arvKek = await f.keyring.kekFor('ARV');
    const borKek = await f.keyring.kekFor('BOR');
    expect(arvKek?.kekId).not.toBe(borKek?.kekId);
    for (const k of keys)
      expect(k.kekId).toBe(k.producer === 'ARV' ? arvKek?.kekId : borKek?.kekId);
  });

  it('takes content sealed elsewhere only under the live key of its window; anything else is sealed again', async () => {
    const { db } = await d.fresh();
    const f = await makeVault();
    const outside = await f.vault.sealingKey(db, 'ARV', T0 + 30 * DAY);
    expect(outside).toBeUndefined(); // outside a transaction, no key is created
    const key = await db.transaction((tx) => f.vault.sealingKey(tx, 'ARV', T0 + 30 * DAY));
    expect(key).toMatchObject({ producer: 'ARV' });
    const again = await f.vault.sealingKey(db, 'ARV', T0 + 30 * DAY);
    expect(again?.keyId).toBe(key?.keyId);
    const fields = (input: ReturnType<typeof stixObject>): SealedFields => ({
      id: input.id,
      modifiedUs: instantToMicros(input.modified),
      producer: input.producer,
      tlp: input.tlp,
      retainUntilMs: input.retainUntilMs,
      contentHash: createHash('sha256').update(input.content).digest(),
    });
    // Sealed under the live key: stored as sealed (same ciphertext), and it reads back.
    const good = stixObject({ retainUntilMs: T0 + 30 * DAY });
    const sealed = sealObject(key!, fields(good), good.content);
    const r1 = await db.transaction((tx) => f.vault.put(tx, { ...good, sealed }));
    const row1 = await objects.get(db, good.id, instantToMicros(good.modified));
    expect(Buffer.from(row1!.sealed!.ciphertext).equals(Buffer.from(sealed.ciphertext))).toBe(true);
    expect(r1.record.keyId).toBe(key!.keyId);
    expect((await f.vault.read(db, good.id, good.modified)).equals(Buffer.from(good.content))).toBe(
      true,
    );
    // Sealed under a key that is not this window's live key: sealed again with the right one.
    const stale = stixObject({ retainUntilMs: T0 + 30 * DAY });
    const wrong = sealObject(
      { keyId: 'dk-not-live', key: Buffer.alloc(32, 7) },
      fields(stale),
      stale.content,
    );
    await db.transaction((tx) => f.vault.put(tx, { ...stale, sealed: wrong }));
    const row2 = await objects.get(db, stale.id, instantToMicros(stale.modified));
    expect(row2!.keyId).toBe(key!.keyId);
    expect(Buffer.from(row2!.sealed!.ciphertext).equals(Buffer.from(wrong.ciphertext))).toBe(false);
    expect(
      (await f.vault.read(db, stale.id, stale.modified)).equals(Buffer.from(stale.content)),
    ).toBe(true);
  });

  it('re-putting the same version is a no-op; other content under it is a conflict', async () => {
    const { db } = await d.fresh();
    const f = await makeVault();
    const input = stixObject();
    await db.transaction((tx) => f.vault.put(tx, input));
    const again = await db.transaction((tx) => f.vault.put(tx, input));
    expect(again.status).toBe('unchanged');
    expect(await objects.count(db)).toBe(1);
    expect(
      await errorCode(
        db.transaction((tx) => f.vault.put(tx, { ...input, content: Buffer.from('{}') })),
      ),
    ).toBe('ERR_OBJECT_CONFLICT');
  });

  it('refuses to store an object already past retention, and to read one past it', async () => {
    const { db } = await d.fresh();
    const f = await makeVault();
    expect(
      await errorCode(db.transaction((tx) => f.vault.put(tx, stixObject({ retainUntilMs: T0 })))),
    ).toBe('ERR_RETENTION_ENDED');
    const input = stixObject({ retainUntilMs: T0 + 1000 });
    await db.transaction((tx) => f.vault.put(tx, input));
    f.clock.set(T0 + 1000);
    expect(await errorCode(f.vault.read(db, input.id, input.modified))).toBe('ERR_RETENTION_ENDED');
    expect(await errorCode(f.vault.read(db, 'indicator--nope', input.modified))).toBe(
      'ERR_NOT_FOUND',
    );
  });

  // Each vector damages the stored rows one way; every one must fail authentication.
  type Setup = {
    db: Database;
    f: VaultFixture;
    a: ReturnType<typeof stixObject>;
    b: ReturnType<typeof stixObject>;
  };
  const vectors: [name: string, damage: (s: Setup) => Promise<{ id: string; modified: string }>][] =
    [
      [
        'flipped-bit-in-ciphertext',
        async ({ db, a }) => {
          const r = await db.get('SELECT ciphertext FROM objects WHERE id = ?', [a.id]);
          await db.run('UPDATE objects SET ciphertext = ? WHERE id = ?', [
            flip(r?.ciphertext),
            a.id,
          ]);
          return a;
        },
      ],
      [
        'flipped-bit-in-tag',
        async ({ db, a }) => {
          const r = await db.get('SELECT tag FROM objects WHERE id = ?', [a.id]);
          await db.run('UPDATE objects SET tag = ? WHERE id = ?', [flip(r?.tag, 120), a.id]);
          return a;
        },
      ],
      [
        'flipped-bit-in-nonce',
        async ({ db, a }) => {
          const r = await db.get('SELECT nonce FROM objects WHERE id = ?', [a.id]);
          await db.run('UPDATE objects SET nonce = ? WHERE id = ?', [flip(r?.nonce, 3), a.id]);
          return a;
        },
      ],
      [
        'swapped-row-ciphertext',
        async ({ db, a, b }) => {
          const ra = await db.get('SELECT nonce, ciphertext, tag FROM objects WHERE id = ?', [
            a.id,
          ]);
          const rb = await db.get('SELECT nonce, ciphertext, tag FROM objects WHERE id = ?', [
            b.id,
          ]);
          const set = 'UPDATE objects SET nonce = ?, ciphertext = ?, tag = ? WHERE id = ?';
          await db.run(set, [
            rb?.nonce as Buffer,
            rb?.ciphertext as Buffer,
            rb?.tag as Buffer,
            a.id,
          ]);
          await db.run(set, [
            ra?.nonce as Buffer,
            ra?.ciphertext as Buffer,
            ra?.tag as Buffer,
            b.id,
          ]);
          return a;
        },
      ],
      [
        'renamed-object-id',
        async ({ db, a }) => {
          const id = 'indicator--ffffffff-0000-4000-8000-000000000000';
          await db.run('UPDATE objects SET id = ? WHERE id = ?', [id, a.id]);
          return { id, modified: a.modified };
        },
      ],
      [
        'changed-modified',
        async ({ db, a }) => {
          const modified = '2029-12-01T00:00:00.001Z';
          await db.run('UPDATE objects SET modified = ?, modified_us = ? WHERE id = ?', [
            modified,
            instantToMicros(modified),
            a.id,
          ]);
          return { id: a.id, modified };
        },
      ],
      [
        'extended-retention',
        async ({ db, a }) => {
          await db.run('UPDATE objects SET retain_until_ms = retain_until_ms + ? WHERE id = ?', [
            DAY,
            a.id,
          ]);
          return a;
        },
      ],
      [
        'relabelled-tlp',
        async ({ db, a }) => {
          await db.run("UPDATE objects SET tlp = 'clear' WHERE id = ?", [a.id]);
          return a;
        },
      ],
      [
        'changed-content-hash',
        async ({ db, a }) => {
          await db.run('UPDATE objects SET content_hash = ? WHERE id = ?', [
            Buffer.alloc(32, 7),
            a.id,
          ]);
          return a;
        },
      ],
      [
        'reattributed-producer',
        async ({ db, a }) => {
          await db.run("UPDATE objects SET producer = 'BOR' WHERE id = ?", [a.id]);
          return a;
        },
      ],
      [
        'swapped-data-key',
        async ({ db, a }) => {
          // Point the row at ARV's key for another window.
          const other = await db.get('SELECT key_id FROM objects WHERE id = ?', [
            `indicator--later-arv`,
          ]);
          await db.run('UPDATE objects SET key_id = ? WHERE id = ?', [
            other?.key_id as string,
            a.id,
          ]);
          return a;
        },
      ],
      [
        'flipped-bit-in-wrapped-key',
        async ({ db, a }) => {
          const k = await db.get(
            'SELECT d.key_id, d.wrapped FROM data_keys d JOIN objects o ON o.key_id = d.key_id WHERE o.id = ?',
            [a.id],
          );
          await db.run('UPDATE data_keys SET wrapped = ? WHERE key_id = ?', [
            flip(k?.wrapped, 200),
            k?.key_id as string,
          ]);
          return a;
        },
      ],
      [
        'swapped-wrapped-key',
        async ({ db, a }) => {
          const mine = await db.get(
            'SELECT d.key_id, d.wrapped FROM data_keys d JOIN objects o ON o.key_id = d.key_id WHERE o.id = ?',
            [a.id],
          );
          const other = await db.get(
            "SELECT d.wrapped FROM data_keys d JOIN objects o ON o.key_id = d.key_id WHERE o.id = 'indicator--later-arv'",
          );
          await db.run('UPDATE data_keys SET wrapped = ? WHERE key_id = ?', [
            other?.wrapped as Buffer,
            mine?.key_id as string,
          ]);
          return a;
        },
      ],
      [
        'moved-key-window',
        async ({ db, a }) => {
          const k = await db.get('SELECT key_id FROM objects WHERE id = ?', [a.id]);
          await db.run('UPDATE data_keys SET window_end_ms = window_end_ms + ? WHERE key_id = ?', [
            7 * DAY,
            k?.key_id as string,
          ]);
          return a;
        },
      ],
      [
        'wrong-party-kek',
        async ({ db, f, a }) => {
          const bor = await f.keyring.kekFor('BOR');
          const k = await db.get('SELECT key_id FROM objects WHERE id = ?', [a.id]);
          await db.run('UPDATE data_keys SET kek_id = ? WHERE key_id = ?', [
            bor?.kekId ?? '',
            k?.key_id as string,
          ]);
          return a;
        },
      ],
    ];

  for (const [name, damage] of vectors) {
    it(`rejects ${name}`, async () => {
      const { db } = await d.fresh();
      const f = await makeVault();
      const a = stixObject({ marker: 'a' });
      const b = stixObject({ marker: 'b' });
      await db.transaction(async (tx) => {
        for (const o of [a, b]) await f.vault.put(tx, o);
        await f.vault.put(
          tx,
          stixObject({ id: 'indicator--later-arv', retainUntilMs: T0 + 20 * DAY }),
        );
        await f.vault.put(tx, stixObject({ producer: 'BOR' }));
      });
      // Intact, it reads.
      expect((await f.fresh().read(db, a.id, a.modified)).equals(Buffer.from(a.content))).toBe(
        true,
      );
      const target = await damage({ db, f, a, b });
      // A restarted process: nothing cached, everything comes from the damaged rows.
      expect(await errorCode(f.fresh().read(db, target.id, target.modified))).toBe(
        'ERR_DECRYPT_FAILED',
      );
    });
  }
});
