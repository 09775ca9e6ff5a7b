/**
 * The contract of the one door (DESIGN.md invariant 2): what the release function is given,
 * the ports through which it reaches stored intel, and what it hands back. Pure types; the
 * adapters (server/, later federation/ and exports) implement the ports.
 */
import type { DecideFn, DecisionState } from '../policy/index.js';
import type { PseudonymKey } from '../intel/index.js';
import type { Clock } from '../core/index.js';
import type { JsonObject } from '../ledger/index.js';
import type { ReleaseCache } from './prepared-cache.js';

/** A STIX object as parsed JSON. */
export type StixObject = Readonly<Record<string, unknown>>;

/** A position in the store's `(date_added, seq)` order: the TAXII `next` of a page. */
export interface ReleaseCursor {
  readonly dateAddedUs: number;
  readonly seq: number;
}

/** TAXII 2.1 `match[version]`: `first`, `last`, `all`, or one exact version. */
export type VersionSelector = 'first' | 'last' | 'all' | { readonly modified: string };

/** One stored object version the door may release: metadata only, content behind `open`. */
export interface Candidate {
  /** Store-wide insertion sequence (pagination tiebreak). */
  readonly seq: number;
  /** TAXII `date_added`, epoch µs. */
  readonly dateAddedUs: number;
  /** The stored STIX id (before minimisation). */
  readonly id: string;
  readonly type: string;
  /** The version (`modified`, else `created`, else the unversioned marker). */
  readonly version: string;
  readonly specVersion: string;
  readonly producer: string;
  /** TLP computed at ingest (with the bundle's markings); `null` when unmarked. */
  readonly tlp: string | null;
  /** SHA-256 of the stored canonical content. */
  readonly contentHash: Uint8Array;
  /**
   * The version's retention deadline (epoch ms) and the data key sealing it. Versions that
   * carry both may be kept in the ports' {@link ReleaseCache}, which lets go of them at the
   * deadline or when the key is shredded; versions without them are never cached.
   */
  readonly retainUntilMs?: number;
  readonly keyId?: string;
}

/** What the door asks the candidate port for: store-side filters, never decisions. */
export interface CandidateQuery {
  /** Only versions still within the node's retention at this instant (epoch ms). */
  readonly visibleAtMs: number;
  readonly addedAfterUs?: number;
  readonly after?: ReleaseCursor;
  readonly ids?: readonly string[];
  readonly types?: readonly string[];
  readonly specVersions?: readonly string[];
  readonly versions?: readonly VersionSelector[];
  readonly limit: number;
}

/** One page of candidates, oldest `date_added` first. */
export interface CandidatePage {
  readonly items: readonly Candidate[];
  /** Set when more candidates follow. */
  readonly next: ReleaseCursor | undefined;
}

/** A ledger entry the door writes: hashes, ids and metadata only (ledger invariant). */
export interface ReleaseLedgerEntry {
  readonly kind: 'release';
  readonly body: JsonObject;
}

/**
 * The door's only way to stored intel and to the world. An adapter builds these over the
 * store, the vault and the ledger; nothing else in the node may read object content for a
 * partner (the one-door architecture test checks the server's side of this).
 */
export interface ReleasePorts {
  /** Candidate versions matching store-side filters, in `(date_added, seq)` order. */
  readonly candidates: (query: CandidateQuery) => Promise<CandidatePage>;
  /**
   * Decrypts one candidate. `ERR_SHREDDED` / `ERR_RETENTION_ENDED` (a shred raced the read)
   * make the candidate invisible; any other error propagates.
   */
  readonly open: (candidate: Candidate) => Promise<StixObject>;
  /**
   * Optional: reads the sealed content of candidates the door is about to `open`, in one
   * go (opening each then needs no query of its own). Reads only; decides nothing.
   */
  readonly preload?: (candidates: readonly Candidate[]) => Promise<void>;
  /** The runtime decision state (level, waivers, pauses, revocations) at an instant. */
  readonly state: (at: number) => Promise<DecisionState>;
  /** Appends entries in order in one transaction; returns the first entry's leaf index. */
  readonly ledger: (entries: readonly ReleaseLedgerEntry[], at: number) => Promise<number>;
  /** Whether the producer has withdrawn this version (withdrawn versions are invisible). */
  readonly withdrawn: (candidate: Candidate) => boolean;
  readonly clock: Clock;
  /**
   * Where prepared versions (decision metadata, minimised views) are kept across releases.
   * Without it every release opens and minimises every candidate.
   */
  readonly cache?: ReleaseCache;
}

/** The agreement-side inputs: the compiled engine and the agreement's pseudonym key. */
export interface ReleaseAgreement {
  readonly agreementId: string;
  readonly agreementVersion: number;
  readonly decide: DecideFn;
  readonly pseudonymKey: PseudonymKey;
  /**
   * The holder's party and the agencies' parties: with them, objects received from a partner
   * (carrying its handling stamp) are released only as their onward-sharing rule allows, with
   * attenuated obligations (onward.ts). The composition root always sets it.
   */
  readonly onward?: OnwardContext;
}

/** The channel a release is for (recorded on the ledger; the rules are the same for all). */
export type ReleaseChannel = 'objects' | 'object' | 'manifest' | 'versions' | 'export';

/** The visible-set filters, applied to what the recipient would receive. */
export interface ReleaseFilter {
  readonly addedAfterUs?: number;
  /** Released ids (after minimisation: an SCO id may be a keyed pseudonym). */
  readonly ids?: readonly string[];
  readonly types?: readonly string[];
  readonly specVersions?: readonly string[];
  /** Default `['last']` (TAXII 2.1). */
  readonly versions?: readonly VersionSelector[];
}

/** One release request: who receives, for what purpose, which page. */
export interface ReleaseInput {
  readonly agreement: ReleaseAgreement;
  /** The receiving agency. */
  readonly agency: string;
  readonly purpose: string;
  readonly channel: ReleaseChannel;
  readonly filter: ReleaseFilter;
  /** Continue after this position (a previous result's `next`). */
  readonly after?: ReleaseCursor;
  /** Page size, at least 1. */
  readonly limit: number;
}

/** One released object version: minimised, stamped, on the ledger. */
export interface ReleasedObject {
  /** The id the recipient sees (a keyed pseudonym for SCOs whose values were hidden). */
  readonly id: string;
  readonly version: string;
  readonly specVersion: string;
  readonly dateAddedUs: number;
  /** The object as released: minimised and stamped with the handling extension. */
  readonly object: StixObject;
  /** {@link ReleasedObject.object} as JSON text (what a route sends). */
  readonly json: string;
  /** Leaf index of the ledger entry that records this release. */
  readonly ledgerEntry: number;
}

/** A page of the visible set. */
export interface ReleaseResult {
  /** The release instant (epoch ms). */
  readonly at: number;
  readonly items: readonly ReleasedObject[];
  /** Whether more *visible* versions follow (looked ahead, never guessed). */
  readonly more: boolean;
  /** Pass back as `after` to continue; set exactly when `more`. */
  readonly next: ReleaseCursor | undefined;
}

/** Who holds the object and who would receive it. */
export interface OnwardContext {
  /** This node's party. */
  readonly holderParty: string;
  /** The party of a receiving agency under the agreement (undefined: unknown agency). */
  readonly partyOf: (agency: string) => string | undefined;
}
