/**
 * Migration 2: durable API tokens and withdrawals (issue 4). Kept in its own file so the
 * migrations list changes by one entry. Released migrations are never edited.
 *
 * - `api_tokens`: only the SHA-256 of a token is stored (the text is shown once, at issue);
 *   revocation sets `revoked_ms` once and never clears it.
 * - `withdrawals`: TAXII DELETE by the producer; one row per withdrawn object version, with
 *   the leaf index of the `withdraw` ledger entry that records it. Append-only.
 */

/** The statements of migration 2 for `d`. */
export function tokensAndWithdrawals(d: 'sqlite' | 'postgres'): string[] {
  const INT = d === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const BLOB = d === 'sqlite' ? 'BLOB' : 'BYTEA';
  const LEN = d === 'sqlite' ? 'length' : 'octet_length';
  return [
    `CREATE TABLE api_tokens (
       token_id TEXT PRIMARY KEY,
       token_hash ${BLOB} NOT NULL CHECK (${LEN}(token_hash) = 32),
       agency TEXT NOT NULL,
       scopes TEXT NOT NULL,
       created_ms ${INT} NOT NULL,
       expires_ms ${INT},
       revoked_ms ${INT},
       CHECK (expires_ms IS NULL OR expires_ms > created_ms)
     )`,
    `CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash)`,
    `CREATE TABLE withdrawals (
       producer TEXT NOT NULL,
       object_id TEXT NOT NULL,
       version TEXT NOT NULL,
       at_ms ${INT} NOT NULL,
       ledger_seq ${INT} NOT NULL CHECK (ledger_seq >= 0),
       PRIMARY KEY (object_id, version)
     )`,
    ...(d === 'sqlite'
      ? ['UPDATE', 'DELETE'].map(
          (op) =>
            `CREATE TRIGGER withdrawals_no_${op.toLowerCase()} BEFORE ${op} ON withdrawals ` +
            `BEGIN SELECT RAISE(ABORT, 'withdrawals is append-only'); END`,
        )
      : [
          `CREATE TRIGGER withdrawals_append_only BEFORE UPDATE OR DELETE ON withdrawals ` +
            `FOR EACH ROW EXECUTE FUNCTION concordat_append_only()`,
        ]),
  ];
}
