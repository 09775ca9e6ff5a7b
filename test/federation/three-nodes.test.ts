/**
 * Three nations on loopback over mutual TLS (the real listeners of `startNodeServers`): pulls
 * converge across many pages and a consumer restart mid-sync, with nothing missing and nothing
 * duplicated; receipts reconcile pairwise; the consumer CAL runs once on SQLite and once on
 * PostgreSQL.
 */
import { afterEach, expect, it } from 'vitest';
import { manualClock } from '../../src/core/index.js';
import { pullPeer, reconcile } from '../../src/federation/index.js';
import { objects } from '../../src/store/index.js';
import { describeDialects } from '../store/dialects.js';
import { AGENCY, NO_WAIT, NOW, indicator, makeNodes, peerOf, publish } from './harness.js';
import type { FedNode } from './harness.js';

let running: FedNode[] = [];
afterEach(async () => {
  for (const n of running) await n.stop();
  running = [];
});

async function held(n: FedNode, producer: string): Promise<string[]> {
  const page = await objects.manifest(n.node.db, {
    visibleAtMs: n.node.clock.now(),
    producer,
    versions: ['all'],
    limit: 10_000,
  });
  return page.items.map((m) => m.id);
}

describeDialects('three nodes over mutual tls', (d) => {
  it('pulls converge across pages and a restart; receipts reconcile pairwise', async () => {
    const nodes = await makeNodes(['ARV', 'BOR', 'CAL'], manualClock(NOW), { CAL: d }, true);
    running = Object.values(nodes);
    const arv = nodes.ARV as FedNode;
    const bor = nodes.BOR as FedNode;
    let cal = nodes.CAL as FedNode;
    expect(arv.servers?.urls.federation).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

    const fromArv = Array.from({ length: 35 }, () => indicator());
    const fromBor = Array.from({ length: 12 }, () => indicator());
    await publish(arv, fromArv);
    await publish(bor, fromBor);

    const b1 = await pullPeer(bor.host, await peerOf(arv, bor), { pageSize: 3, retry: NO_WAIT });
    expect(b1.collections.find((c) => c.purpose === 'incident-response')?.pages).toBe(12);
    expect(b1.receipts).toMatchObject({ pending: 0, errors: [] });

    // CAL is killed after 5 pages from ARV, restarts, and resumes.
    const controller = new AbortController();
    const partial = await pullPeer(cal.host, await peerOf(arv, cal), {
      pageSize: 3,
      retry: NO_WAIT,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.pages === 5) controller.abort();
      },
    });
    expect(partial.aborted).toBe(true);
    expect(await held(cal, 'ARV')).toHaveLength(15);
    cal = await cal.restart();
    running = [arv, bor, cal];
    await pullPeer(cal.host, await peerOf(arv, cal), { pageSize: 3, retry: NO_WAIT });
    const calFromBor = await pullPeer(cal.host, await peerOf(bor, cal), {
      pageSize: 3,
      retry: NO_WAIT,
    });
    const arvFromBor = await pullPeer(arv.host, await peerOf(bor, arv), {
      pageSize: 3,
      retry: NO_WAIT,
    });
    // Onward sharing (core: same-party): BOR releases ARV's objects to neither CAL (a third
    // party) nor ARV (their producer) — only its own 12.
    for (const r of [calFromBor, arvFromBor])
      expect(r.collections.find((c) => c.purpose === 'incident-response')).toMatchObject({
        received: 12,
        alreadyHeld: 0,
      });
    // BOR's own agency still reads ARV's objects on BOR's node (same party).
    const reader = await bor.token('BOR-CERT', ['read']);
    const res = await fetch(
      `${bor.base}/taxii2/northsea-cti-compact/collections/incident-response/objects/?limit=1000`,
      {
        headers: {
          authorization: `Bearer ${reader}`,
          accept: 'application/taxii+json;version=2.1',
        },
      },
    );
    const seen = new Set(
      ((await res.json()) as { objects?: { id: string }[] }).objects?.map((o) => o.id),
    );
    expect(fromArv.every((o) => seen.has(String(o.id)))).toBe(true);

    const ids = (l: readonly Record<string, unknown>[]) => new Set(l.map((o) => String(o.id)));
    for (const [n, producer, sent] of [
      [bor, 'ARV', fromArv],
      [cal, 'ARV', fromArv],
      [cal, 'BOR', fromBor],
      [arv, 'BOR', fromBor],
    ] as const) {
      const got = await held(n, producer);
      expect(got.length, `${n.party} from ${producer}`).toBe(sent.length);
      expect(new Set(got)).toEqual(ids(sent));
    }

    for (const [producer, consumer] of [
      [arv, bor],
      [arv, cal],
      [bor, cal],
      [bor, arv],
    ] as const) {
      const r = await reconcile(
        producer.host,
        { ...(await peerOf(consumer, producer)), agency: AGENCY[consumer.party] as string },
        { retry: NO_WAIT },
      );
      expect(r, `${producer.party} → ${consumer.party}`).toMatchObject({
        reconciled: true,
        missing: [],
        extra: [],
        mismatched: [],
        unproven: [],
      });
      expect(r.released).toBeGreaterThan(0);
    }
  });
});
