/**
 * The composition root end to end, on both dialects: open a node made by `initNode`, ingest
 * real bundles, sign checkpoints incrementally, verify, prove, shred, and catch tampering.
 */
import { expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import {
  parseCheckpoint,
  parseNoteVerifierKey,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '../../src/ledger/index.js';
import { describeDialects } from '../store/dialects.js';
import {
  APT1,
  DAY,
  bundle,
  icsSlice,
  indicator,
  makeNode,
  readJson,
  tamper,
  type NodeFixture,
} from './fixtures.js';

async function counts(f: NodeFixture): Promise<Record<string, number>> {
  const { node } = f;
  const r = node.repositories;
  return {
    ledger: await r.ledgerEntries.size(node.db),
    objects: await r.objects.count(node.db),
    checkpoints: (await r.checkpoints.list(node.db)).length,
  };
}

describeDialects('node', (d) => {
  it('opens with its agreements compiled, ingests, signs a checkpoint per commit, verifies and proves', async () => {
    const f = await makeNode(d);
    const { node } = f;
    expect([...node.agreements.keys()]).toEqual(['northsea-cti-compact']);
    const a = node.agreements.get('northsea-cti-compact');
    expect(a?.engine.kind).toBe('compiled');
    expect(a?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const first = await node.ingest(readJson(APT1));
    expect(first.report.inserted).toBe(first.report.received);
    const size1 = first.report.received;
    expect(first.checkpoint.size).toBe(size1);
    const second = await node.ingest(icsSlice(40), { producer: 'BOR' });
    expect(second.report.inserted).toBeGreaterThan(40);
    const size2 = second.checkpoint.size;
    expect(size2).toBe(size1 + second.report.inserted);
    // Idempotent: nothing new, no new entry, no new checkpoint.
    const again = await node.ingest(readJson(APT1));
    expect(again.report).toMatchObject({ inserted: 0, unchanged: size1 });
    expect(again.checkpoint.size).toBe(size2);

    const verifier = parseNoteVerifierKey(node.ledger.verifierKey);
    const v = await node.ledger.verify();
    // Checkpoints: the empty ledger (signed before the first ingest), then one per commit.
    expect(v).toMatchObject({ ok: true, size: size2, anchoredSize: size2, checkpoints: 3 });

    const head = await node.ledger.head();
    const checked = verifyCheckpoint(head?.text ?? '', [verifier], {
      origin: 'concordat.arv.node',
    });
    expect(checked.ok).toBe(true);

    const p = await node.ledger.inclusion(7);
    expect(p.size).toBe(size2);
    expect(verifyInclusion(p.leafHash, 7, p.size, p.proof, p.root).ok).toBe(true);
    const p1 = await node.ledger.inclusion(size1 - 1, size1);
    expect(verifyInclusion(p1.leafHash, size1 - 1, size1, p1.proof, p1.root).ok).toBe(true);
    expect(verifyInclusion(p1.leafHash, size1 - 2, size1, p1.proof, p1.root).ok).toBe(false);

    const c = await node.ledger.consistency(size1, size2);
    const r1 = parseCheckpoint(c.oldCheckpoint);
    const r2 = parseCheckpoint(c.newCheckpoint);
    if (!r1.ok || !r2.ok) throw new Error('stored checkpoints must parse');
    expect(
      verifyConsistency(size1, size2, c.proof, r1.checkpoint.root, r2.checkpoint.root).ok,
    ).toBe(true);
    await expect(node.ledger.inclusion(0, size1 + 1)).rejects.toMatchObject({
      code: 'ERR_NOT_FOUND',
    });
    await expect(node.ledger.consistency(0, size1)).rejects.toMatchObject({
      code: 'ERR_LEDGER_RANGE',
    });

    // A restarted node rebuilds its compact range and carries on from the same root.
    const reopened = await f.reopen();
    const more = await reopened.ingest(bundle([indicator()]));
    expect(more.checkpoint.size).toBe(size2 + 1);
    expect((await reopened.ledger.verify()).ok).toBe(true);
    await reopened.close();
  });

  it('rejects a bad bundle with every issue and writes nothing: no object, entry or checkpoint', async () => {
    const f = await makeNode(d);
    await f.node.ingest(bundle([indicator()]));
    const before = await counts(f);
    const bad = bundle([
      indicator(),
      indicator({ valid_from: 'yesterday' }),
      indicator({ id: 'indicator--not-a-uuid' }),
    ]);
    const err: unknown = await f.node.ingest(bad).catch((e: unknown) => e);
    expect(isConcordatError(err, 'ERR_STIX_INVALID')).toBe(true);
    const paths = ((err as { details: { path: string }[] }).details ?? []).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['/objects/1/valid_from', '/objects/2/id']));
    expect(await counts(f)).toEqual(before);
    await f.node.close();
  });

  it('shreds what is due once the clock passes the retention, ledgered and checkpointed', async () => {
    const f = await makeNode(d, (y) => y.replace('retention: P365D', 'retention: P10D'));
    await f.node.ingest(bundle([indicator(), indicator()]));
    expect((await f.node.shredDue()).events).toEqual([]);
    f.clock.advance(12 * DAY);
    const r = await f.node.shredDue();
    expect(r.events.length).toBe(1);
    expect(r.events[0]?.objectCount).toBe(2);
    expect(r.checkpoint.size).toBe(3);
    const entry = await f.node.repositories.ledgerEntries.get(f.node.db, 2);
    expect(entry?.kind).toBe('shred');
    expect(await f.node.ledger.verify()).toMatchObject({ ok: true, size: 3, anchoredSize: 3 });
    await f.node.close();
  });

  it('finds an edited entry body: verify names the entry, and no later checkpoint is signed over it', async () => {
    const f = await makeNode(d);
    await f.node.ingest(bundle([indicator(), indicator(), indicator()]));
    await tamper(
      f,
      'ledger_entries',
      {
        sqlite:
          "UPDATE ledger_entries SET body = replace(body, 'indicator', 'malware') WHERE seq = ?",
        postgres:
          "UPDATE ledger_entries SET body = replace(body, 'indicator', 'malware') WHERE seq = $1",
      },
      [1],
    );
    const v = await f.node.ledger.verify();
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.break).toMatchObject({ kind: 'leaf-hash-mismatch', seq: 1 });
    expect(v.verified).toBe(1);
    await f.node.close();
  });

  it('refuses to sign over an unverified leaf: an edited leaf hash stops ingest before it writes', async () => {
    const f = await makeNode(d);
    await f.node.ingest(bundle([indicator(), indicator()]));
    await tamper(
      f,
      'ledger_entries',
      {
        sqlite: 'UPDATE ledger_entries SET leaf_hash = zeroblob(32) WHERE seq = ?',
        postgres:
          "UPDATE ledger_entries SET leaf_hash = decode(repeat('00', 32), 'hex') WHERE seq = $1",
      },
      [0],
    );
    const node = await f.reopen();
    const before = await counts(f);
    await expect(node.ingest(bundle([indicator()]))).rejects.toMatchObject({
      code: 'ERR_LEDGER_INTEGRITY',
    });
    await expect(node.ledger.checkpoint()).rejects.toMatchObject({ code: 'ERR_LEDGER_INTEGRITY' });
    expect(await counts(f)).toEqual(before);
    const v = await node.ledger.verify();
    expect(v.ok ? undefined : v.break).toMatchObject({ kind: 'leaf-hash-mismatch', seq: 0 });
    await node.close();
  });

  it('verifies entries left without a checkpoint (a crash after commit) before signing them', async () => {
    const f = await makeNode(d);
    await f.node.ingest(bundle([indicator()]));
    // An entry committed by a process that died before its checkpoint, then edited.
    const { ledger } = await import('./crash-append.js').then((m) => m.appendUnsigned(f));
    expect(ledger).toBe(2);
    await tamper(
      f,
      'ledger_entries',
      {
        sqlite: "UPDATE ledger_entries SET kind = 'release' WHERE seq = ?",
        postgres: "UPDATE ledger_entries SET kind = 'release' WHERE seq = $1",
      },
      [1],
    );
    const before = await counts(f);
    const err: unknown = await f.node.ingest(bundle([indicator()])).catch((e: unknown) => e);
    expect(isConcordatError(err, 'ERR_LEDGER_INTEGRITY')).toBe(true);
    expect((err as Error).message).toContain('ledger entry `1`');
    expect(await counts(f)).toEqual(before);
    await f.node.close();
  });

  it('flags a checkpoint row whose root column was edited apart from its signed text', async () => {
    const f = await makeNode(d);
    await f.node.ingest(bundle([indicator()]));
    await tamper(
      f,
      'checkpoints',
      {
        sqlite: 'UPDATE checkpoints SET root = zeroblob(32) WHERE size = ?',
        postgres: "UPDATE checkpoints SET root = decode(repeat('00', 32), 'hex') WHERE size = $1",
      },
      [1],
    );
    const v = await f.node.ledger.verify();
    expect(v.ok ? undefined : v.break).toMatchObject({
      kind: 'checkpoint-malformed',
      checkpointSize: 1,
    });
    await f.node.close();
  });
});
