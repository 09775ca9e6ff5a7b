/**
 * sealedContent.bySeq on both dialects: the sealed bytes of exactly the listed versions, the
 * shredded ones with `sealed: null`, unknown sequences absent, and a bound on the batch.
 */
import { expect, it } from 'vitest';
import { objects, sealedContent } from '../../src/store/index.js';
import { describeDialects } from './dialects.js';
import { T0, seedKey, version } from './fixtures.js';

describeDialects('store sealed content', (d) => {
  it('reads the sealed state of exactly the listed versions', async () => {
    const { db } = await d.fresh();
    const k1 = await seedKey(db);
    const k2 = await seedKey(db, 'BOR');
    const inputs = [version(k1), version(k1), version(k2)];
    const stored = await db.transaction((tx) => objects.insertMany(tx, inputs, T0));
    const seqs = stored.map((s) => s.record.seq);
    await db.transaction((tx) => objects.shredByKey(tx, k2, T0 + 1));

    const got = await sealedContent.bySeq(db, [seqs[0]!, seqs[2]!, 999_999]);
    expect([...got.keys()].sort((a, b) => a - b)).toEqual([seqs[0], seqs[2]]);
    const first = got.get(seqs[0]!)!;
    const sealed = inputs[0]!.sealed as { nonce: Uint8Array; ciphertext: Uint8Array };
    expect(first.shreddedAtMs).toBeNull();
    expect(first.sealed?.keyId).toBe(k1);
    expect(Buffer.from(first.sealed!.ciphertext).equals(Buffer.from(sealed.ciphertext))).toBe(true);
    expect(Buffer.from(first.sealed!.nonce).equals(Buffer.from(sealed.nonce))).toBe(true);
    expect(got.get(seqs[2]!)).toEqual({ shreddedAtMs: T0 + 1, sealed: null });
    expect(await sealedContent.bySeq(db, [])).toEqual(new Map());
    await expect(
      sealedContent.bySeq(
        db,
        Array.from({ length: 1001 }, (_, i) => i),
      ),
    ).rejects.toThrow(RangeError);
  });
});
