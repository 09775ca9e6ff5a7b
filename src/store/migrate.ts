import { ConcordatError } from '../core/index.js';
import type { Database } from './database.js';
import type { Migration } from './migrations.js';
import { MIGRATIONS } from './migrations.js';
import { int } from './row.js';

// Any constant will do; it only has to be the same in every Concordat process.
const PG_MIGRATION_LOCK = 0x0c0c0da7;

/**
 * Applies every migration newer than the database, in one transaction, and records each in
 * `schema_migrations`. Running it again is a no-op. A database that is already newer than this
 * software is refused rather than guessed at. PostgreSQL takes an advisory lock so two nodes
 * starting together do not race; SQLite's `BEGIN IMMEDIATE` does the same.
 * Returns the schema version.
 */
export async function runMigrations(
  db: Database,
  nowMs: number,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number> {
  const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  return db.transaction(async (tx) => {
    if (tx.dialect === 'postgres')
      await tx.run(`SELECT pg_advisory_xact_lock(${PG_MIGRATION_LOCK})`);
    await tx.run(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version INTEGER PRIMARY KEY,
         name TEXT NOT NULL,
         applied_ms ${tx.dialect === 'sqlite' ? 'INTEGER' : 'BIGINT'} NOT NULL
       )`,
    );
    const row = await tx.get('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
    const current = row === undefined ? 0 : int(row, 'v');
    if (current > latest)
      throw new ConcordatError(
        'ERR_STORE_SCHEMA',
        `database schema is version \`${current}\`, this software knows up to \`${latest}\``,
      );
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= current) continue;
      try {
        for (const statement of m[tx.dialect]) await tx.run(statement);
      } catch (cause) {
        throw new ConcordatError(
          'ERR_STORE_SCHEMA',
          `migration \`${m.version}\` (\`${m.name}\`) failed`,
          { cause },
        );
      }
      await tx.run('INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        nowMs,
      ]);
    }
    return latest;
  });
}
