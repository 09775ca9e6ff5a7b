/**
 * Migration 5: witnesses' cosignatures of the node's checkpoints. Kept in its own file so the
 * migrations list changes by one entry. Released migrations are never edited.
 *
 * - `checkpoint_cosignatures`: one C2SP signature line per (checkpoint size, witness key name),
 *   added by an oversight body that verified the checkpoint extends the history it saw
 *   (docs/oversight.md "Witnessing a node's ledger"). The line signs the checkpoint's note text
 *   exactly, so the node can serve its own note with the witnesses' lines appended. Append-only
 *   like the ledger tables: a witness's word, once kept, is never changed or dropped. No
 *   foreign key to `checkpoints`: on PostgreSQL it would make `TRUNCATE checkpoints` fail on
 *   the reference before the append-only trigger refuses it; `cosignatures.insert` checks the
 *   checkpoint exists in the same transaction instead (checkpoints are never removed).
 */

/** The statements of migration 5 for `d`. */
export function checkpointCosignatures(d: 'sqlite' | 'postgres'): string[] {
  const INT = d === 'sqlite' ? 'INTEGER' : 'BIGINT';
  return [
    `CREATE TABLE checkpoint_cosignatures (
       size ${INT} NOT NULL CHECK (size >= 0),
       witness TEXT NOT NULL,
       key_id ${INT} NOT NULL CHECK (key_id >= 0 AND key_id <= 4294967295),
       line TEXT NOT NULL,
       received_ms ${INT} NOT NULL,
       PRIMARY KEY (size, witness)
     )`,
    ...(d === 'sqlite'
      ? ['UPDATE', 'DELETE'].map(
          (op) =>
            `CREATE TRIGGER checkpoint_cosignatures_no_${op.toLowerCase()} BEFORE ${op} ON checkpoint_cosignatures ` +
            `BEGIN SELECT RAISE(ABORT, 'checkpoint_cosignatures is append-only'); END`,
        )
      : [
          // concordat_append_only() is migration 1's.
          `CREATE TRIGGER checkpoint_cosignatures_append_only BEFORE UPDATE OR DELETE ON checkpoint_cosignatures ` +
            `FOR EACH ROW EXECUTE FUNCTION concordat_append_only()`,
          `CREATE TRIGGER checkpoint_cosignatures_no_truncate BEFORE TRUNCATE ON checkpoint_cosignatures ` +
            `FOR EACH STATEMENT EXECUTE FUNCTION concordat_append_only()`,
        ]),
  ];
}
