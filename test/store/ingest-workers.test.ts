/**
 * Ingest with its preparation on worker threads (src/node/ingest-workers.ts) against ingest on
 * the writer's thread: the same reports, rows, ledger bodies and refusals, on both dialects;
 * and a bundle whose workers die mid-ingest writes nothing.
 */
import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { stampHandling } from '../../src/intel/index.js';
import { verifyLedger } from '../../src/ledger/index.js';
import {
  IngestWorkers,
  WORKER_MIN_OBJECTS,
  ingestBundle,
  ledgerRecords,
} from '../../src/node/index.js';
import type { BundlePreparer, IngestContext, IngestReport } from '../../src/node/index.js';
import type { PreparedChunk } from '../../src/node/ingest-prepare.js';
import { ledgerEntries, objects } from '../../src/store/index.js';
import type { Database } from '../../src/store/index.js';
import { makeVault } from '../vault/fixtures.js';
import { bundle, indicator as baseIndicator } from '../node/fixtures.js';
import { describeDialects } from './dialects.js';
import { DAY, T0 } from './fixtures.js';

const TLP_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const TLP_AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';

const pool = IngestWorkers.start(2);
afterAll(() => pool.close());

/** An indicator with a TLP marking and a confidence (both stored beside the row). */
function indicator(over: Record<string, unknown> = {}): Record<string, unknown> {
  return baseIndicator({
    confidence: 70,
    object_marking_refs: [Math.random() < 0.5 ? TLP_GREEN : TLP_AMBER],
    ...over,
  });
}

/** Two fresh stores over one dialect: one ingests inline, the other through the workers. */
async function pair(fresh: () => Promise<{ db: Database }>): Promise<{
  inline: IngestContext;
  workers: IngestContext;
}> {
  const ctx = async (preparer?: IngestWorkers): Promise<IngestContext> => {
    const { db } = await fresh();
    const f = await makeVault();
    return {
      db,
      vault: f.vault,
      clock: f.clock,
      producer: 'ARV',
      collection: 'arv-feed',
      retention: { untilMs: T0 + 30 * DAY },
      ...(preparer === undefined ? {} : { preparer }),
    };
  };
  return { inline: await ctx(), workers: await ctx(pool) };
}

/** What two stores must agree on: rows and ledger bodies, without key ids and nonces. */
async function contents(db: Database): Promise<unknown> {
  const rows = await db.all(
    'SELECT id, modified, type, tlp, revoked, retain_until_ms, content_hash, rsit, confidence FROM objects ORDER BY seq',
  );
  const ledger = (await ledgerEntries.range(db, 0, await ledgerEntries.size(db))).map((e) => {
    // Key ids are random per store: everything else must match.
    const rest = JSON.parse(e.body) as Record<string, unknown>;
    delete rest.keyId;
    return { kind: e.kind, rest };
  });
  return {
    rows: rows.map((r) => ({
      ...r,
      content_hash: Buffer.from(r.content_hash as Uint8Array).toString('hex'),
    })),
    ledger,
  };
}

async function outcome(p: Promise<IngestReport>): Promise<unknown> {
  return p.then(
    (r) => ({ ok: r }),
    (err: unknown) => {
      const e = err as { code?: string; message: string; details?: unknown };
      return { code: e.code, message: e.message, details: e.details };
    },
  );
}

async function nothingWritten(ctx: IngestContext): Promise<void> {
  expect(await objects.count(ctx.db)).toBe(0);
  expect(await ledgerEntries.size(ctx.db)).toBe(0);
}

describeDialects('ingest workers', (d) => {
  const fresh = (): Promise<{ db: Database }> => d.fresh();

  it('store exactly what inline ingest stores: reports, rows, ledger bodies; re-ingest is unchanged', async () => {
    const { inline, workers } = await pair(fresh);
    const attack = JSON.parse(
      readFileSync(
        new URL('../../../shared/data/mitre-attack-stix2.1/ics-attack-17.1.json', import.meta.url),
        'utf8',
      ),
    ) as { objects: Record<string, unknown>[] };
    // Real objects of many types, repeats across chunks, SCOs without versions.
    const objs = [...attack.objects, ...Array.from({ length: 200 }, () => indicator())];
    objs.push({ ...objs[3]! }, { ...objs[objs.length - 50]! });
    const b = bundle(objs);
    const a = await ingestBundle(b, inline);
    const w = await ingestBundle(b, workers);
    expect(w).toEqual(a);
    expect(w.unchanged).toBe(2);
    expect(await contents(workers.db)).toEqual(await contents(inline.db));
    const size = await ledgerEntries.size(workers.db);
    const verdict = await verifyLedger(await ledgerRecords(workers.db, 0, size), [], {
      verifiers: [],
    });
    expect(verdict).toMatchObject({ ok: true, size: w.inserted });
    const again = await ingestBundle(b, workers);
    expect(again).toMatchObject({ inserted: 0, unchanged: objs.length });
  });

  it('seal on the worker once it holds the window key; the vault keeps that sealing and reads it back', async () => {
    const { workers } = await pair(fresh);
    let sealedThere = 0;
    const count = (c: PreparedChunk | undefined): PreparedChunk | undefined => {
      sealedThere += c?.items.filter((i) => i.keyId !== undefined).length ?? 0;
      return c;
    };
    const counting: BundlePreparer = {
      open(b, o, k) {
        const s = pool.open(b, o, k);
        return {
          verdict: s.verdict,
          ...(s.settled === undefined ? {} : { settled: s.settled }),
          ...(s.provideKeys === undefined ? {} : { provideKeys: (k) => s.provideKeys?.(k) }),
          next: async () => count(await s.next()),
          ready: () => count(s.ready()),
        };
      },
    };
    const ctx = { ...workers, preparer: counting };
    // The first bundle of the window creates its key in the transaction; the next one finds
    // it before it starts, so its worker seals every object.
    await ingestBundle(bundle(Array.from({ length: 400 }, () => indicator())), ctx);
    const objs = Array.from({ length: 900 }, () => indicator());
    sealedThere = 0;
    const report = await ingestBundle(bundle(objs), ctx);
    expect(report.inserted).toBe(900);
    expect(sealedThere).toBe(900);
    for (const o of [objs[0]!, objs[450]!, objs[899]!]) {
      const plain = await workers.vault.read(workers.db, String(o.id), String(o.modified));
      expect(JSON.parse(plain.toString('utf8'))).toEqual(o);
    }
  });

  it('report progress as batches are stored, inline and on workers, up to every object', async () => {
    const { inline, workers } = await pair(fresh);
    const b = bundle(Array.from({ length: 2500 }, () => indicator()));
    const seen = async (ctx: IngestContext): Promise<number[]> => {
      const calls: number[] = [];
      await ingestBundle(b, {
        ...ctx,
        onProgress: (stored, total) => {
          expect(total).toBe(2500);
          calls.push(stored);
        },
      });
      return calls;
    };
    // Inline: batches of 1,024 objects (8 chunks of 128), the rest last.
    expect(await seen(inline)).toEqual([1024, 2048, 2500]);
    // On workers a batch is whatever is ready: rising, whole chunks, ending at every object.
    const w = await seen(workers);
    expect(w.at(-1)).toBe(2500);
    for (let i = 0; i < w.length; i++) {
      expect(w[i]).toBeGreaterThan(i === 0 ? 0 : w[i - 1]!);
      if (w[i] !== 2500) expect(w[i]! % 128).toBe(0);
    }
  });

  it('refuse an invalid bundle exactly as inline ingest does, with every issue, and write nothing', async () => {
    const { inline, workers } = await pair(fresh);
    const objs = Array.from({ length: WORKER_MIN_OBJECTS + 300 }, () => indicator());
    // Errors early, in the middle and in the last chunk; a warning too (duplicate version).
    objs[5] = indicator({ valid_from: 'yesterday' });
    objs[300] = indicator({ pattern_type: undefined });
    objs[objs.length - 1] = { ...objs[7]! };
    objs[objs.length - 2] = indicator({ id: 'indicator--not-a-uuid' });
    const b = bundle(objs);
    const a = await outcome(ingestBundle(b, inline));
    const w = await outcome(ingestBundle(b, workers));
    expect(w).toEqual(a);
    expect(w).toMatchObject({ code: 'ERR_STIX_INVALID' });
    await nothingWritten(workers);

    // Valid STIX that is not JSON data to canonicalise (a lone surrogate): preparing fails,
    // on the worker as on the writer's thread, with the same error.
    const lone = Array.from({ length: WORKER_MIN_OBJECTS + 10 }, () => indicator());
    lone[WORKER_MIN_OBJECTS] = indicator({ name: 'bad \ud800 text' });
    const la = await outcome(ingestBundle(bundle(lone), inline));
    const lw = await outcome(ingestBundle(bundle(lone), workers));
    expect(lw).toEqual(la);
    expect(lw).toHaveProperty('code');
    await nothingWritten(workers);
  });

  it('refuse objects past their retention deadline, and conflicting versions, listing every one', async () => {
    const { inline, workers } = await pair(fresh);
    const objs = Array.from({ length: 600 }, () => indicator());
    // Two objects whose own handling extension (from the producer's release) ended already.
    const stamp = (o: Record<string, unknown>): Record<string, unknown> =>
      stampHandling(o as Parameters<typeof stampHandling>[0], {
        agreementId: 'northsea',
        agreementVersion: 3,
        purpose: 'incident-response',
        tier: 'operational',
        level: 'baseline',
        retainUntil: new Date(T0 - DAY).toISOString(),
        pap: 'amber',
        onwardSharing: 'same-party',
        ledgerEntry: '42',
      });
    const lateCtx = (c: IngestContext): IngestContext => ({
      ...c,
      retention: { untilMs: T0 + 30 * DAY, handling: true },
    });
    const b = bundle(objs.map((o, i) => (i === 10 || i === 599 ? stamp(o) : o)));
    const a = await outcome(ingestBundle(b, lateCtx(inline)));
    const w = await outcome(ingestBundle(b, lateCtx(workers)));
    expect(w).toEqual(a);
    expect(w).toMatchObject({
      code: 'ERR_RETENTION_ENDED',
      details: [{ path: '/objects/10' }, { path: '/objects/599' }],
    });
    await nothingWritten(workers);

    // Stored once; then the same versions with other content, in two different chunks.
    await ingestBundle(bundle(objs.slice(0, 300)), inline);
    await ingestBundle(bundle(objs.slice(0, 300)), workers);
    const changed = objs.map((o, i) => (i === 20 || i === 290 ? { ...o, name: 'altered' } : o));
    const c = bundle(changed);
    const ca = await outcome(ingestBundle(c, inline));
    const cw = await outcome(ingestBundle(c, workers));
    expect(cw).toEqual(ca);
    expect(cw).toMatchObject({
      code: 'ERR_OBJECT_CONFLICT',
      details: [{ path: '/objects/20' }, { path: '/objects/290' }],
    });
    expect(await objects.count(workers.db)).toBe(300);
    expect(await ledgerEntries.size(workers.db)).toBe(300);
  });

  it('write nothing when the workers stop mid-bundle', async () => {
    const { workers } = await pair(fresh);
    const own = IngestWorkers.start(1);
    const objs = Array.from({ length: 4000 }, () => indicator());
    // Stop the pool as soon as the bundle is with its worker.
    let closing: Promise<void> | undefined;
    const stopping: BundlePreparer = {
      open(b, o, k) {
        const s = own.open(b, o, k);
        closing = own.close();
        return s;
      },
    };
    const pending = outcome(ingestBundle(bundle(objs), { ...workers, preparer: stopping }));
    expect(await pending).toMatchObject({
      code: 'ERR_INTERNAL',
      message: expect.stringMatching(/ingest worker exited/),
    });
    await closing;
    await nothingWritten(workers);
    // A closed pool prepares inline: ingest still works.
    const after = await ingestBundle(bundle(objs.slice(0, 300)), {
      ...workers,
      preparer: own,
    });
    expect(after.received).toBe(300);
  });
});
