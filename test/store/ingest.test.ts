import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import { verifyLedger } from '../../src/ledger/index.js';
import { ingestBundle, ledgerRecords, shredDue } from '../../src/node/index.js';
import type { IngestContext } from '../../src/node/index.js';
import { dataKeys, ledgerEntries, objects } from '../../src/store/index.js';
import type { Database } from '../../src/store/index.js';
import { makeVault } from '../vault/fixtures.js';
import type { VaultFixture } from '../vault/fixtures.js';
import { describeDialects } from './dialects.js';
import { DAY, T0 } from './fixtures.js';

const TLP_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';

function indicator(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2029-11-01T00:00:00.000Z',
    modified: '2029-11-01T00:00:00.000Z',
    pattern: `[domain-name:value = '${randomUUID()}.example']`,
    pattern_type: 'stix',
    valid_from: '2029-11-01T00:00:00Z',
    object_marking_refs: [TLP_GREEN],
    ...over,
  };
}

function bundle(objs: readonly Record<string, unknown>[]): Record<string, unknown> {
  return { type: 'bundle', id: `bundle--${randomUUID()}`, objects: objs };
}

function context(db: Database, f: VaultFixture): IngestContext {
  return {
    db,
    vault: f.vault,
    clock: f.clock,
    producer: 'ARV',
    collection: 'arv-feed',
    retention: { untilMs: T0 + 30 * DAY },
  };
}

async function state(db: Database): Promise<unknown> {
  return {
    objects: await objects.count(db),
    ledger: await ledgerEntries.size(db),
    keys: (await dataKeys.list(db)).length,
  };
}

describeDialects('ingest', (d) => {
  it('stores, seals and ledgers every object of a valid bundle in one go; the ledger verifies', async () => {
    const { db } = await d.fresh();
    const f = await makeVault();
    const objs = [
      indicator(),
      indicator(),
      {
        type: 'ipv4-addr',
        spec_version: '2.1',
        id: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd',
        value: '198.51.100.3',
      },
    ];
    const report = await ingestBundle(bundle(objs), context(db, f));
    expect(report).toMatchObject({ received: 3, inserted: 3, unchanged: 0 });
    expect(report.objects.map((o) => o.ledgerSeq)).toEqual([0, 1, 2]);
    expect(await ledgerEntries.size(db)).toBe(3);
    const first = objs[0]!;
    const stored = JSON.parse(
      (await f.vault.read(db, String(first.id), String(first.modified))).toString('utf8'),
    );
    expect(stored).toEqual(first);
    const manifest = await objects.manifest(db, {
      visibleAtMs: T0,
      collection: 'arv-feed',
      limit: 10,
    });
    expect(manifest.items.map((r) => [r.id, r.tlp, r.producer])).toEqual(
      objs.map((o) => [o.id, o.type === 'indicator' ? 'green' : 'amber', 'ARV']),
    );
    // Ledger bodies: ids, hashes and metadata; no content.
    const records = await ledgerRecords(db, 0, 3);
    for (const r of records) {
      const text = JSON.stringify(r.entry);
      expect(text).not.toContain('.example');
      expect(text).not.toContain('198.51.100.3');
    }
    const verdict = await verifyLedger(records, [], { verifiers: [] });
    expect(verdict.ok).toBe(true);
  });

  it('is idempotent: the same bundle again writes nothing', async () => {
    const { db } = await d.fresh();
    const f = await makeVault();
    const b = bundle([indicator(), indicator()]);
    await ingestBundle(b, context(db, f));
    const before = await state(db);
    const again = await ingestBundle(b, context(db, f));
    expect(again).toMatchObject({ inserted: 0, unchanged: 2 });
    expect(await state(db)).toEqual(before);
  });

  it('rejects a bundle with bad objects, listing every issue, and writes nothing', async () => {
    const { db } = await d.fresh();
    const f = await makeVault();
    const before = await state(db);
    const bad = bundle([
      indicator(),
      indicator({ id: 'indicator--not-a-uuid' }),
      indicator({ valid_from: 'yesterday' }),
      indicator(),
    ]);
    const err = await ingestBundle(bad, context(db, f)).catch((e: unknown) => e);
    expect(isConcordatError(err, 'ERR_STIX_INVALID')).toBe(true);
    const paths = ((err as { details: { path: string; severity: string }[] }).details ?? [])
      .filter((i) => i.severity === 'error')
      .map((i) => i.path);
    expect(paths.some((p) => p.startsWith('/objects/1'))).toBe(true);
    expect(paths.some((p) => p.startsWith('/objects/2'))).toBe(true);
    expect(await state(db)).toEqual(before);
  });

  it('rejects a conflicting version, listing each, and rolls back the rest of the bundle', async () => {
    const { db } = await d.fresh();
    const f = await makeVault();
    const original = indicator();
    await ingestBundle(bundle([original]), context(db, f));
    const before = await state(db);
    const changed = { ...original, pattern: "[domain-name:value = 'changed.example']" };
    const err = await ingestBundle(bundle([indicator(), changed]), context(db, f)).catch(
      (e: unknown) => e,
    );
    expect(isConcordatError(err, 'ERR_OBJECT_CONFLICT')).toBe(true);
    expect((err as { details: unknown }).details).toEqual([
      { id: original.id, version: original.modified, path: '/objects/1' },
    ]);
    expect(await state(db)).toEqual(before);
  });

  it('refuses objects whose retention has already ended, before writing anything', async () => {
    const { db } = await d.fresh();
    const f = await makeVault();
    const before = await state(db);
    const err = await ingestBundle(bundle([indicator(), indicator()]), {
      ...context(db, f),
      retention: { untilMs: T0 },
    }).catch((e: unknown) => e);
    expect(isConcordatError(err, 'ERR_RETENTION_ENDED')).toBe(true);
    expect((err as { details: unknown[] }).details).toHaveLength(2);
    expect(await state(db)).toEqual(before);
  });

  it('ingests a real MITRE ATT&CK bundle (ICS 17.1) and verifies the ledger', async () => {
    const { db } = await d.fresh();
    const f = await makeVault();
    const attack = JSON.parse(
      readFileSync(
        new URL('../../../shared/data/mitre-attack-stix2.1/ics-attack-17.1.json', import.meta.url),
        'utf8',
      ),
    );
    const report = await ingestBundle(attack, context(db, f));
    expect(report.received).toBe(attack.objects.length);
    expect(report.inserted + report.unchanged).toBe(attack.objects.length);
    expect(await ledgerEntries.size(db)).toBe(report.inserted);
    const verdict = await verifyLedger(await ledgerRecords(db, 0, report.inserted), [], {
      verifiers: [],
    });
    expect(verdict).toMatchObject({ ok: true, size: report.inserted });
  });

  it('ledgers a shred after ingest; the ledger still verifies and names no content', async () => {
    const { db } = await d.fresh();
    const f = await makeVault();
    const objs = [indicator(), indicator()];
    await ingestBundle(bundle(objs), { ...context(db, f), retention: { untilMs: T0 + DAY } });
    f.clock.set(T0 + DAY);
    const { events } = await shredDue({ db, vault: f.vault, clock: f.clock });
    expect(events.map((e) => e.objectCount)).toEqual([2]);
    const records = await ledgerRecords(db, 0, await ledgerEntries.size(db));
    expect(records.map((r) => (r.entry as { kind: string }).kind)).toEqual([
      'ingest',
      'ingest',
      'shred',
    ]);
    expect(JSON.stringify(records[2]!.entry)).not.toContain(String(objs[0]!.id));
    expect((await verifyLedger(records, [], { verifiers: [] })).ok).toBe(true);
    const err = await f.vault
      .read(db, String(objs[0]!.id), String(objs[0]!.modified))
      .catch((e: unknown) => e);
    expect(isConcordatError(err, 'ERR_SHREDDED')).toBe(true);
  });
});
