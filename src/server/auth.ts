/**
 * Who is asking. Two credentials, no default principal, no anonymous access:
 * - API tokens per agency: 256 random bits, shown once, stored only as SHA-256, revocable,
 *   expiring, scoped `read` / `write` / `admin` (node governance: activating agreements,
 *   decisions about any agency, metrics), or `oversight` (an independent oversight body:
 *   compliance indicators, the transparency report and ledger proofs — never intel, never an
 *   agency route); sent as `Authorization: Bearer <token>`;
 * - client certificates (mutual TLS): the certificate's SHA-256 fingerprint maps to an agency
 *   through an injected resolver.
 * A request with an `Authorization` header is judged by it alone; otherwise by its client
 * certificate. Unknown, empty, expired, revoked or malformed credentials are `ERR_UNAUTHENTICATED`.
 * A listener in `certificate` mode (the federation listener, docs/federation.md) accepts only
 * the client certificate: a peer is identified by its certificate, never by a header.
 *
 * Composition root note: tokens need a durable table (a store migration owned by store/);
 * until it exists, {@link memoryAuthStore} is the implementation, and the node must issue
 * tokens at start-up (they die with the process).
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ConcordatError } from '../core/index.js';
import { presentedChain } from '../tls/index.js';
import type { LinkedCertificate } from '../tls/index.js';

/**
 * What a credential allows. `read`, `write` and `admin` are agency scopes; `oversight` is the
 * oversight body's, and reaches only the routes whose `RouteAuth` admits it (route-auth.ts).
 */
export type Scope = 'read' | 'write' | 'admin' | 'oversight';

/** A stored token: never the token itself. */
export interface TokenRecord {
  readonly id: string;
  readonly agency: string;
  /** SHA-256 of the token text. */
  readonly hash: Uint8Array;
  readonly scopes: readonly Scope[];
  /** Epoch ms; absent = no expiry. */
  readonly expiresAt?: number;
  /** Epoch ms of revocation; absent = live. */
  readonly revokedAt?: number;
  /** The designated official the token speaks for (REST escalation; docs/escalation-api.md). */
  readonly official?: string;
}

/** Token persistence. */
export interface AuthStore {
  /** The record whose hash is `hash`, if any (revoked and expired ones included). */
  findTokenByHash(hash: Uint8Array): Promise<TokenRecord | undefined>;
}

/** A client certificate's registration. */
export interface CertificateGrant {
  readonly agency: string;
  readonly scopes: readonly Scope[];
}

/**
 * Maps a certificate's SHA-256 fingerprint (64 lowercase hex digits) to an agency; the
 * certificate itself is passed too, for resolvers that apply identity rules to it (src/tls).
 */
export type CertificateResolver = (
  fingerprint: string,
  certificate: PeerCertificate,
) => CertificateGrant | undefined | Promise<CertificateGrant | undefined>;

/** The parts of a peer certificate authentication reads. */
export interface PeerCertificate {
  /** `AB:CD:...` as node:tls gives it. */
  readonly fingerprint256: string;
  readonly valid_from: string;
  readonly valid_to: string;
  /** The certificate's DER, when the reader has it. */
  readonly raw?: Uint8Array;
  /** DER of the certificates the peer presented above it (intermediates, then the root). */
  readonly chain?: readonly Uint8Array[];
}

/**
 * Which credentials a listener accepts: `token-or-certificate` (the default: the header decides,
 * as described above) or `certificate` (mutual-TLS peers only; an `Authorization` header is
 * refused rather than read).
 */
export type CredentialMode = 'token-or-certificate' | 'certificate';

/** Reads the client certificate of a request, if it came over TLS with one. */
export type PeerCertificateReader = (request: FastifyRequest) => PeerCertificate | undefined;

/** An authenticated agency and what its credential allows. */
export interface Principal {
  readonly agency: string;
  readonly scopes: readonly Scope[];
  readonly via: 'token' | 'certificate';
  /**
   * A token bound to a designated official: its roles come from the agreement at request time
   * (docs/escalation-api.md). Absent for agency credentials.
   */
  readonly official?: string;
}

const TOKEN_PREFIX = 'cct_';
const TOKEN_RE = /^cct_[A-Za-z0-9_-]{43}$/;

/** A new token text: `cct_` and 256 random bits, base64url (what the bearer check accepts). */
export function generateToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 of a token's text. */
export function hashToken(token: string): Uint8Array {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** An in-memory {@link AuthStore} that can issue and revoke tokens (tests, single process). */
export interface MemoryAuthStore extends AuthStore {
  /** Creates a token; the text is returned once and never stored. */
  issue(
    agency: string,
    scopes: readonly Scope[],
    options?: { readonly expiresAt?: number },
  ): { readonly token: string; readonly record: TokenRecord };
  revoke(id: string, at: number): boolean;
}

/** A new {@link MemoryAuthStore}. */
export function memoryAuthStore(): MemoryAuthStore {
  const byHash = new Map<string, TokenRecord>();
  return {
    async findTokenByHash(hash) {
      return byHash.get(Buffer.from(hash).toString('hex'));
    },
    issue(agency, scopes, options = {}) {
      const token = generateToken();
      const record: TokenRecord = {
        id: randomUUID(),
        agency,
        hash: hashToken(token),
        scopes: [...scopes],
        ...(options.expiresAt === undefined ? {} : { expiresAt: options.expiresAt }),
      };
      byHash.set(Buffer.from(record.hash).toString('hex'), record);
      return { token, record };
    },
    revoke(id, at) {
      for (const [k, r] of byHash)
        if (r.id === id) {
          byHash.set(k, { ...r, revokedAt: at });
          return true;
        }
      return false;
    },
  };
}

type SocketCertificate = Partial<Omit<PeerCertificate, 'raw' | 'chain'>> & LinkedCertificate;

/** The default reader: the TLS socket's peer certificate, if the client sent one. */
export function socketPeerCertificate(request: FastifyRequest): PeerCertificate | undefined {
  const socket = request.raw.socket as
    { getPeerCertificate?: (detailed?: boolean) => unknown } | undefined;
  if (socket === undefined || typeof socket.getPeerCertificate !== 'function') return undefined;
  const cert = socket.getPeerCertificate(true) as SocketCertificate | null;
  if (cert === null || typeof cert.fingerprint256 !== 'string') return undefined;
  const chain = presentedChain(cert);
  return {
    fingerprint256: cert.fingerprint256,
    valid_from: String(cert.valid_from ?? ''),
    valid_to: String(cert.valid_to ?? ''),
    ...(cert.raw instanceof Uint8Array ? { raw: cert.raw } : {}),
    ...(chain.length === 0 ? {} : { chain }),
  };
}

function unauthenticated(message: string): ConcordatError {
  return new ConcordatError('ERR_UNAUTHENTICATED', message);
}

/** What {@link authenticate} needs. */
export interface AuthContext {
  readonly auth: AuthStore;
  readonly certificates?: CertificateResolver;
  readonly peerCertificate: PeerCertificateReader;
  readonly now: number;
  /** Default `token-or-certificate`. */
  readonly credentials?: CredentialMode;
  /**
   * The instant certificate validity is judged at (default `now`). A listener whose TLS layer
   * verified the certificate against the wall clock passes the wall clock here, so that a node
   * running on a scripted clock does not refuse what the handshake accepted.
   */
  readonly certificateNow?: number;
}

/** The principal of a request, or `ERR_UNAUTHENTICATED`. */
export async function authenticate(request: FastifyRequest, ctx: AuthContext): Promise<Principal> {
  const header = request.headers.authorization;
  if (header !== undefined && ctx.credentials === 'certificate')
    throw unauthenticated(
      'this listener identifies peers by their client certificate only; send no `authorization` header',
    );
  if (header !== undefined) {
    const m = /^Bearer ([^\s]+)$/.exec(header);
    if (m === null || !TOKEN_RE.test(m[1] as string))
      throw unauthenticated('the `authorization` header is not a concordat bearer token');
    const hash = hashToken(m[1] as string);
    const record = await ctx.auth.findTokenByHash(hash);
    if (
      record === undefined ||
      record.hash.length !== hash.length ||
      !timingSafeEqual(record.hash, hash)
    )
      throw unauthenticated('the bearer token is not known');
    if (record.revokedAt !== undefined && record.revokedAt <= ctx.now)
      throw unauthenticated('the bearer token was revoked');
    if (record.expiresAt !== undefined && record.expiresAt <= ctx.now)
      throw unauthenticated('the bearer token has expired');
    return {
      agency: record.agency,
      scopes: record.scopes,
      via: 'token',
      ...(record.official === undefined ? {} : { official: record.official }),
    };
  }
  const cert = ctx.peerCertificate(request);
  if (cert === undefined)
    throw unauthenticated('no credential: send a bearer token or a client certificate');
  const fingerprint = cert.fingerprint256.replaceAll(':', '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(fingerprint))
    throw unauthenticated('the client certificate fingerprint is malformed');
  const from = Date.parse(cert.valid_from);
  const to = Date.parse(cert.valid_to);
  const at = ctx.certificateNow ?? ctx.now;
  if (!Number.isFinite(from) || !Number.isFinite(to) || at < from || at >= to)
    throw unauthenticated('the client certificate is not valid now');
  const grant =
    ctx.certificates === undefined ? undefined : await ctx.certificates(fingerprint, cert);
  if (grant === undefined) throw unauthenticated('the client certificate is not registered');
  return { agency: grant.agency, scopes: grant.scopes, via: 'certificate' };
}
