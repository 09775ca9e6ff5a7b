/**
 * Everything the server needs, injected (STYLE.md: no globals, no work at import time). The
 * composition root builds one `ServerContext` from the node's store, vault, agreements and
 * keys; tests build it over a fresh database.
 */
import type { Agreement } from '../agreement/index.js';
import type { Clock } from '../core/index.js';
import type { PseudonymKey } from '../intel/index.js';
import type { CompiledEngine, DecisionState } from '../policy/index.js';
import type { Database } from '../store/index.js';
import type { Vault } from '../vault/index.js';
import type {
  AuthStore,
  CertificateResolver,
  CredentialMode,
  PeerCertificateReader,
} from './auth.js';
import type { RateLimit } from './rate-limit.js';
import type { RestPorts } from './rest/ports.js';
import type { Withdrawals } from './withdrawals.js';
import type { ReleaseCache } from '../release/index.js';

/** One agreement served as a TAXII API root (`/taxii2/<agreement id>/`). */
export interface AgreementRoot {
  readonly agreement: Agreement;
  /** The compiled engine of exactly this agreement version. */
  readonly engine: Pick<CompiledEngine, 'agreementId' | 'agreementVersion' | 'decide'>;
  /** The agreement's pseudonym key (minimisation). */
  readonly pseudonymKey: PseudonymKey;
  /**
   * The store collection this root reads and writes (objects POSTed to any of its TAXII
   * collections are stored here). Default: the agreement id.
   */
  readonly storeCollection?: string;
  /**
   * The party of the node serving this root. With it, the door applies the onward-sharing rule
   * of partners' handling stamps (src/release/onward.ts); the composition root always sets it.
   */
  readonly holderParty?: string;
}

/** What an ingest of one envelope reported (a structural subset of node's `IngestReport`). */
export interface IngestSummary {
  readonly objects: readonly {
    readonly id: string;
    readonly version: string;
    readonly status: 'inserted' | 'unchanged';
  }[];
}

/** Where one POSTed envelope goes. */
export interface IngestTarget {
  /** The producing party: the authenticated agency's party, never a request field. */
  readonly producer: string;
  readonly collection: string;
  /** Retention deadline of each object, epoch ms. */
  readonly retainUntilMs: number;
}

/**
 * Ingests a STIX bundle all or nothing. The composition root passes
 * `(bundle, t) => ingestBundle(bundle, { db, vault, clock, producer: t.producer,
 * collection: t.collection, retention: { untilMs: t.retainUntilMs } })` (src/node). Injected
 * rather than imported so that node/ (the composition root, which imports the server) and
 * server/ never form an import cycle.
 */
export type IngestPort = (bundle: unknown, target: IngestTarget) => Promise<IngestSummary>;

/** Limits the server enforces. */
export interface ServerLimits {
  /** TAXII `max_content_length`: largest request body, bytes (413 above). */
  readonly maxContentLength: number;
  /** Largest page served; a larger `limit` is lowered to it (TAXII 2.1 allows fewer). */
  readonly maxPageSize: number;
  /** Page size when the request names none. */
  readonly defaultPageSize: number;
  /** Status resources kept in memory (oldest dropped first). */
  readonly maxStatuses: number;
}

/** The defaults of {@link ServerLimits}. */
export const DEFAULT_SERVER_LIMITS: ServerLimits = Object.freeze({
  maxContentLength: 10 * 1024 * 1024,
  maxPageSize: 1000,
  defaultPageSize: 100,
  maxStatuses: 10_000,
});

/** The server's dependencies. */
export interface ServerContext {
  readonly db: Database;
  readonly vault: Vault;
  readonly clock: Clock;
  /** Agreements served, one API root each (ids must be unique). */
  readonly agreements: readonly AgreementRoot[];
  /** The runtime decision state of an agreement at an instant (escalation/ fold). */
  readonly state: (agreementId: string, at: number) => DecisionState | Promise<DecisionState>;
  readonly ingest: IngestPort;
  readonly auth: AuthStore;
  /** Client-certificate fingerprints → agencies. Without it, certificates authenticate nobody. */
  readonly certificates?: CertificateResolver;
  /** How the peer certificate is read (default: the TLS socket's `getPeerCertificate()`). */
  readonly peerCertificate?: PeerCertificateReader;
  /**
   * Which credentials this listener accepts (default `token-or-certificate`). The federation
   * listener is `certificate`: peers only, by the certificate their TLS handshake presented.
   */
  readonly credentials?: CredentialMode;
  /**
   * The clock client-certificate validity is judged by (default `clock`). The TLS layer checks
   * certificates against the wall clock; a node on a scripted clock passes the wall clock here.
   */
  readonly certificateClock?: Clock;
  readonly withdrawals: Withdrawals;
  /**
   * Prepared versions the door keeps across releases (memory only, bounded; release/). Default:
   * the door's own. Pass one to drop a shredded key's versions at once (`forgetKey`), or a
   * `new ReleaseCache({ maxEntries: 0 })` to keep nothing.
   */
  readonly releaseCache?: ReleaseCache;
  readonly limits?: Partial<ServerLimits>;
  /** Requests per agency (a token bucket); absent = unlimited. Over it: 429 + Retry-After. */
  readonly rateLimit?: RateLimit;
  /**
   * The REST API's ports (agreement registry, ledger reads, trusted keys, store probe). Each
   * is optional: a REST route whose port is missing answers `ERR_NOT_CONFIGURED` (503).
   */
  readonly rest?: RestPorts;
  /** TAXII discovery text. */
  readonly discovery?: {
    readonly title: string;
    readonly description?: string;
    readonly contact?: string;
  };
}
