/** Nodes for tests: a fresh node directory per test, on SQLite or a PostgreSQL schema. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock } from '../../src/core/index.js';
import type { ManualClock } from '../../src/core/index.js';
import { initNode, loadNodeConfig, openNode } from '../../src/node/index.js';
import type { Node } from '../../src/node/index.js';
import type { DialectUnderTest } from '../store/dialects.js';

/** The shared data sets (read-only). */
export const SHARED = new URL('../../../shared/data/', import.meta.url).pathname;
export const APT1 = join(SHARED, 'oasis-stix2.1-examples/cti-documentation/apt1.json');
export const ICS = join(SHARED, 'mitre-attack-stix2.1/ics-attack-17.1.json');
export const EXAMPLE_AGREEMENT = new URL(
  '../../examples/agreements/northsea-compact.yaml',
  import.meta.url,
).pathname;

/** 2026-03-03T14:00:00Z, the CLI tests' instant. */
export const NOW = Date.UTC(2026, 2, 3, 14);
export const DAY = 86_400_000;

/** Reads a JSON file. */
export function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/**
 * The first `n` ATT&CK for ICS objects that are not relationships, with every marking
 * definition and identity they may reference: a valid bundle of real data.
 */
export function icsSlice(n: number): Record<string, unknown> {
  const all = readJson(ICS).objects as Record<string, unknown>[];
  const support = all.filter((o) => o.type === 'marking-definition' || o.type === 'identity');
  const rest = all
    .filter((o) => !['marking-definition', 'identity', 'relationship'].includes(String(o.type)))
    .slice(0, n);
  return { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [...support, ...rest] };
}

/** An indicator that validates. */
export function indicator(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    pattern: `[domain-name:value = '${randomUUID()}.example']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    ...over,
  };
}

/** A bundle of `objects`. */
export function bundle(objects: readonly Record<string, unknown>[]): Record<string, unknown> {
  return { type: 'bundle', id: `bundle--${randomUUID()}`, objects };
}

/** A node under test and what it was made from. */
export interface NodeFixture {
  readonly dir: string;
  readonly configPath: string;
  readonly clock: ManualClock;
  readonly node: Node;
  /** SQLite: the database file. */
  readonly dbFile?: string;
  /** PostgreSQL: the connection url of this node's schema. */
  readonly pgUrl?: string;
  /** Closes and opens the node again (a restarted process). */
  reopen(): Promise<Node>;
}

/**
 * A fresh node made by `initNode` with the example agreement, on `d`'s dialect, opened with a
 * manual clock at {@link NOW}. `edit` may rewrite node.yaml before it is opened.
 */
export async function makeNode(
  d: DialectUnderTest,
  edit: (yaml: string) => string = (y) => y,
): Promise<NodeFixture> {
  const dir = join(mkdtempSync(join(tmpdir(), 'concordat-node-')), 'node');
  const pgUrl = d.name === 'postgres' ? (await d.fresh()).url : undefined;
  const made = await initNode({
    dir,
    party: 'ARV',
    agreements: [EXAMPLE_AGREEMENT],
    ...(pgUrl === undefined ? {} : { postgresUrl: pgUrl }),
  });
  writeFileSync(made.config, edit(readFileSync(made.config, 'utf8')));
  const clock = manualClock(NOW);
  const open = async (): Promise<Node> =>
    openNode(await loadNodeConfig(made.config), { clock, env: {} });
  let node = await open();
  const fixture: NodeFixture = {
    dir,
    configPath: made.config,
    clock,
    get node() {
      return node;
    },
    ...(pgUrl === undefined ? { dbFile: join(dir, 'concordat.db') } : { pgUrl }),
    reopen: async () => {
      await node.close();
      node = await open();
      return node;
    },
  };
  return fixture;
}

/**
 * Runs `sql` against the node's database from a second connection, with the append-only
 * triggers of `table` out of the way (SQLite: dropped and recreated; PostgreSQL: disabled and
 * re-enabled) — what an attacker with file or superuser access can do.
 */
export async function tamper(
  f: NodeFixture,
  table: 'ledger_entries' | 'checkpoints',
  sql: { sqlite: string; postgres: string },
  params: readonly unknown[],
): Promise<void> {
  if (f.dbFile !== undefined) {
    const { default: Sqlite } = await import('better-sqlite3');
    const conn = new Sqlite(f.dbFile);
    try {
      const triggers = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?")
        .all(table) as { name: string; sql: string }[];
      for (const t of triggers) conn.exec(`DROP TRIGGER ${t.name}`);
      conn.prepare(sql.sqlite).run(...params);
      for (const t of triggers) conn.exec(t.sql);
    } finally {
      conn.close();
    }
    return;
  }
  const { Client } = await import('pg');
  const client = new Client({ connectionString: f.pgUrl });
  await client.connect();
  try {
    await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    await client.query(sql.postgres, params as unknown[]);
    await client.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
  } finally {
    await client.end();
  }
}
