/**
 * The node's oversight reader on both dialects: the node's own figures equal an oversight
 * body's, computed from the node's export verified with its key; a shred and a tampered entry
 * show; the server's reuse of figures holds only while the ledger has not grown and for a
 * minute at most.
 */
import { expect, it } from 'vitest';
import { parseNoteVerifierKey, readLedgerExport } from '../../src/ledger/index.js';
import { nodeIndicators, nodeLedgerExport, servedIndicators } from '../../src/node/index.js';
import { quarterPeriod, verifiedIndicators } from '../../src/oversight/index.js';
import type { Indicators } from '../../src/oversight/index.js';
import { describeDialects } from '../store/dialects.js';
import { DAY, bundle, icsSlice, indicator, makeNode, tamper } from './fixtures.js';

const Q1 = quarterPeriod('2026Q1'); // the fixtures' clock is 2026-03-03

async function exported(f: Awaited<ReturnType<typeof makeNode>>): Promise<Indicators> {
  const lines: string[] = [];
  for await (const l of nodeLedgerExport(f.node)) lines.push(l);
  const reading = await readLedgerExport(
    (async function* () {
      yield* lines;
    })(),
  );
  const { node } = f;
  const r = await verifiedIndicators(reading, parseNoteVerifierKey(node.ledger.verifierKey), {
    period: Q1,
    agreements: [...node.agreements.values()].map((a) => ({ agreement: a.agreement })),
    asOf: Math.min(Q1.to, node.clock.now()),
    windowMs:
      node.vault.window === 'hour' ? 3_600_000 : node.vault.window === 'day' ? DAY : 7 * DAY,
  });
  if (!('indicators' in r))
    throw new Error(`export does not verify: ${r.verification.break.message}`);
  return r.indicators;
}

describeDialects('node oversight', (d) => {
  it('counts what the node did, and an export verified elsewhere gives the same figures', async () => {
    const f = await makeNode(d);
    const { node } = f;
    await node.ingest(bundle([indicator(), indicator(), indicator()]));
    await node.ingest(icsSlice(12), { producer: 'BOR' });
    const own = await nodeIndicators(node, Q1);
    expect(own.contributions.find((c) => c.producer === 'ARV')?.objects).toBe(3);
    expect(own.contributions.find((c) => c.producer === 'BOR')?.objects).toBeGreaterThan(12);
    expect(own.ledger.entries).toBe(await node.repositories.ledgerEntries.size(node.db));
    expect(own.escalation.map((e) => e.agreementId)).toEqual([...node.agreements.keys()].sort());
    expect(await exported(f)).toEqual(own);
    // Shredded later, read at the later instant: the shred shows, and nothing is overdue.
    f.clock.set(f.clock.now() + 400 * DAY);
    const period = { from: Q1.from, to: f.clock.now() + 1 };
    const before = await nodeIndicators(node, period);
    expect(before.retention.overdueKeys).toBeGreaterThan(0);
    await node.shredDue();
    const after = await nodeIndicators(node, period);
    expect(after.retention).toMatchObject({ overdueKeys: 0, overdueObjects: 0 });
    expect(after.retention.keysShredded).toBe(before.retention.overdueKeys);
  });

  it('an export with one entry altered in the store yields no figures', async () => {
    const f = await makeNode(d);
    await f.node.ingest(bundle([indicator(), indicator()]));
    await tamper(
      f,
      'ledger_entries',
      {
        sqlite:
          "UPDATE ledger_entries SET body = replace(body, 'indicator', 'malware') WHERE seq = ?",
        postgres:
          "UPDATE ledger_entries SET body = replace(body, 'indicator', 'malware') WHERE seq = $1",
      },
      [0],
    );
    // The node's own figures now count a malware object: only verification tells.
    expect((await nodeIndicators(f.node, Q1)).contributions[0]?.byType).toHaveProperty(
      'malware',
      1,
    );
    await expect(exported(f)).rejects.toThrow(/does not verify/);
  });

  it('the server reuses figures only while the ledger has not grown, for a minute at most', async () => {
    const f = await makeNode(d);
    const served = servedIndicators(f.node);
    await f.node.ingest(bundle([indicator()]));
    const first = await served(Q1);
    expect(await served(Q1)).toBe(first);
    await f.node.ingest(bundle([indicator()]));
    const grown = await served(Q1);
    expect(grown).not.toBe(first);
    expect(grown.ledger.entries).toBe(first.ledger.entries + 1);
    f.clock.set(f.clock.now() + 61_000);
    expect(await served(Q1)).not.toBe(grown);
  });
});
