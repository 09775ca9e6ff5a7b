/**
 * The dialects the store conformance suite runs against (kysely's DIALECTS loop, hono's
 * common.case.test.ts): every case is written once and registered once per dialect.
 *
 * PostgreSQL: a fresh database `concordat_test_<random>` per test file (dropped at the end),
 * and a fresh schema per `fresh()` call. When the server is unreachable the PostgreSQL half is
 * skipped with the reason printed, except under CI (`CI=true`), where it fails instead.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openPostgres, openSqlite } from '../../src/store/index.js';
import type { Database, Dialect } from '../../src/store/index.js';
import type { Clock } from '../../src/core/index.js';

/** A fresh, migrated database for one test. */
export interface TestDatabase {
  readonly db: Database;
  /** Opens the same database again (a second connection / process restart). */
  reopen(): Promise<Database>;
  /** SQLite: the database file. */
  readonly file?: string;
  /** PostgreSQL: the admin-capable connection string for this test's schema. */
  readonly url?: string;
}

/** One dialect under test. */
export interface DialectUnderTest {
  readonly name: Dialect;
  /** A new empty database (SQLite file / PostgreSQL schema), migrated. */
  fresh(options?: { readonly clock?: Clock }): Promise<TestDatabase>;
}

const PG_URL = process.env.CONCORDAT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CI = process.env.CI === 'true';

async function probePostgres(): Promise<string | undefined> {
  const client = new Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return `postgresql unreachable at ${PG_URL.replace(/\/\/[^@]*@/, '//')}: ${(err as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pgUnavailable = await probePostgres();

function withDatabase(url: string, database: string, schema?: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (schema !== undefined) u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

async function admin<T>(fn: (c: Client) => Promise<T>, url = PG_URL): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

interface Lifecycle extends DialectUnderTest {
  setup(): Promise<void>;
  teardown(): Promise<void>;
}

function sqliteDialect(): Lifecycle {
  let dir = '';
  let n = 0;
  const open: Database[] = [];
  return {
    name: 'sqlite',
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'concordat-store-'));
    },
    async teardown() {
      for (const db of open) await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
    async fresh(options = {}) {
      const file = join(dir, `t${n++}.db`);
      const o = (): Promise<Database> =>
        openSqlite({ path: file, ...(options.clock ? { clock: options.clock } : {}) }).then(
          (db) => (open.push(db), db),
        );
      return { db: await o(), reopen: o, file };
    },
  };
}

function postgresDialect(): Lifecycle {
  const database = `concordat_test_${randomBytes(6).toString('hex')}`;
  let n = 0;
  const open: Database[] = [];
  return {
    name: 'postgres',
    async setup() {
      await admin((c) => c.query(`CREATE DATABASE ${database}`));
    },
    async teardown() {
      for (const db of open) await db.close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    },
    async fresh(options = {}) {
      const schema = `t${n++}`;
      await admin((c) => c.query(`CREATE SCHEMA ${schema}`), withDatabase(PG_URL, database));
      const url = withDatabase(PG_URL, database, schema);
      const o = (): Promise<Database> =>
        openPostgres({
          connectionString: url,
          ...(options.clock ? { clock: options.clock } : {}),
        }).then((db) => (open.push(db), db));
      return { db: await o(), reopen: o, url };
    },
  };
}

/**
 * Registers `body` once per dialect, inside `describe("<title> [<dialect>]")`, with the
 * dialect's database set up before and dropped after.
 */
export function describeDialects(title: string, body: (d: DialectUnderTest) => void): void {
  for (const make of [sqliteDialect, postgresDialect]) {
    const d = make();
    const label = `${title} [${d.name}]`;
    if (d.name === 'postgres' && pgUnavailable !== undefined) {
      if (CI) {
        describe(label, () => {
          it('needs postgresql under CI (no skips)', () => {
            throw new Error(pgUnavailable);
          });
        });
      } else {
        process.stderr.write(`skip ${label}: ${pgUnavailable}\n`);
        describe.skip(`${label} (skipped: ${pgUnavailable})`, () => body(d));
      }
      continue;
    }
    describe(label, () => {
      beforeAll(() => d.setup());
      afterAll(() => d.teardown());
      body(d);
    });
  }
}

/** The PostgreSQL admin URL tests use (for raw file access checks). */
export const PG_ADMIN_URL = PG_URL;
