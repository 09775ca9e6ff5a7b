/**
 * Receipts on both ledgers, reconciliation from checkpoints and proofs only (and what it
 * catches: an unreceipted release, a receipt the peer alters or hides), retention on the
 * consumer, and revocation (STIX `revoked`, producer withdrawal) reaching the consumer.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/index.js';
import type { ManualClock } from '../../src/core/index.js';
import { readHandling } from '../../src/intel/index.js';
import { pullPeer, reconcile } from '../../src/federation/index.js';
import type { Transport } from '../../src/federation/index.js';
import { ALL_ROUTES, SCHEMAS } from '../../src/server/rest/index.js';
import { federationReceipts, ledgerEntries, objects } from '../../src/store/index.js';
import { AGREEMENT, DAY, NO_WAIT, NOW, indicator, makeNodes, peerOf, publish } from './harness.js';
import type { FedNode } from './harness.js';

let running: FedNode[] = [];
afterEach(async () => {
  for (const n of running) await n.stop();
  running = [];
});

async function two(clock: ManualClock = manualClock(NOW)): Promise<{ arv: FedNode; bor: FedNode }> {
  const nodes = await makeNodes(['ARV', 'BOR'], clock);
  running = Object.values(nodes);
  return { arv: nodes.ARV as FedNode, bor: nodes.BOR as FedNode };
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'concordat', components: { schemas: SCHEMAS } });

/** Asserts a federation endpoint's answer is what the OpenAPI document says it answers. */
function conformsToDocument(method: string, url: string, status: number, body: unknown): void {
  const spec = ALL_ROUTES.find((r) => r.method === method && r.url === url);
  if (spec === undefined) throw new Error(`no documented route for ${method} ${url}`);
  const response = spec.responses[String(status)];
  if (response === undefined)
    expect(spec.errorStatuses, `${method} ${url}: undocumented status ${status}`).toContain(status);
  const name = response === undefined ? 'Error' : response.schema;
  const v = ajv.compile({ $ref: `concordat#/components/schemas/${name}` });
  expect(v(body), `${method} ${url} → ${status} vs ${name}: ${JSON.stringify(v.errors)}`).toBe(
    true,
  );
}

/** GETs a federation endpoint as `token`; checks the answer against the document. */
async function getDocumented(
  base: string,
  path: string,
  token: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  const body = (await res.json()) as Record<string, unknown>;
  conformsToDocument('GET', path, res.status, body);
  return { status: res.status, body };
}

async function kinds(n: FedNode, kind: string): Promise<Record<string, unknown>[]> {
  const size = await ledgerEntries.size(n.node.db);
  return (await ledgerEntries.range(n.node.db, 0, size))
    .filter((r) => r.kind === kind)
    .map((r) => JSON.parse(r.body) as Record<string, unknown>);
}

async function visible(n: FedNode, producer: string): Promise<string[]> {
  const page = await objects.manifest(n.node.db, {
    visibleAtMs: n.node.clock.now(),
    producer,
    versions: ['all'],
    limit: 10_000,
  });
  return page.items
    .filter((m) => !n.server.withdrawals.isWithdrawn(m.id, m.modified))
    .map((m) => m.id);
}

/** A receipts answer as the tests edit it. */
interface ProofsAnswer {
  checkpoint: string;
  receipts: { body: { items: string[] } }[];
}

/** Rewrites the JSON answers of `path` on their way to the client. */
function rewriting(
  inner: Transport,
  path: string,
  edit: (body: ProofsAnswer) => ProofsAnswer,
): Transport {
  return async (url, req) => {
    const res = await inner(url, req);
    if (!new URL(url).pathname.startsWith(path) || req.method !== 'GET') return res;
    return {
      ...res,
      body: JSON.stringify(edit(JSON.parse(res.body) as ProofsAnswer)),
      header: res.header,
    };
  };
}

describe('signed receipts and reconciliation', () => {
  it('both ledgers record each page; reconcile agrees; an unreceipted release is missing', async () => {
    const { arv, bor } = await two();
    await publish(
      arv,
      Array.from({ length: 25 }, () => indicator()),
    );
    const peer = await peerOf(arv, bor);
    const r = await pullPeer(bor.host, peer, { pageSize: 5, retry: NO_WAIT });
    const pages = r.collections.reduce((n, c) => n + c.pages, 0);
    expect(pages).toBeGreaterThanOrEqual(10);
    const sent = await kinds(bor, 'receipt');
    const acked = await kinds(arv, 'receipt-acknowledged');
    expect(sent.length).toBe(pages);
    expect(acked.length).toBe(pages);
    expect(new Set(acked.map((a) => a.receiptHash))).toEqual(
      new Set(sent.map((s) => s.receiptHash)),
    );
    // Ledger bodies carry ids and hashes, never content.
    expect(JSON.stringify(sent)).not.toContain('pattern');

    const back = await peerOf(bor, arv);
    const ok = await reconcile(arv.host, { ...back, agency: 'BOR-CERT' }, { retry: NO_WAIT });
    expect(ok).toMatchObject({ reconciled: true, missing: [], extra: [], unproven: [] });
    expect(ok.released).toBe(25);
    expect(ok.received).toBe(25);

    // BOR-CERT reads one more object straight over TAXII: released, never receipted.
    await publish(arv, [indicator()]);
    const direct = await peer.transport(
      `${arv.base}/taxii2/${AGREEMENT}/collections/incident-response/objects/?limit=100`,
      { method: 'GET', headers: { accept: 'application/taxii+json;version=2.1' } },
    );
    expect(direct.status).toBe(200);
    const gap = await reconcile(arv.host, { ...back, agency: 'BOR-CERT' }, { retry: NO_WAIT });
    expect(gap.reconciled).toBe(false);
    expect(gap.missing.length).toBeGreaterThanOrEqual(1);
    // Pulling it closes the gap.
    await pullPeer(bor.host, peer, { pageSize: 5, retry: NO_WAIT });
    expect(
      (await reconcile(arv.host, { ...back, agency: 'BOR-CERT' }, { retry: NO_WAIT })).reconciled,
    ).toBe(true);
  });

  it('a receipt altered or hidden by the peer is caught; a forged checkpoint is refused', async () => {
    const { arv, bor } = await two();
    await publish(
      arv,
      Array.from({ length: 12 }, () => indicator()),
    );
    await pullPeer(bor.host, await peerOf(arv, bor), { pageSize: 4, retry: NO_WAIT });
    const back = { ...(await peerOf(bor, arv)), agency: 'BOR-CERT' };

    const flipped = rewriting(back.transport, '/api/v1/federation/receipts', (b) => {
      const items = (b.receipts[0] as ProofsAnswer['receipts'][0]).body.items;
      items[0] = (items[0] as string).replace(/.$/, (c) => (c === '0' ? '1' : '0'));
      return b;
    });
    const altered = await reconcile(arv.host, { ...back, transport: flipped }, { retry: NO_WAIT });
    expect(altered.reconciled).toBe(false);
    expect(altered.unproven).toHaveLength(1);
    expect(altered.unproven[0]?.reason).toContain('inclusion proof fails');

    // Hide every receipt naming one object (it was received under two purposes).
    const first = (await reconcile(arv.host, back, { retry: NO_WAIT })).released;
    expect(first).toBe(12);
    let victim = '';
    const hidden = rewriting(back.transport, '/api/v1/federation/receipts', (b) => {
      victim = (b.receipts[0] as ProofsAnswer['receipts'][0]).body.items[0] as string;
      return {
        ...b,
        receipts: b.receipts.filter((r) => !r.body.items.includes(victim)),
      };
    });
    const missing = await reconcile(arv.host, { ...back, transport: hidden }, { retry: NO_WAIT });
    expect(missing.reconciled).toBe(false);
    expect(missing.missing).toContain(victim);
    expect(missing.unproven).toHaveLength(0);

    const forged = rewriting(back.transport, '/api/v1/federation/receipts', (b) => ({
      ...b,
      checkpoint: b.checkpoint.replace(
        /\n\n— .*/s,
        '\n\n— concordat.bor.node AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n',
      ),
    }));
    const refused = await reconcile(arv.host, { ...back, transport: forged }, { retry: NO_WAIT });
    expect(refused.reconciled).toBe(false);
    expect(refused.checkpoint).toBeUndefined();
    expect(refused.checkpointError).toBeDefined();
  });

  it('the producer refuses a receipt that is forged, re-signed by another party, or not its own; accepts one twice', async () => {
    const nodes = await makeNodes(['ARV', 'BOR', 'CAL'], manualClock(NOW));
    running = Object.values(nodes);
    const arv = nodes.ARV as FedNode;
    const bor = nodes.BOR as FedNode;
    await publish(arv, [indicator()]);
    await pullPeer(bor.host, await peerOf(arv, bor), { retry: NO_WAIT, deliver: false });
    const [stored] = await federationReceipts.undelivered(bor.node.db, 'ARV');
    const signed = JSON.parse(String(stored?.receipt)) as {
      receipt: Record<string, unknown>;
      signature: string;
    };
    const post = async (token: string, body: unknown) => {
      const res = await fetch(`${arv.base}/api/v1/federation/receipts`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(body),
      });
      const out = { status: res.status, body: (await res.json()) as Record<string, unknown> };
      conformsToDocument('POST', '/api/v1/federation/receipts', out.status, out.body);
      return out;
    };
    const borToken = await arv.token('BOR-CERT');
    const calToken = await arv.token('CAL-CSIRT');
    const ownToken = await arv.token('ARV-CERT');
    const first = await post(borToken, signed);
    expect(first.status).toBe(201);
    const again = await post(borToken, signed);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, ledgerSeq: first.body['ledgerSeq'] });
    expect(await kinds(arv, 'receipt-acknowledged')).toHaveLength(1);

    const tampered = { ...signed, receipt: { ...signed.receipt, purpose: 'attribution' } };
    expect(await post(borToken, tampered)).toMatchObject({
      status: 422,
      body: { error: { code: 'ERR_RECEIPT_INVALID' } },
    });
    // CAL replays BOR's receipt: the sender is not the receiver.
    expect(await post(calToken, signed)).toMatchObject({
      status: 422,
      body: { error: { code: 'ERR_RECEIPT_INVALID' } },
    });
    // The node's own agency is not a peer.
    expect(await post(ownToken, signed)).toMatchObject({
      status: 403,
      body: { error: { code: 'ERR_FORBIDDEN' } },
    });
    // A receipt for another producer.
    expect(
      await post(borToken, { ...signed, receipt: { ...signed.receipt, producer: 'CAL' } }),
    ).toMatchObject({ status: 422 });
    expect(await post(borToken, { receipt: 1 })).toMatchObject({ status: 422 });
    expect((await post(borToken, 'not json at all')).status).toBeLessThan(500);
    expect(await kinds(arv, 'receipt-acknowledged')).toHaveLength(1);

    // The receiver's proven receipts and the producer's withdrawal hashes, as documented.
    const proofs = await getDocumented(
      bor.base,
      '/api/v1/federation/receipts',
      await bor.token('ARV-CERT'),
    );
    expect(proofs.status).toBe(200);
    expect((proofs.body['receipts'] as unknown[]).length).toBeGreaterThan(0);
    expect((await getDocumented(arv.base, '/api/v1/federation/withdrawals', borToken)).status).toBe(
      200,
    );
    expect((await getDocumented(arv.base, '/api/v1/federation/withdrawals', ownToken)).status).toBe(
      403,
    );
  });
});

describe('handling on the consumer', () => {
  it('a received object keeps the producer deadline and is shredded on the consumer when due', async () => {
    const clock = manualClock(NOW);
    const { arv, bor } = await two(clock);
    const o = indicator();
    await publish(arv, [o]);
    await pullPeer(bor.host, await peerOf(arv, bor), { retry: NO_WAIT });
    const page = await objects.find(bor.node.db, {
      visibleAtMs: clock.now(),
      producer: 'ARV',
      ids: [String(o.id)],
      limit: 10,
    });
    const rec = page.items[0];
    expect(rec).toBeDefined();
    const content = JSON.parse(
      (await bor.node.vault.openRecord(bor.node.db, rec as never)).toString('utf8'),
    ) as Record<string, unknown>;
    const handling = readHandling(content);
    expect(handling?.agreementId).toBe(AGREEMENT);
    const deadline = Date.parse(String(handling?.retainUntil));
    // op-indicators: P90D, well inside the consumer's own P365D cap.
    expect(deadline).toBe(NOW + 90 * DAY);
    expect(rec?.retainUntilMs).toBeLessThanOrEqual(deadline);
    expect((await bor.node.shredDue()).events).toHaveLength(0);
    clock.advance(91 * DAY);
    const shred = await bor.node.shredDue();
    expect(shred.events.length).toBeGreaterThan(0);
    expect(await visible(bor, 'ARV')).toHaveLength(0);
  });

  it('a revoked version and a producer withdrawal stop the consumer from releasing earlier copies', async () => {
    const { arv, bor } = await two();
    const a = indicator();
    const b = indicator();
    await publish(arv, [a, b]);
    const peer = await peerOf(arv, bor);
    await pullPeer(bor.host, peer, { retry: NO_WAIT });
    expect(new Set(await visible(bor, 'ARV'))).toEqual(new Set([a.id, b.id]));

    // (a) ARV revokes `a`: a new version with revoked: true.
    await publish(arv, [{ ...a, modified: '2026-02-02T00:00:00.000Z', revoked: true }]);
    const r1 = await pullPeer(bor.host, peer, { retry: NO_WAIT });
    expect(r1.revoked).toBe(1);
    const seenA = (
      await objects.manifest(bor.node.db, {
        visibleAtMs: bor.node.clock.now(),
        ids: [String(a.id)],
        versions: ['all'],
        limit: 10,
      })
    ).items;
    expect(
      seenA.map((m) => [m.modified, bor.server.withdrawals.isWithdrawn(m.id, m.modified)]),
    ).toEqual([
      ['2026-02-01T00:00:00.000Z', true],
      ['2026-02-02T00:00:00.000Z', false],
    ]);

    // (b) ARV-CERT withdraws `b` over TAXII DELETE; the next pull withdraws BOR's copy.
    const token = await arv.token('ARV-CERT');
    const del = await fetch(
      `${arv.base}/taxii2/${AGREEMENT}/collections/incident-response/objects/${String(b.id)}/`,
      {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}`, accept: 'application/taxii+json;version=2.1' },
      },
    );
    expect(del.status).toBe(200);
    const r2 = await pullPeer(bor.host, peer, { retry: NO_WAIT });
    expect(r2.withdrawn).toBe(1);
    const hashes = await getDocumented(
      arv.base,
      '/api/v1/federation/withdrawals',
      await arv.token('BOR-CERT'),
    );
    expect(hashes.body['items']).toHaveLength(1);
    expect(await visible(bor, 'ARV')).toEqual([a.id]);
    // A withdrawal of something BOR was never given is not named to BOR, not even as a count.
    const c = indicator();
    await publish(arv, [c]);
    const delC = await fetch(
      `${arv.base}/taxii2/${AGREEMENT}/collections/incident-response/objects/${String(c.id)}/`,
      {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}`, accept: 'application/taxii+json;version=2.1' },
      },
    );
    expect(delC.status).toBe(200);
    const after = await getDocumented(
      arv.base,
      '/api/v1/federation/withdrawals',
      await arv.token('BOR-CERT'),
    );
    expect(after.body['items']).toEqual(hashes.body['items']);
    // The withdrawals are ledgered on the consumer, and BOR's own readers no longer get `b`.
    const w = await kinds(bor, 'withdraw');
    expect(w.map((x) => x.reason)).toEqual(['revoked', 'producer-withdrawal']);
    const reader = await bor.token('BOR-CERT', ['read']);
    const res = await fetch(
      `${bor.base}/taxii2/${AGREEMENT}/collections/incident-response/objects/?match[version]=all`,
      {
        headers: {
          authorization: `Bearer ${reader}`,
          accept: 'application/taxii+json;version=2.1',
        },
      },
    );
    const body = (await res.json()) as { objects?: { id: string }[] };
    expect((body.objects ?? []).map((x) => x.id)).not.toContain(b.id);
  });
});
