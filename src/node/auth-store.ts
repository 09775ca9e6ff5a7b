/**
 * The server's credentials and withdrawals, kept in the node's store (migration 2) rather
 * than in memory: tokens survive a restart and a revocation by `concordat token revoke` (another
 * process) takes effect on the next request, because every request reads the token's row.
 */
import { randomUUID } from 'node:crypto';
import { ConcordatError } from '../core/index.js';
import type { Clock } from '../core/index.js';
import { generateToken, hashToken } from '../server/index.js';
import type {
  AuthStore,
  Scope,
  TokenRecord,
  WithdrawalOrigin,
  Withdrawals,
  WithdrawnVersion,
} from '../server/index.js';
import { apiTokens, withdrawals } from '../store/index.js';
import type { ApiTokenRecord, Database } from '../store/index.js';

/**
 * The scopes a token may carry. `admin` (node governance: metrics, loading and activating
 * agreement versions, decisions about other agencies) is issued only through the local CLI,
 * which needs the node's own config and keys: the operator of the node is the root of trust.
 * `oversight` is the independent oversight body's (compliance indicators, the transparency
 * report, ledger proofs — never intel; docs/rest.md "Oversight"), issued the same way.
 */
export const TOKEN_SCOPES: readonly Scope[] = ['read', 'write', 'admin', 'oversight'];

/** A token as listed: everything but its hash. */
export interface TokenInfo {
  readonly id: string;
  readonly agency: string;
  readonly scopes: readonly Scope[];
  readonly createdAt: number;
  readonly expiresAt?: number;
  readonly revokedAt?: number;
  /** The designated official the token speaks for (no agency scopes); absent for agencies. */
  readonly official?: string;
}

/** What {@link StoreAuthStore.issue} takes. */
export interface IssueTokenInput {
  readonly agency: string;
  readonly scopes: readonly Scope[];
  /** Epoch ms; absent = no expiry. Must be after now. */
  readonly expiresAt?: number;
}

/** An {@link AuthStore} over the node's `api_tokens` table, with issue, list and revoke. */
export interface StoreAuthStore extends AuthStore {
  /** Creates a token. The text is returned here once; only its SHA-256 is stored. */
  issue(input: IssueTokenInput): Promise<{ readonly token: string; readonly info: TokenInfo }>;
  /**
   * Creates a token bound to a designated official (docs/escalation-api.md): no agency scope,
   * so TAXII and the agency routes refuse it; the REST escalation endpoints read the
   * official's party and roles from the agreement at each request. The caller checks that an
   * agreement of the node names the official as one of the node's own party.
   */
  issueOfficial(input: {
    readonly official: string;
    readonly expiresAt?: number;
  }): Promise<{ readonly token: string; readonly info: TokenInfo }>;
  list(): Promise<readonly TokenInfo[]>;
  /** Revokes a live token; `ERR_NOT_FOUND` for an unknown id, false when already revoked. */
  revoke(id: string): Promise<boolean>;
}

function scopesOf(stored: readonly string[]): Scope[] {
  // A scope this software does not know grants nothing (a newer node may have written it).
  return stored.filter((s): s is Scope => (TOKEN_SCOPES as readonly string[]).includes(s));
}

function infoOf(r: ApiTokenRecord): TokenInfo {
  return {
    id: r.id,
    agency: r.agency,
    scopes: scopesOf(r.scopes),
    createdAt: r.createdMs,
    ...(r.expiresMs === null ? {} : { expiresAt: r.expiresMs }),
    ...(r.revokedMs === null ? {} : { revokedAt: r.revokedMs }),
    ...(r.official === null ? {} : { official: r.official }),
  };
}

const AGENCY_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The token store of a node's database. */
export function storeAuthStore(db: Database, clock: Clock): StoreAuthStore {
  return {
    async findTokenByHash(hash): Promise<TokenRecord | undefined> {
      const r = await apiTokens.findByHash(db, hash);
      if (r === undefined) return undefined;
      return {
        id: r.id,
        agency: r.agency,
        hash: r.hash,
        scopes: scopesOf(r.scopes),
        ...(r.expiresMs === null ? {} : { expiresAt: r.expiresMs }),
        ...(r.revokedMs === null ? {} : { revokedAt: r.revokedMs }),
        ...(r.official === null ? {} : { official: r.official }),
      };
    },
    async issueOfficial(input) {
      const now = clock.now();
      if (!AGENCY_RE.test(input.official))
        throw new ConcordatError(
          'ERR_USAGE',
          `\`${input.official.slice(0, 64)}\` is not an official id`,
        );
      if (input.expiresAt !== undefined && input.expiresAt <= now)
        throw new ConcordatError('ERR_USAGE', 'a token must expire after it is issued');
      const token = generateToken();
      const id = randomUUID();
      // Agency and official ids share one namespace in an agreement; the agency column holds
      // the official id so rate limits and logs name who asked. No scope: no agency route.
      await db.transaction((tx) =>
        apiTokens.insert(tx, {
          id,
          hash: hashToken(token),
          agency: input.official,
          scopes: [],
          createdMs: now,
          expiresMs: input.expiresAt ?? null,
          official: input.official,
        }),
      );
      return {
        token,
        info: {
          id,
          agency: input.official,
          scopes: [],
          createdAt: now,
          official: input.official,
          ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }),
        },
      };
    },
    async issue(input) {
      const now = clock.now();
      if (!AGENCY_RE.test(input.agency))
        throw new ConcordatError(
          'ERR_USAGE',
          `\`${input.agency.slice(0, 64)}\` is not an agency id`,
        );
      const scopes = [...new Set(input.scopes)].sort();
      if (scopes.length === 0 || scopes.some((s) => !TOKEN_SCOPES.includes(s)))
        throw new ConcordatError(
          'ERR_USAGE',
          'a token needs scopes from `read`, `write`, `admin`, `oversight`',
        );
      // The oversight body is not an agency: its credential is never also an agency's.
      if (scopes.includes('oversight') && scopes.length > 1)
        throw new ConcordatError(
          'ERR_USAGE',
          'the `oversight` scope stands alone: the oversight body is not an agency; issue it a token of its own',
        );
      if (input.expiresAt !== undefined && input.expiresAt <= now)
        throw new ConcordatError('ERR_USAGE', 'a token must expire after it is issued');
      const token = generateToken();
      const id = randomUUID();
      await db.transaction((tx) =>
        apiTokens.insert(tx, {
          id,
          hash: hashToken(token),
          agency: input.agency,
          scopes,
          createdMs: now,
          expiresMs: input.expiresAt ?? null,
        }),
      );
      return {
        token,
        info: {
          id,
          agency: input.agency,
          scopes,
          createdAt: now,
          ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }),
        },
      };
    },
    async list() {
      return (await apiTokens.list(db)).map(infoOf);
    },
    async revoke(id) {
      return db.transaction(async (tx) => {
        if ((await apiTokens.get(tx, id)) === undefined)
          throw new ConcordatError('ERR_NOT_FOUND', `no token \`${id.slice(0, 64)}\``);
        return apiTokens.revoke(tx, id, clock.now());
      });
    },
  };
}

/** {@link Withdrawals} over the node's `withdrawals` table, with the count for checks. */
export interface StoreWithdrawals extends Withdrawals {
  /** Versions withdrawn so far. */
  count(): number;
}

/**
 * The withdrawals of a node's database. Every withdrawn version is read into memory at open
 * (the door asks `isWithdrawn` synchronously, per candidate); `withdraw` writes the rows, then
 * the set. INVARIANT: only the server withdraws, so one serving process sees every withdrawal.
 */
export async function storeWithdrawals(db: Database): Promise<StoreWithdrawals> {
  const key = (id: string, version: string): string => `${id}\n${version}`;
  const set = new Set((await withdrawals.list(db)).map((w) => key(w.objectId, w.version)));
  return {
    async withdraw(versions: readonly WithdrawnVersion[], at: number, origin?: WithdrawalOrigin) {
      if (origin === undefined)
        throw new ConcordatError('ERR_INTERNAL', 'a durable withdrawal needs its ledger entry');
      await db.transaction((tx) =>
        withdrawals.insert(
          tx,
          versions.map((v) => ({
            producer: origin.producer,
            objectId: v.id,
            version: v.version,
            atMs: at,
            ledgerSeq: origin.ledgerSeq,
          })),
        ),
      );
      for (const v of versions) set.add(key(v.id, v.version));
    },
    isWithdrawn(id, version) {
      return set.has(key(id, version));
    },
    count() {
      return set.size;
    },
  };
}
