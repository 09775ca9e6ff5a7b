/**
 * Canary test (issue 3): plant unique canary strings in objects, let their retention end,
 * shred, then scan the raw database files and every other artefact for the canaries AND for
 * the destroyed key material (the data key itself and its wrapped form) and ciphertexts.
 *
 * Plaintext never reaches the database (it is sealed before the store sees it), so the canary
 * half of the scan proves encryption at rest; the key half proves the shred leaves nothing
 * that could be decrypted later. Each scan has a positive control: before the shred the same
 * scan finds the wrapped key, so a scan that silently reads nothing cannot pass.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Client } from 'pg';
import { expect, it } from 'vitest';
import { dataKeys } from '../../src/store/index.js';
import type { Database } from '../../src/store/index.js';
import { dataKeyAad } from '../../src/vault/index.js';
import { describeDialects } from '../store/dialects.js';
import { DAY, T0 } from '../store/fixtures.js';
import { makeVault, stixObject } from './fixtures.js';
import type { VaultFixture } from './fixtures.js';

interface Planted {
  readonly canaries: string[];
  readonly survivors: { id: string; modified: string; content: Uint8Array }[];
  /** name → bytes that must be gone after the shred. */
  readonly secrets: Map<string, Buffer>;
}

async function plant(db: Database, f: VaultFixture): Promise<Planted> {
  const canaries = Array.from({ length: 25 }, () => `CANARY-${randomUUID()}`);
  const survivors = Array.from({ length: 5 }, () =>
    stixObject({ retainUntilMs: T0 + 5 * DAY, marker: `keep-${randomUUID()}` }),
  );
  await db.transaction(async (tx) => {
    for (const c of canaries)
      await f.vault.put(tx, stixObject({ retainUntilMs: T0 + DAY, marker: c }));
    for (const s of survivors) await f.vault.put(tx, s);
  });
  const secrets = new Map<string, Buffer>();
  const doomed = (await dataKeys.list(db)).filter((k) => k.windowEndMs === T0 + DAY);
  expect(doomed).toHaveLength(1);
  const key = doomed[0]!;
  const wrapped = Buffer.from(key.wrapped!);
  const raw = Buffer.from(await f.keyring.unwrap(key.kekId, wrapped, dataKeyAad(key)));
  secrets.set('wrapped data key', wrapped);
  secrets.set('raw data key', raw);
  secrets.set('raw data key (base64)', Buffer.from(raw.toString('base64')));
  secrets.set('raw data key (hex)', Buffer.from(raw.toString('hex')));
  const cts = await db.all('SELECT ciphertext FROM objects WHERE key_id = ?', [key.keyId]);
  cts.forEach((r, i) =>
    secrets.set(`ciphertext #${i}`, Buffer.from(r.ciphertext as Buffer).subarray(0, 48)),
  );
  return { canaries, survivors, secrets };
}

function found(haystacks: Map<string, Buffer>, needles: Map<string, Buffer>): string[] {
  const hits: string[] = [];
  for (const [where, hay] of haystacks)
    for (const [what, needle] of needles)
      if (hay.includes(needle)) hits.push(`${what} in ${where}`);
  return hits;
}

function canaryNeedles(canaries: readonly string[]): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const c of canaries) {
    m.set(c, Buffer.from(c, 'utf8'));
    m.set(`${c} (utf-16)`, Buffer.from(c, 'utf16le'));
  }
  return m;
}

describeDialects('canaries after shredding', (d) => {
  it('leaves no canary, key or ciphertext in the database files or the keyring', async () => {
    const t = await d.fresh();
    const { db } = t;
    const f = await makeVault('day');
    const planted = await plant(db, f);
    const canaries = canaryNeedles(planted.canaries);

    const files = async (): Promise<Map<string, Buffer>> =>
      d.name === 'sqlite' ? sqliteFiles(t.file!) : postgresFiles(t.url!);

    // Positive control: the scan sees the wrapped key and ciphertexts while they exist...
    const before = await files();
    expect([...before.values()].reduce((n, b) => n + b.length, 0)).toBeGreaterThan(0);
    expect(found(before, planted.secrets)).toContain(
      'wrapped data key in ' + (d.name === 'sqlite' ? 'wal+main' : 'data_keys'),
    );
    // ...and plaintext was never there (encryption at rest).
    expect(found(before, canaries)).toEqual([]);

    f.clock.set(T0 + DAY);
    const { events, scrub } = await f.vault.shredDue(db);
    expect(events.map((e) => e.objectCount)).toEqual([planted.canaries.length]);
    if (d.name === 'sqlite') expect(scrub?.walTruncated).toBe(true);
    if (d.name === 'postgres') await vacuumAll(t.url!);

    const after = await files();
    expect(found(after, canaries)).toEqual([]);
    expect(found(after, planted.secrets)).toEqual([]);

    // Every other artefact: the keyring file holds KEKs (sealed), never data keys or content.
    const others = new Map([['keyring', readFileSync(f.keyringPath)]]);
    expect(found(others, canaries)).toEqual([]);
    expect(found(others, planted.secrets)).toEqual([]);

    // The survivors, in another window, are intact.
    for (const s of planted.survivors)
      expect((await f.fresh().read(db, s.id, s.modified)).equals(Buffer.from(s.content))).toBe(
        true,
      );
  });
});

/** The SQLite main file and its WAL (concatenated as one haystack, plus each alone). */
async function sqliteFiles(file: string): Promise<Map<string, Buffer>> {
  const main = readFileSync(file);
  const wal = existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0);
  return new Map([
    ['main', main],
    ['wal', wal],
    ['wal+main', Buffer.concat([wal, main])],
  ]);
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * After the shred, rewrite the object table too, so no dead row version survives in it.
 * VACUUM keeps dead rows that any transaction still running anywhere in the cluster might see
 * (an open transaction in another database holds the horizon back too, as parallel test files
 * do), so first wait, bounded, until every transaction older than this point has ended.
 */
async function vacuumAll(url: string): Promise<void> {
  await withClient(url, async (c) => {
    const marker = (await c.query<{ x: string }>('SELECT txid_current()::text AS x')).rows[0]!.x;
    for (let i = 0; i < 300; i++) {
      const older = await c.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity
          WHERE pid <> pg_backend_pid()
            AND ((backend_xid IS NOT NULL AND age(backend_xid) > age($1::xid))
              OR (backend_xmin IS NOT NULL AND age(backend_xmin) > age($1::xid)))`,
        [marker],
      );
      if (older.rows[0]?.n === '0') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await c.query('VACUUM FULL objects');
    await c.query('VACUUM FULL data_keys');
  });
}

/**
 * Every relation file (tables, indexes and their TOAST) of the test schema, read through
 * `pg_read_binary_file` after a CHECKPOINT has flushed dirty pages to them. This needs a
 * superuser (or pg_read_server_files); the suite runs as the trust superuser `postgres`, and a
 * missing privilege fails the test rather than skipping the scan silently.
 *
 * Not scanned: PostgreSQL's own WAL (pg_wal). It keeps full-page images of rows until its
 * segments are recycled, so the wrapped data key is still there for a while; it stays
 * unusable without the party's KEK, and ScrubReport.notes tells operators to hold WAL
 * archives and base backups under the same retention as the data.
 */
async function postgresFiles(url: string): Promise<Map<string, Buffer>> {
  return withClient(url, async (c) => {
    await c.query('CHECKPOINT');
    const rels = await c.query<{ relname: string; path: string }>(
      `SELECT c.relname, pg_relation_filepath(c.oid) AS path
         FROM pg_class c
        WHERE (c.relnamespace = current_schema()::regnamespace
               OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE relnamespace = current_schema()::regnamespace)
               OR c.oid IN (SELECT i.indexrelid FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                             WHERE t.relnamespace = 'pg_toast'::regnamespace
                               AND t.oid IN (SELECT reltoastrelid FROM pg_class WHERE relnamespace = current_schema()::regnamespace)))
          AND c.relkind IN ('r', 'i', 't')
          AND pg_relation_filepath(c.oid) IS NOT NULL`,
    );
    expect(rels.rows.map((r) => r.relname)).toContain('data_keys');
    const out = new Map<string, Buffer>();
    for (const r of rels.rows) {
      const res = await c.query<{ b: Buffer }>('SELECT pg_read_binary_file($1) AS b', [r.path]);
      out.set(r.relname, res.rows[0]!.b);
    }
    return out;
  });
}
