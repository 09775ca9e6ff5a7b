import { describe, expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import { MIGRATIONS, runMigrations } from '../../src/store/index.js';
import type { Migration } from '../../src/store/index.js';
import { describeDialects } from './dialects.js';
import { T0 } from './fixtures.js';

const TABLES = [
  'schema_migrations',
  'store_counters',
  'data_keys',
  'objects',
  'ledger_entries',
  'checkpoints',
];

describeDialects('store migrations', (d) => {
  it('runs at open and records each migration once', async () => {
    const { db } = await d.fresh();
    const latest = Math.max(...MIGRATIONS.map((m) => m.version));
    expect(db.schemaVersion).toBe(latest);
    const rows = await db.all('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    for (const t of TABLES) expect(await db.get(`SELECT COUNT(*) AS n FROM ${t}`)).toBeDefined();
  });

  it('is idempotent: reopening and re-running change nothing', async () => {
    const t = await d.fresh();
    const before = await t.db.all('SELECT version, name, applied_ms FROM schema_migrations');
    await t.db.close();
    const again = await t.reopen();
    expect(await runMigrations(again, T0)).toBe(again.schemaVersion);
    expect(await again.all('SELECT version, name, applied_ms FROM schema_migrations')).toEqual(
      before,
    );
  });

  it('refuses a database newer than this software', async () => {
    const t = await d.fresh();
    await t.db.run(
      "INSERT INTO schema_migrations (version, name, applied_ms) VALUES (999, 'future', 0)",
    );
    await t.db.close();
    const err = await t.reopen().catch((e: unknown) => e);
    expect(isConcordatError(err, 'ERR_STORE_SCHEMA')).toBe(true);
  });

  it('rolls a failing migration back completely', async () => {
    const { db } = await d.fresh();
    const broken: Migration = {
      version: 1000,
      name: 'broken',
      sqlite: ['CREATE TABLE half_done (a INTEGER)', 'INSERT INTO no_such_table VALUES (1)'],
      postgres: ['CREATE TABLE half_done (a INTEGER)', 'INSERT INTO no_such_table VALUES (1)'],
    };
    const err = await runMigrations(db, T0, [...MIGRATIONS, broken]).catch((e: unknown) => e);
    expect(isConcordatError(err, 'ERR_STORE_SCHEMA')).toBe(true);
    expect((err as Error).message).toContain('`1000`');
    const max = await db.get('SELECT MAX(version) AS v FROM schema_migrations');
    expect(max?.v).toBe(db.schemaVersion);
    const probe = await db.get('SELECT 1 AS x FROM half_done').catch((e: unknown) => e);
    expect(probe).toBeInstanceOf(Error);
  });
});

describe('migrations', () => {
  it('are numbered uniquely and have statements for both dialects', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(new Set(versions).size).toBe(versions.length);
    for (const m of MIGRATIONS) {
      expect(m.sqlite.length).toBeGreaterThan(0);
      expect(m.postgres.length).toBeGreaterThan(0);
    }
  });
});
