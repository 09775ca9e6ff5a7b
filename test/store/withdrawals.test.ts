/**
 * Durable withdrawals (migration 2) on both dialects: recorded with producer and ledger entry,
 * remembered across a reopen, append-only, idempotent per version.
 */
import { expect, it } from 'vitest';
import { storeWithdrawals } from '../../src/node/index.js';
import { withdrawals } from '../../src/store/index.js';
import { describeDialects } from './dialects.js';
import { T0 } from './fixtures.js';

const ID = 'indicator--11111111-2222-4333-8444-555555555555';

describeDialects('store withdrawals', (d) => {
  it('a withdrawn version is invisible after a reopen; its row names producer and ledger entry', async () => {
    const t = await d.fresh();
    const w = await storeWithdrawals(t.db);
    expect(w.isWithdrawn(ID, '2026-01-01T00:00:00.000Z')).toBe(false);
    await w.withdraw([{ id: ID, version: '2026-01-01T00:00:00.000Z' }], T0, {
      producer: 'ARV',
      ledgerSeq: 7,
    });
    expect(w.isWithdrawn(ID, '2026-01-01T00:00:00.000Z')).toBe(true);
    expect(w.isWithdrawn(ID, '2026-01-02T00:00:00.000Z')).toBe(false);
    const again = await storeWithdrawals(await t.reopen());
    expect(again.isWithdrawn(ID, '2026-01-01T00:00:00.000Z')).toBe(true);
    expect(again.count()).toBe(1);
    expect(await withdrawals.list(t.db)).toEqual([
      {
        producer: 'ARV',
        objectId: ID,
        version: '2026-01-01T00:00:00.000Z',
        atMs: T0,
        ledgerSeq: 7,
      },
    ]);
  });

  it('withdrawing a version twice keeps the first record', async () => {
    const t = await d.fresh();
    const w = await storeWithdrawals(t.db);
    const v = [{ id: ID, version: '2026-01-01T00:00:00.000Z' }];
    await w.withdraw(v, T0, { producer: 'ARV', ledgerSeq: 1 });
    await w.withdraw(v, T0 + 5, { producer: 'ARV', ledgerSeq: 2 });
    expect(await withdrawals.list(t.db)).toMatchObject([{ atMs: T0, ledgerSeq: 1 }]);
  });

  it('append-only: update and delete are refused by the database', async () => {
    const t = await d.fresh();
    const w = await storeWithdrawals(t.db);
    await w.withdraw([{ id: ID, version: 'v' }], T0, { producer: 'ARV', ledgerSeq: 0 });
    await expect(t.db.run('DELETE FROM withdrawals')).rejects.toThrow(/append-only/);
    await expect(t.db.run('UPDATE withdrawals SET at_ms = 0')).rejects.toThrow(/append-only/);
    expect(await withdrawals.count(t.db)).toBe(1);
  });

  it('missing-ledger-entry: a withdrawal without its ledger entry is refused, nothing written', async () => {
    const t = await d.fresh();
    const w = await storeWithdrawals(t.db);
    await expect(w.withdraw([{ id: ID, version: 'v' }], T0)).rejects.toMatchObject({
      code: 'ERR_INTERNAL',
    });
    expect(w.isWithdrawn(ID, 'v')).toBe(false);
    expect(await withdrawals.count(t.db)).toBe(0);
  });
});
