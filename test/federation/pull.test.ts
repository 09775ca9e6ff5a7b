/**
 * Two nodes on loopback: BOR pulls what ARV releases to BOR-CERT, over many small pages, with
 * durable cursors, across restarts and a crash between ingest and cursor commit; a pause at the
 * producer stops the next pull; retries back off on injected sleep.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isConcordatError, manualClock } from '../../src/core/index.js';
import { pullPeer } from '../../src/federation/index.js';
import type { Transport } from '../../src/federation/index.js';
import { federationCursors, federationReceipts, objects } from '../../src/store/index.js';
import { openEscalation } from '../../src/node/index.js';
import { AGREEMENT, NO_WAIT, NOW, indicator, makeNodes, peerOf, publish } from './harness.js';
import type { FedNode } from './harness.js';

let running: FedNode[] = [];
afterEach(async () => {
  for (const n of running) await n.stop();
  running = [];
});

async function two(): Promise<{ arv: FedNode; bor: FedNode }> {
  const nodes = await makeNodes(['ARV', 'BOR'], manualClock(NOW));
  running = Object.values(nodes);
  return { arv: nodes.ARV as FedNode, bor: nodes.BOR as FedNode };
}

async function held(n: FedNode, producer: string): Promise<string[]> {
  const page = await objects.manifest(n.node.db, {
    visibleAtMs: n.node.clock.now(),
    producer,
    versions: ['all'],
    limit: 10_000,
  });
  return page.items.map((m) => `${m.id} ${m.modified}`);
}

describe('pull between two nodes', () => {
  it('converges over many pages: nothing missing, nothing duplicated, cursors durable', async () => {
    const { arv, bor } = await two();
    const sent = Array.from({ length: 57 }, () => indicator());
    await publish(arv, sent);
    const peer = await peerOf(arv, bor);
    const progress: number[] = [];
    const r = await pullPeer(bor.host, peer, {
      pageSize: 5,
      retry: NO_WAIT,
      onProgress: (p) => progress.push(p.pages),
    });
    const ir = r.collections.find((c) => c.purpose === 'incident-response');
    expect(ir?.pages).toBe(12);
    expect(ir?.received).toBe(57);
    expect(ir?.inserted).toBe(57);
    expect(progress.length).toBeGreaterThanOrEqual(12);
    const got = await held(bor, 'ARV');
    expect(new Set(got).size).toBe(got.length);
    expect(new Set(got.map((g) => g.split(' ')[0]))).toEqual(new Set(sent.map((s) => s.id)));
    expect(r.receipts.pending).toBe(0);
    expect(r.receipts.delivered).toBeGreaterThanOrEqual(12);

    // A second pull finds nothing new; a restart changes nothing either.
    const again = await pullPeer(bor.host, peer, { pageSize: 5, retry: NO_WAIT });
    expect(again.collections.reduce((n, c) => n + c.received, 0)).toBe(0);
    const bor2 = await bor.restart();
    running = [arv, bor2];
    const after = await pullPeer(bor2.host, await peerOf(arv, bor2), { retry: NO_WAIT });
    expect(after.collections.reduce((n, c) => n + c.received, 0)).toBe(0);
    expect(await held(bor2, 'ARV')).toEqual(got);
    const cursors = await federationCursors.list(bor2.node.db, 'ARV');
    expect(cursors.find((c) => c.collection === ir?.collection)?.objects).toBe(57);

    // New objects at the producer arrive with the next pull, and only they.
    await publish(arv, [indicator(), indicator(), indicator()]);
    const more = await pullPeer(bor2.host, await peerOf(arv, bor2), {
      pageSize: 5,
      retry: NO_WAIT,
    });
    expect(more.collections.find((c) => c.purpose === 'incident-response')?.inserted).toBe(3);
    expect((await held(bor2, 'ARV')).length).toBe(60);
  });

  it('a crash after ingest and before the cursor commit resumes without loss or duplicates', async () => {
    const { arv, bor } = await two();
    await publish(
      arv,
      Array.from({ length: 23 }, () => indicator()),
    );
    const crash = new Error('killed');
    await expect(
      pullPeer(bor.host, await peerOf(arv, bor), {
        pageSize: 4,
        retry: NO_WAIT,
        onIngested: (p) => {
          if (p.pages === 3) throw crash;
        },
      }),
    ).rejects.toBe(crash);
    // Three pages ingested, two committed (receipt + cursor).
    expect((await held(bor, 'ARV')).length).toBe(12);
    expect((await federationReceipts.undelivered(bor.node.db, 'ARV')).length).toBe(2);
    const bor2 = await bor.restart();
    running = [arv, bor2];
    const r = await pullPeer(bor2.host, await peerOf(arv, bor2), { pageSize: 4, retry: NO_WAIT });
    const ir = r.collections.find((c) => c.purpose === 'incident-response');
    // The third page comes again, re-released with a new handling stamp (its own release
    // ledger entry): already held, kept as first stored; the rest is inserted.
    expect(ir?.alreadyHeld).toBe(4);
    expect(ir?.inserted).toBe(11);
    const got = await held(bor2, 'ARV');
    expect(got.length).toBe(23);
    expect(new Set(got).size).toBe(23);
  });

  it('an aborted pull stops between pages and the next one resumes', async () => {
    const { arv, bor } = await two();
    await publish(
      arv,
      Array.from({ length: 30 }, () => indicator()),
    );
    const controller = new AbortController();
    const r = await pullPeer(bor.host, await peerOf(arv, bor), {
      pageSize: 3,
      retry: NO_WAIT,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.pages === 4) controller.abort();
      },
    });
    expect(r.aborted).toBe(true);
    expect((await held(bor, 'ARV')).length).toBe(12);
    const rest = await pullPeer(bor.host, await peerOf(arv, bor), { pageSize: 3, retry: NO_WAIT });
    expect(rest.collections.find((c) => c.purpose === 'incident-response')?.inserted).toBe(18);
    expect((await held(bor, 'ARV')).length).toBe(30);
  });

  it('a pause at the producer stops the next pull', async () => {
    const { arv, bor } = await two();
    await publish(arv, [indicator(), indicator()]);
    const peer = await peerOf(arv, bor);
    await pullPeer(bor.host, peer, { retry: NO_WAIT });
    expect((await held(bor, 'ARV')).length).toBe(2);
    await publish(arv, [indicator(), indicator()]);
    const service = await openEscalation(arv.node, { agreement: AGREEMENT });
    await service.record({
      type: 'pause',
      actor: 'ARV',
      party: 'ARV',
      scope: { toParties: ['BOR'] },
      reason: 'dispute over onward sharing',
      dispute: { subject: 'onward sharing to a third state' },
    });
    const r = await pullPeer(bor.host, peer, { retry: NO_WAIT });
    expect(r.collections.reduce((n, c) => n + c.received, 0)).toBe(0);
    expect((await held(bor, 'ARV')).length).toBe(2);
  });

  it('retries a failing peer with exponential back-off and jitter, then gives up with a coded error', async () => {
    const { arv, bor } = await two();
    const peer = await peerOf(arv, bor);
    const delays: number[] = [];
    let calls = 0;
    const flaky: Transport = async (url, req) => {
      calls++;
      if (calls <= 2) throw new Error('connection reset');
      return peer.transport(url, req);
    };
    const r = await pullPeer(
      bor.host,
      { ...peer, transport: flaky },
      { retry: { sleep: async (ms) => void delays.push(ms), random: () => 0.5, baseMs: 100 } },
    );
    expect(delays).toEqual([50, 100]);
    expect(r.peer).toBe('ARV');
    const down: Transport = async () => {
      throw new Error('refused');
    };
    const waits: number[] = [];
    const err = await pullPeer(
      bor.host,
      { ...peer, transport: down },
      { retry: { attempts: 4, sleep: async (ms) => void waits.push(ms), random: () => 0.999 } },
    ).catch((e: unknown) => e);
    expect(isConcordatError(err, 'ERR_FEDERATION_PEER')).toBe(true);
    expect(waits).toEqual([499, 999, 1998]);
    // A refusal (4xx) is not retried: one call, a coded error naming the status.
    let n = 0;
    const refusing: Transport = async (url, req) => {
      n++;
      const res = await peer.transport(url, req);
      return { ...res, status: 403, header: (h: string) => res.header(h) };
    };
    const refused = await pullPeer(
      bor.host,
      { ...peer, transport: refusing },
      { retry: { attempts: 5, sleep: async () => undefined } },
    ).catch((e: unknown) => e);
    expect(isConcordatError(refused, 'ERR_FEDERATION_PEER')).toBe(true);
    expect(n).toBe(1);
  });
});
