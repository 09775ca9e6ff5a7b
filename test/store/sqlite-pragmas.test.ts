/**
 * The SQLite connection settings the store's guarantees rest on (DESIGN invariant 6, shredding)
 * and the page cache ingest speed rests on. SQLite only: PostgreSQL has no per-connection
 * equivalents of these pragmas.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CACHE_KIB, openSqlite } from '../../src/store/sqlite.js';
import type { Database } from '../../src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'concordat-pragmas-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function pragma(db: Database, name: string): Promise<unknown> {
  const row = await db.get(`PRAGMA ${name}`);
  return row === undefined ? undefined : Object.values(row)[0];
}

describe('sqlite connection settings', () => {
  it('keep WAL, synchronous=FULL, secure_delete and foreign keys, with a 64 MiB page cache', async () => {
    const db = await openSqlite({ path: join(dir, 'default.db') });
    try {
      expect(await pragma(db, 'journal_mode')).toBe('wal');
      expect(await pragma(db, 'synchronous')).toBe(2); // FULL
      expect(await pragma(db, 'secure_delete')).toBe(1);
      expect(await pragma(db, 'foreign_keys')).toBe(1);
      expect(DEFAULT_CACHE_KIB).toBe(65_536);
      // A negative cache_size is KiB (SQLite: PRAGMA cache_size).
      expect(await pragma(db, 'cache_size')).toBe(-DEFAULT_CACHE_KIB);
    } finally {
      await db.close();
    }
  });

  it('take another cache size, never below 2 MiB, and ignore a non-number', async () => {
    for (const [cacheKiB, expected] of [
      [8192, -8192],
      [16, -2048],
      [Number.NaN, -DEFAULT_CACHE_KIB],
    ] as const) {
      const db = await openSqlite({ path: join(dir, `cache-${expected}.db`), cacheKiB });
      try {
        expect(await pragma(db, 'cache_size')).toBe(expected);
      } finally {
        await db.close();
      }
    }
  });
});
