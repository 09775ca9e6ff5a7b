/**
 * Store benchmarks (issue 3), each beside a bare insert measured in the same run on the same
 * database settings (WAL, synchronous=FULL, secure_delete=ON):
 * - bare insert of ~600-byte ledger-shaped rows, batched 1,000 per transaction (the ledger
 *   target's baseline);
 * - ledger appends through the store, batched the same way — target ≥ 80 % of that baseline —
 *   with precomputed leaf hashes (the store's cost) and with canonical encoding + hashing;
 * - sealed object inserts through the vault (AES-256-GCM, data key per window);
 * - the whole ingest pipeline (validation, canonical JSON, sealing, store, one ledger entry per
 *   object) — target ≥ 40 % of a bare insert of the same rows, which issue 3 names: the bundle's
 *   own objects as JSON rows keyed by (id, modified), beside plain `JSON.parse` of them — with
 *   the node's ingest workers, with everything on the writer's thread, and with two bundles in
 *   flight; measured under the baseline's checkpoint regime (SQLite: no automatic checkpoint
 *   during a batch, one untimed checkpoint after each batch, as for the bare inserts), beside
 *   the storage floor; and once more as a node runs it, with automatic checkpoints landing on
 *   its commits (`sqlite.ingest_autocheckpoint.*`);
 * - the same on PostgreSQL when it is reachable (baselines: multi-row INSERT of the same rows).
 * `--quick`: one round of 4,000 rows (1,000 objects); otherwise three rounds of 20,000 rows
 * (5,000 objects).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Client } from 'pg';
import { manualClock } from '../src/core/index.js';
import { entryLeafHash } from '../src/ledger/index.js';
import { IngestWorkers, ingestBundle } from '../src/node/index.js';
import { ledgerEntries, openPostgres, openSqlite } from '../src/store/index.js';
import type { Database, LedgerEntryInput } from '../src/store/index.js';
import { LocalKeyring, createVault } from '../src/vault/index.js';
import type { PutObjectInput, Vault } from '../src/vault/index.js';
import { median, type BenchContext, type Figure, type Suite } from './harness.js';

const BATCH = 1000;
const T0 = Date.UTC(2030, 0, 1);
const DAY = 86_400_000;

/** A ~600-byte row: seq, at, kind, a ~520-character JSON body, a 32-byte hash. */
function rows(n: number, from = 0): LedgerEntryInput[] {
  return Array.from({ length: n }, (_, i) => ({
    atMs: T0 + from + i,
    kind: 'decision',
    body: JSON.stringify({
      agreement: 'northsea-cti-compact',
      version: 3,
      objectHash: `sha256:${randomBytes(32).toString('hex')}`,
      recipient: 'BOR-CERT',
      purpose: 'incident-response',
      clauses: ['tiers.operational.release[0]', 'core.never_release', 'constraints.arv-no-special'],
      reason: 'allowed by tier operational at level baseline; minimised (pseudonymise email)',
      pad: 'x'.repeat(200),
    }),
    leafHash: randomBytes(32),
  }));
}

function indicator(): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2029-11-01T00:00:00.000Z',
    modified: '2029-11-01T00:00:00.000Z',
    name: 'c2 domain seen in phishing wave',
    description: 'Domain contacted by the loader after macro execution; seen at three agencies.',
    pattern: `[domain-name:value = '${randomUUID()}.example']`,
    pattern_type: 'stix',
    valid_from: '2029-11-01T00:00:00Z',
    labels: ['malicious-activity'],
    object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
  };
}

/** Rate (items per second) of `round` run `rounds` times over `items` items each; median. */
async function rate(
  rounds: number,
  items: number,
  round: (r: number) => Promise<void>,
): Promise<number> {
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    await round(r);
    rates.push(items / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  return median(rates);
}

interface Env {
  readonly db: Database;
  readonly vault: Vault;
  readonly clock: ReturnType<typeof manualClock>;
}

async function withVault(db: Database, dir: string): Promise<Env> {
  const clock = manualClock(T0);
  const keyring = await LocalKeyring.create(
    join(dir, `ring-${randomUUID()}.json`),
    { passphrase: 'bench' },
    { clock, scrypt: { N: 2 ** 14, r: 8, p: 1 } },
  );
  return { db, clock, vault: createVault({ custody: keyring, clock }) };
}

/** Checkpoint control around the comparisons (see `storeFigures`). */
interface Hooks {
  pause(): Promise<void>;
  settle(): Promise<void>;
  resume(): Promise<void>;
}

const NO_HOOKS: Hooks = {
  pause: async () => undefined,
  settle: async () => undefined,
  resume: async () => undefined,
};

/** The figures that are measured the same way on both dialects. */
async function storeFigures(
  prefix: string,
  env: Env,
  workers: IngestWorkers,
  baseline: (batch: readonly LedgerEntryInput[]) => Promise<void>,
  rows0: number,
  rounds: number,
  /**
   * Untimed housekeeping between timed batch pairs (SQLite: a WAL checkpoint): `pause` turns
   * automatic checkpoints off for a comparison, `settle` checkpoints between its batch pairs,
   * `resume` turns them back on.
   */
  hooks: Hooks = NO_HOOKS,
  /**
   * The storage floor, where measured: the rows one ingest batch writes (an `objects` row with
   * its five indexes and a sealed ~560-byte content, and a `ledger_entries` row), inserted
   * directly in one transaction into copies of those tables, with no validation, encryption
   * or hashing. Ingest can be no faster than this; it shows what is left once the CPU work is
   * gone. Rows are built untimed by `prepare`, then `insert` is timed.
   */
  floor?: { prepare(count: number): unknown; insert(rows: unknown): Promise<void> },
  /**
   * The ingest target's baseline, as issue 3 names it: a bare insert of the same rows — each
   * object of the very bundle ingest is given, as its JSON text (~560 bytes), into a plain
   * table keyed by the version key (id, modified), one transaction per bundle.
   */
  bareObjects?: (rows: readonly (readonly [string, string, string])[]) => Promise<void>,
): Promise<Figure[]> {
  let n = rows0;
  const { db, vault, clock } = env;
  const batches = (r: number): LedgerEntryInput[][] =>
    Array.from({ length: n / BATCH }, (_, b) => rows(BATCH, (r * n + b * BATCH) * 10));
  // Bare and store appends alternate batch by batch, so a busy machine slows both alike.
  const bareRates: number[] = [];
  const appendRates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let bareNs = 0n;
    let appendNs = 0n;
    for (const [a, b] of batches(r).map(
      (x, i) => [x, rows(BATCH, (r * n + i * BATCH) * 10 + 5)] as const,
    )) {
      const t0 = process.hrtime.bigint();
      await baseline(a);
      const t1 = process.hrtime.bigint();
      await db.transaction((tx) => ledgerEntries.append(tx, b));
      appendNs += process.hrtime.bigint() - t1;
      bareNs += t1 - t0;
      await hooks.settle();
    }
    bareRates.push(n / (Number(bareNs) / 1e9));
    appendRates.push(n / (Number(appendNs) / 1e9));
  }
  const bare = median(bareRates);
  const append = median(appendRates);
  await hooks.resume();
  // Rows are built before timing, as for the baseline (random bytes and JSON are not the
  // ledger's cost).
  const hashedBatches = Array.from({ length: rounds }, () =>
    Array.from({ length: n / BATCH }, () => rows(BATCH)),
  );
  const hashed = await rate(rounds, n, async (r) => {
    for (let b = 0; b < n / BATCH; b++) {
      const batch = hashedBatches[r]![b]!;
      await db.transaction((tx) =>
        ledgerEntries.appendWith(tx, BATCH, (seq, i) => {
          const e = batch[i]!;
          const body = JSON.parse(e.body) as Record<string, string>;
          return { ...e, leafHash: entryLeafHash({ seq, at: e.atMs, kind: e.kind, body }) };
        }),
      );
    }
  });
  // Sealing and ingest are ~10x slower than a bare insert: fewer objects keep the run short.
  n = Math.max(BATCH, n / 4);
  const contents = Array.from({ length: n }, () => indicator());
  const put = (o: Record<string, unknown>): PutObjectInput => ({
    id: `indicator--${randomUUID()}`,
    type: 'indicator',
    specVersion: '2.1',
    modified: '2029-11-01T00:00:00.000Z',
    collection: 'bench',
    producer: 'ARV',
    tlp: 'green',
    revoked: false,
    retainUntilMs: T0 + 30 * DAY,
    content: Buffer.from(JSON.stringify(o)),
  });
  const sealed = await rate(rounds, n, async () => {
    for (let b = 0; b < n; b += BATCH)
      await db.transaction(async (tx) => {
        for (let i = b; i < b + BATCH; i++) await vault.put(tx, put(contents[i]!));
      });
  });
  const sealedBatch = await rate(rounds, n, async () => {
    for (let b = 0; b < n; b += BATCH)
      await db.transaction((tx) => vault.putMany(tx, contents.slice(b, b + BATCH).map(put)));
  });
  const bundle = (): Record<string, unknown> => ({
    type: 'bundle',
    id: `bundle--${randomUUID()}`,
    objects: Array.from({ length: BATCH }, () => indicator()),
  });
  const inlineCtx = {
    db,
    vault,
    clock,
    producer: 'ARV',
    collection: 'bench',
    retention: { untilMs: T0 + 30 * DAY },
  };
  // As a node ingests: large bundles prepared by its ingest workers (default pool size).
  const ingestCtx = { ...inlineCtx, preparer: workers };
  // The first bundles compile the schema validators (here and in the workers): untimed.
  await ingestBundle(bundle(), inlineCtx);
  for (let i = 0; i < workers.size; i++) await ingestBundle(bundle(), ingestCtx);
  // SQLite: ingest as a node runs it, with automatic checkpoints landing on its commits.
  const ingestAuto =
    hooks === NO_HOOKS
      ? undefined
      : await rate(rounds, n, async () => {
          for (let b = 0; b < n; b += BATCH) await ingestBundle(bundle(), ingestCtx);
        });
  // Two bundles in flight, as when two agencies post at once: one is prepared by a worker
  // while the other is being stored (bundles are built untimed).
  const inFlight = await (async (): Promise<number> => {
    const rates: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const bundles = Array.from({ length: n / BATCH }, () => bundle());
      const start = process.hrtime.bigint();
      const lanes = [0, 1].map(async (lane) => {
        for (let b = lane; b < bundles.length; b += 2) await ingestBundle(bundles[b], ingestCtx);
      });
      await Promise.all(lanes);
      rates.push(n / (Number(process.hrtime.bigint() - start) / 1e9));
      await hooks.settle();
    }
    return median(rates);
  })();
  // Ingest and the storage floor alternate batch by batch, so a busy machine slows both alike,
  // under the bare baseline's checkpoint regime: none during a batch, one untimed after each
  // pair. (With automatic checkpoints, the commit that crosses the threshold pays for copying
  // every connection's pages, the floor's and the baseline's included.)
  await hooks.pause();
  const ingestRates: number[] = [];
  const inlineRates: number[] = [];
  const floorRates: number[] = [];
  const bareObjectRates: number[] = [];
  const parseRates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let ingestNs = 0n;
    let inlineNs = 0n;
    let floorNs = 0n;
    let bareObjectNs = 0n;
    let parseNs = 0n;
    for (let b = 0; b < n; b += BATCH) {
      const input = bundle();
      // The other raw baseline: plain JSON.parse of the same objects.
      const text = JSON.stringify(input);
      const p0 = process.hrtime.bigint();
      JSON.parse(text);
      parseNs += process.hrtime.bigint() - p0;
      const objectRows = (input.objects as Record<string, string>[]).map(
        (o) => [o.id!, o.modified!, JSON.stringify(o)] as const,
      );
      const t0 = process.hrtime.bigint();
      await ingestBundle(input, ingestCtx);
      ingestNs += process.hrtime.bigint() - t0;
      const other = bundle();
      const t3 = process.hrtime.bigint();
      await ingestBundle(other, inlineCtx);
      inlineNs += process.hrtime.bigint() - t3;
      if (bareObjects !== undefined) {
        const t2 = process.hrtime.bigint();
        await bareObjects(objectRows);
        bareObjectNs += process.hrtime.bigint() - t2;
      }
      if (floor !== undefined) {
        const batch = floor.prepare(BATCH);
        const t1 = process.hrtime.bigint();
        await floor.insert(batch);
        floorNs += process.hrtime.bigint() - t1;
      }
      await hooks.settle();
    }
    ingestRates.push(n / (Number(ingestNs) / 1e9));
    inlineRates.push(n / (Number(inlineNs) / 1e9));
    parseRates.push(n / (Number(parseNs) / 1e9));
    if (floor !== undefined) floorRates.push(n / (Number(floorNs) / 1e9));
    if (bareObjects !== undefined) bareObjectRates.push(n / (Number(bareObjectNs) / 1e9));
  }
  await hooks.resume();
  const ingest = median(ingestRates);
  const pct = (v: number): number => (100 * v) / bare;
  const bareObjectFigures: Figure[] =
    bareObjects === undefined
      ? []
      : [
          {
            name: `${prefix}.bare_object_insert.per_s`,
            value: median(bareObjectRates),
            unit: 'rows/s',
            label: `${prefix}: baseline: bare insert of the same objects (JSON rows keyed (id, modified)), ${BATCH}/tx`,
          },
          {
            name: `${prefix}.ingest.pct_of_bare_objects`,
            value: (100 * ingest) / median(bareObjectRates),
            unit: '%',
            label: `${prefix}: ingest / bare insert of the same objects (target ≥ 40 %)`,
          },
          {
            name: `${prefix}.ingest_two_in_flight.pct_of_bare_objects`,
            value: (100 * inFlight) / median(bareObjectRates),
            unit: '%',
            label: `${prefix}: ingest, two bundles in flight / bare insert of the same objects`,
          },
        ];
  const autoFigures: Figure[] =
    ingestAuto === undefined
      ? []
      : [
          {
            name: `${prefix}.ingest_autocheckpoint.per_s`,
            value: ingestAuto,
            unit: 'objects/s',
            label: `${prefix}: ingest with automatic checkpoints on its commits, as a node runs`,
          },
          {
            name: `${prefix}.ingest_autocheckpoint.pct_of_bare`,
            value: pct(ingestAuto),
            unit: '%',
            label: `${prefix}: ... of bare insert`,
          },
        ];
  const floorFigures: Figure[] =
    floor === undefined
      ? []
      : [
          {
            name: `${prefix}.store_floor.per_s`,
            value: median(floorRates),
            unit: 'objects/s',
            label: `${prefix}: storage floor: object + ledger rows inserted directly, ${BATCH}/tx`,
          },
          {
            name: `${prefix}.store_floor.pct_of_bare`,
            value: pct(median(floorRates)),
            unit: '%',
            label: `${prefix}: storage floor / bare insert (ceiling for ingest)`,
          },
          {
            name: `${prefix}.ingest.pct_of_floor`,
            value: (100 * ingest) / median(floorRates),
            unit: '%',
            label: `${prefix}: ingest / storage floor`,
          },
        ];
  return [
    {
      name: `${prefix}.bare_insert.per_s`,
      value: bare,
      unit: 'rows/s',
      label: `${prefix}: baseline: bare insert, ~600-byte rows, ${BATCH}/tx`,
    },
    {
      name: `${prefix}.ledger_append.per_s`,
      value: append,
      unit: 'entries/s',
      label: `${prefix}: ledger append via store, same rows, ${BATCH}/tx`,
    },
    {
      name: `${prefix}.ledger_append.pct_of_bare`,
      value: pct(append),
      unit: '%',
      label: `${prefix}: ledger append / bare insert (target ≥ 80 %)`,
    },
    {
      name: `${prefix}.ledger_append_hashed.per_s`,
      value: hashed,
      unit: 'entries/s',
      label: `${prefix}: ledger append incl. canonical encode + leaf hash`,
    },
    {
      name: `${prefix}.ledger_append_hashed.pct_of_bare`,
      value: pct(hashed),
      unit: '%',
      label: `${prefix}: ... of bare insert`,
    },
    {
      name: `${prefix}.sealed_insert.per_s`,
      value: sealed,
      unit: 'objects/s',
      label: `${prefix}: sealed object insert (aes-256-gcm), ${BATCH}/tx`,
    },
    {
      name: `${prefix}.sealed_insert.pct_of_bare`,
      value: pct(sealed),
      unit: '%',
      label: `${prefix}: sealed insert / bare insert`,
    },
    {
      name: `${prefix}.sealed_insert_batched.per_s`,
      value: sealedBatch,
      unit: 'objects/s',
      label: `${prefix}: sealed object insert, putMany ${BATCH}/tx`,
    },
    {
      name: `${prefix}.sealed_insert_batched.pct_of_bare`,
      value: pct(sealedBatch),
      unit: '%',
      label: `${prefix}: sealed insert (batched) / bare insert`,
    },
    {
      name: `${prefix}.ingest.per_s`,
      value: ingest,
      unit: 'objects/s',
      label: `${prefix}: ingest (validate + seal + store + ledger), ${BATCH}/bundle, ${workers.size} ingest worker(s)`,
    },
    {
      name: `${prefix}.ingest_two_in_flight.per_s`,
      value: inFlight,
      unit: 'objects/s',
      label: `${prefix}: ingest, two bundles in flight (two agencies posting at once)`,
    },
    {
      name: `${prefix}.ingest_inline.per_s`,
      value: median(inlineRates),
      unit: 'objects/s',
      label: `${prefix}: ingest with everything on the writer's thread (no ingest workers)`,
    },
    {
      name: `${prefix}.ingest.pct_of_bare`,
      value: pct(ingest),
      unit: '%',
      label: `${prefix}: ingest / bare insert of ledger-shaped rows (the ledger target's baseline)`,
    },
    ...bareObjectFigures,
    {
      name: `${prefix}.json_parse.per_s`,
      value: median(parseRates),
      unit: 'objects/s',
      label: `${prefix}: baseline: plain JSON.parse of the same objects`,
    },
    ...autoFigures,
    ...floorFigures,
  ];
}

/**
 * The SQLite storage floor (see `storeFigures`): copies of the store's own `objects` and
 * `ledger_entries` tables with their indexes, taken from `sqlite_master` so they cannot drift
 * from the migrations, written through `conn` (the bare baseline's connection, same pragmas).
 */
function sqliteFloor(conn: BetterSqlite3.Database): {
  prepare(count: number): unknown;
  insert(rows: unknown): Promise<void>;
} {
  const ddl = conn
    .prepare(
      "SELECT sql FROM sqlite_master WHERE tbl_name IN ('objects', 'ledger_entries') AND type IN ('table', 'index') AND sql IS NOT NULL",
    )
    .pluck()
    .all() as string[];
  for (const sql of ddl) conn.exec(sql.replace(/\b(objects|ledger_entries)/g, 'floor_$1'));
  // The data key the floor rows reference (the foreign key is checked, as for ingest).
  conn
    .prepare(
      "INSERT INTO data_keys (key_id, producer, window_start_ms, window_end_ms, kek_id, wrapped, created_ms) VALUES ('dk-floor', 'FLOOR', 0, 1, 'kek-floor', x'00', 0)",
    )
    .run();
  const obj = conn.prepare(
    'INSERT INTO floor_objects (seq, id, modified, modified_us, date_added_us, type, spec_version, collection, producer, tlp, revoked, retain_until_ms, key_id, nonce, ciphertext, tag, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const led = conn.prepare(
    'INSERT INTO floor_ledger_entries (seq, at_ms, kind, body, leaf_hash) VALUES (?, ?, ?, ?, ?)',
  );
  // Sizes as ingest writes them: the canonical indicator, and an `ingest` entry body.
  const contentBytes = Buffer.byteLength(JSON.stringify(indicator()));
  const bodyChars = 330;
  let seq = 0;
  type FloorRow = readonly [string, Buffer, Buffer, Buffer, Buffer, string, Buffer];
  const tx = conn.transaction((rows: readonly FloorRow[]) => {
    for (const [id, nonce, ciphertext, tag, hash, body, leaf] of rows) {
      obj.run(
        seq,
        id,
        '2029-11-01T00:00:00.000Z',
        1_888_531_200_000_000,
        T0 * 1000 + seq,
        'indicator',
        '2.1',
        'bench',
        'ARV',
        'green',
        0,
        T0 + 30 * DAY,
        'dk-floor',
        nonce,
        ciphertext,
        tag,
        hash,
      );
      led.run(seq, T0, 'ingest', body, leaf);
      seq++;
    }
  });
  return {
    prepare: (count) =>
      Array.from({ length: count }, (): FloorRow => [
        `indicator--${randomUUID()}`,
        randomBytes(12),
        randomBytes(contentBytes),
        randomBytes(16),
        randomBytes(32),
        `{"bundleId":"bundle--${randomUUID()}",${'"x":"'.padEnd(bodyChars - 60, 'x')}"}`,
        randomBytes(32),
      ]),
    insert: async (rows) => {
      tx(rows as readonly FloorRow[]);
    },
  };
}

const PG_URL = process.env.CONCORDAT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function run(ctx: BenchContext): Promise<readonly Figure[]> {
  const n = ctx.quick ? 4 * BATCH : 20 * BATCH;
  const rounds = ctx.quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'concordat-bench-store-'));
  const figures: Figure[] = [];
  const workers = IngestWorkers.start();
  try {
    // SQLite: the bare baseline is better-sqlite3 on a second connection to the store's own
    // file (same pragmas, same WAL and checkpoints), inserting into a plain table.
    const sqlite = await openSqlite({ path: join(dir, 'store.db') });
    const bareConn = new BetterSqlite3(join(dir, 'store.db'));
    for (const p of ['journal_mode = WAL', 'synchronous = FULL', 'secure_delete = ON'])
      bareConn.pragma(p);
    bareConn.exec(
      'CREATE TABLE bare (seq INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL, leaf_hash BLOB NOT NULL)',
    );
    const ins = bareConn.prepare(
      'INSERT INTO bare (seq, at_ms, kind, body, leaf_hash) VALUES (?, ?, ?, ?, ?)',
    );
    let seq = 0;
    const bareTx = bareConn.transaction((batch: readonly LedgerEntryInput[]) => {
      for (const e of batch) ins.run(seq++, e.atMs, e.kind, e.body, e.leafHash);
    });
    ctx.log('bench: store sqlite ...');
    // Checkpoints would land on whichever connection's commit crosses the WAL threshold, at
    // random; during the bare-vs-append comparison they run untimed between batch pairs.
    bareConn.pragma('wal_autocheckpoint = 0');
    await sqlite.run('PRAGMA wal_autocheckpoint = 0');
    const hooks: Hooks = {
      pause: async (): Promise<void> => {
        await sqlite.run('PRAGMA wal_autocheckpoint = 0');
      },
      settle: async (): Promise<void> => {
        bareConn.pragma('wal_checkpoint(TRUNCATE)');
      },
      // Between comparisons the suite runs with SQLite's default checkpointing, as a node does.
      resume: async (): Promise<void> => {
        await sqlite.run('PRAGMA wal_autocheckpoint = 1000');
      },
    };
    bareConn.exec(
      'CREATE TABLE bare_objects (id TEXT NOT NULL, modified TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (id, modified))',
    );
    const insObject = bareConn.prepare(
      'INSERT INTO bare_objects (id, modified, json) VALUES (?, ?, ?)',
    );
    const bareObjectsTx = bareConn.transaction(
      (batch: readonly (readonly [string, string, string])[]) => {
        for (const row of batch) insObject.run(row);
      },
    );
    const env = await withVault(sqlite, dir);
    const sqliteFigures = await storeFigures(
      'sqlite',
      env,
      workers,
      async (b) => bareTx(b),
      n,
      rounds,
      hooks,
      sqliteFloor(bareConn),
      async (rows) => bareObjectsTx(rows),
    );
    figures.push(...sqliteFigures);
    await sqlite.close();
    bareConn.close();

    // PostgreSQL, when reachable.
    const admin = new Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    const reachable = await admin.connect().then(
      () => true,
      (err: unknown) => (
        ctx.log(`bench: store postgres skipped: ${(err as Error).message}`),
        false
      ),
    );
    if (reachable) {
      const name = `concordat_bench_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(PG_URL);
      url.pathname = `/${name}`;
      try {
        ctx.log('bench: store postgres ...');
        const pg = await openPostgres({ connectionString: url.toString() });
        await pg.run(
          'CREATE TABLE bare (seq BIGINT PRIMARY KEY, at_ms BIGINT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL, leaf_hash BYTEA NOT NULL)',
        );
        let pseq = 0;
        const bare = (batch: readonly LedgerEntryInput[]): Promise<void> =>
          pg.transaction(async (tx) => {
            await tx.insertMany(
              'bare',
              ['seq', 'at_ms', 'kind', 'body', 'leaf_hash'],
              batch.map((e) => [pseq++, e.atMs, e.kind, e.body, e.leafHash]),
            );
          });
        await pg.run(
          'CREATE TABLE bare_objects (id TEXT NOT NULL, modified TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (id, modified))',
        );
        const bareObjects = (rows: readonly (readonly [string, string, string])[]): Promise<void> =>
          pg.transaction(async (tx) => {
            await tx.insertMany('bare_objects', ['id', 'modified', 'json'], rows);
          });
        figures.push(
          ...(await storeFigures(
            'postgres',
            await withVault(pg, dir),
            workers,
            bare,
            n,
            rounds,
            NO_HOOKS,
            undefined,
            bareObjects,
          )),
        );
        await pg.close();
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    }
  } finally {
    await workers.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

/** The store suite for `npm run bench`. */
export const storeSuite: Suite = {
  name: 'store',
  target:
    'ledger append ≥ 80 % and ingest ≥ 40 % of a bare insert of the same ~600-byte rows (issue 3)',
  run,
};
