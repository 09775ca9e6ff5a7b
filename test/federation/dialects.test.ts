/**
 * The consumer's durable sync state on each store dialect (SQLite and PostgreSQL): a pull
 * killed between ingest and commit, a restart, and a resume that converges with nothing
 * missing or duplicated; the receipts then reconcile.
 */
import { afterEach, expect, it } from 'vitest';
import { manualClock } from '../../src/core/index.js';
import { pullPeer, reconcile } from '../../src/federation/index.js';
import { federationCursors, objects } from '../../src/store/index.js';
import { describeDialects } from '../store/dialects.js';
import { NO_WAIT, NOW, indicator, makeNodes, peerOf, publish } from './harness.js';
import type { FedNode } from './harness.js';

let running: FedNode[] = [];
afterEach(async () => {
  for (const n of running) await n.stop();
  running = [];
});

describeDialects('federation sync state', (d) => {
  it('a consumer killed mid-sync resumes without loss or duplicates, and reconciles', async () => {
    const nodes = await makeNodes(['ARV', 'BOR'], manualClock(NOW), { BOR: d });
    running = Object.values(nodes);
    const arv = nodes.ARV as FedNode;
    let bor = nodes.BOR as FedNode;
    const sent = Array.from({ length: 44 }, () => indicator());
    await publish(arv, sent);
    const killed = new Error('killed');
    await expect(
      pullPeer(bor.host, await peerOf(arv, bor), {
        pageSize: 4,
        retry: NO_WAIT,
        onIngested: (p) => {
          if (p.pages === 6) throw killed;
        },
      }),
    ).rejects.toBe(killed);
    bor = await bor.restart();
    running = [arv, bor];
    const cursors = await federationCursors.list(bor.node.db, 'ARV');
    expect(cursors.map((c) => c.pages)).toEqual([5]);
    await pullPeer(bor.host, await peerOf(arv, bor), { pageSize: 4, retry: NO_WAIT });
    const held = await objects.manifest(bor.node.db, {
      visibleAtMs: bor.node.clock.now(),
      producer: 'ARV',
      versions: ['all'],
      limit: 1000,
    });
    expect(held.items).toHaveLength(44);
    expect(new Set(held.items.map((m) => m.id))).toEqual(new Set(sent.map((o) => String(o.id))));
    const r = await reconcile(
      arv.host,
      { ...(await peerOf(bor, arv)), agency: 'BOR-CERT' },
      {
        retry: NO_WAIT,
      },
    );
    expect(r).toMatchObject({ reconciled: true, released: 44, received: 44 });
  });
});
