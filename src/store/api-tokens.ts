/**
 * API tokens (migration 2; `official` from migration 4): the SHA-256 of each token, never its
 * text. Issue inserts, revoke stamps `revoked_ms` once; nothing else changes a row.
 */
import { ConcordatError } from '../core/index.js';
import type { Queryable, Row, Transaction } from './database.js';
import { bytes, int, intOrNull, text, textOrNull } from './row.js';

/** A stored token. */
export interface ApiTokenRecord {
  readonly id: string;
  /** SHA-256 of the token text, 32 bytes. */
  readonly hash: Uint8Array;
  readonly agency: string;
  /** `read`, `write`, ... as issued. */
  readonly scopes: readonly string[];
  readonly createdMs: number;
  readonly expiresMs: number | null;
  readonly revokedMs: number | null;
  /** The designated official the token is bound to (REST escalation endpoints), or null. */
  readonly official: string | null;
}

const COLUMNS =
  'token_id, token_hash, agency, scopes, created_ms, expires_ms, revoked_ms, official';

function toRecord(row: Row): ApiTokenRecord {
  const scopes = text(row, 'scopes');
  return {
    id: text(row, 'token_id'),
    hash: bytes(row, 'token_hash'),
    agency: text(row, 'agency'),
    scopes: scopes === '' ? [] : scopes.split(','),
    createdMs: int(row, 'created_ms'),
    expiresMs: intOrNull(row, 'expires_ms'),
    revokedMs: intOrNull(row, 'revoked_ms'),
    official: textOrNull(row, 'official'),
  };
}

/** The `api_tokens` table. */
export const apiTokens = {
  /**
   * Stores a new token. A scope may not contain a comma (scopes are stored comma-joined).
   * `official` absent = an agency token.
   */
  async insert(
    tx: Transaction,
    record: Omit<ApiTokenRecord, 'revokedMs' | 'official'> & { readonly official?: string | null },
  ): Promise<void> {
    if (record.hash.length !== 32)
      throw new ConcordatError('ERR_INTERNAL', 'a token hash must be 32 bytes');
    if (record.scopes.some((s) => s === '' || s.includes(',')))
      throw new ConcordatError('ERR_INTERNAL', 'a token scope must be a non-empty word');
    await tx.run(`INSERT INTO api_tokens (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`, [
      record.id,
      record.hash,
      record.agency,
      record.scopes.join(','),
      record.createdMs,
      record.expiresMs,
      record.official ?? null,
    ]);
  },

  /** The token whose hash is `hash`, revoked and expired ones included. */
  async findByHash(q: Queryable, hash: Uint8Array): Promise<ApiTokenRecord | undefined> {
    const row = await q.get(`SELECT ${COLUMNS} FROM api_tokens WHERE token_hash = ?`, [hash]);
    return row === undefined ? undefined : toRecord(row);
  },

  /** The token with id `id`. */
  async get(q: Queryable, id: string): Promise<ApiTokenRecord | undefined> {
    const row = await q.get(`SELECT ${COLUMNS} FROM api_tokens WHERE token_id = ?`, [id]);
    return row === undefined ? undefined : toRecord(row);
  },

  /** Every token, oldest first. */
  async list(q: Queryable): Promise<ApiTokenRecord[]> {
    const rows = await q.all(`SELECT ${COLUMNS} FROM api_tokens ORDER BY created_ms, token_id`);
    return rows.map(toRecord);
  },

  /**
   * Revokes a live token at `atMs`. Returns false when there is no such token or it was
   * already revoked (the first revocation instant is kept).
   */
  async revoke(tx: Transaction, id: string, atMs: number): Promise<boolean> {
    const r = await tx.run(
      'UPDATE api_tokens SET revoked_ms = ? WHERE token_id = ? AND revoked_ms IS NULL',
      [atMs, id],
    );
    return r.changes > 0;
  },

  /** How many tokens are stored. */
  async count(q: Queryable): Promise<number> {
    const row = await q.get('SELECT COUNT(*) AS n FROM api_tokens');
    return row === undefined ? 0 : int(row, 'n');
  },
};
