/**
 * The ports the REST API needs beyond the TAXII server's: an agreement registry, ledger reads
 * (proofs and hashes), the node's trusted party keys, a store probe, escalation and oversight. All are interfaces the
 * composition root (src/node, `concordat serve`) wires; tests wire them over a fresh database.
 * Each is optional: a route whose port is missing answers `ERR_NOT_CONFIGURED` (503), never a
 * crash and never a guess.
 */
import type { JsonValue, TrustedKeys } from '../../agreement/index.js';
import type { JsonObject, NoteVerifier } from '../../ledger/index.js';
import type { Indicators, Period } from '../../oversight/index.js';
import type { EscalationPort } from './escalation-port.js';

/** A signed checkpoint as the store keeps it (structurally the store's `CheckpointRecord`). */
export interface CheckpointView {
  /** Tree size: number of leaves covered. */
  readonly size: number;
  readonly root: Uint8Array;
  /** The C2SP signed note. */
  readonly text: string;
  readonly atMs: number;
}

/** An inclusion proof (structurally a subset of node's `InclusionProof`). */
export interface InclusionView {
  readonly seq: number;
  readonly size: number;
  readonly leafHash: Uint8Array;
  readonly proof: readonly Uint8Array[];
  readonly root: Uint8Array;
  readonly checkpoint: string;
}

/** A consistency proof (structurally node's `ConsistencyProof`). */
export interface ConsistencyView {
  readonly oldSize: number;
  readonly newSize: number;
  readonly oldRoot: Uint8Array;
  readonly newRoot: Uint8Array;
  readonly proof: readonly Uint8Array[];
  readonly oldCheckpoint: string;
  readonly newCheckpoint: string;
}

/** What storing a witness's cosigned checkpoint did. */
export interface CosignOutcome {
  /** The size of the node's checkpoint the note signs. */
  readonly size: number;
  /** The configured witnesses whose signature lines verified and are kept for that size. */
  readonly witnesses: readonly string[];
  /** Whether any of those lines was new (`false`: an identical repeat, nothing written). */
  readonly created: boolean;
}

/** A checkpoint witnesses cosigned: the node's note with their kept lines appended. */
export interface CosignedCheckpointView extends CheckpointView {
  /** The witnesses whose lines are appended, by key name. */
  readonly witnesses: readonly string[];
}

/**
 * Ledger operations. The composition root passes, over its `NodeLedger` `l` and store `db`:
 * `{ head: () => l.head(), checkpoints: async (from) => (await checkpoints.list(db)).filter((c) => c.size >= from),
 * inclusion: (s, n) => l.inclusion(s, n), consistency: (a, b) => l.consistency(a, b),
 * append: (k, b) => l.append(k, b), verifier: l.verifier }`.
 * INVARIANT: nothing here returns an entry body; routes expose leaf hashes and proofs only.
 */
export interface LedgerPort {
  /** The latest signed checkpoint, if any. */
  head(): Promise<CheckpointView | undefined>;
  /** Stored checkpoints of size ≥ `from`, oldest first. */
  checkpoints(from: number): Promise<readonly CheckpointView[]>;
  /** `ERR_LEDGER_RANGE` when `seq` ≥ `size` or no checkpoint of `size` is stored. */
  inclusion(seq: number, size?: number): Promise<InclusionView>;
  consistency(oldSize: number, newSize: number): Promise<ConsistencyView>;
  /** Appends one entry (ids and hashes only) and signs a checkpoint over it. */
  append(kind: string, body: JsonObject): Promise<{ readonly seq: number }>;
  /** The verifier of the node's checkpoint key (readiness: the head must verify). */
  readonly verifier: NoteVerifier;
  /**
   * Keeps the signature lines of configured witnesses from `note`, the node's checkpoint as a
   * witness cosigned it (docs/oversight.md). `ERR_NOT_FOUND` for a size the node never
   * checkpointed, `ERR_LEDGER_SPLIT_VIEW` for a note the node signed over another text at that
   * size, `ERR_CHECKPOINT_INVALID` when the node's own line or no configured witness's line
   * verifies (nothing written). Absent: the routes answer `ERR_NOT_CONFIGURED`.
   */
  cosign?(note: string): Promise<CosignOutcome>;
  /** The newest checkpoint with kept cosignatures, if any. */
  cosigned?(): Promise<CosignedCheckpointView | undefined>;
}

/** Where an agreement version is in its life. */
export type AgreementVersionStatus = 'pending' | 'active' | 'superseded';

/** One stored agreement version. */
export interface StoredAgreementVersion {
  readonly id: string;
  readonly version: number;
  /** `sha256:<hex>` over the canonical document. */
  readonly digest: string;
  /** The agreement's JSON data (its canonical form is `canonicalJson(document)`). */
  readonly document: JsonValue;
  /** The detached signature file it was loaded with. */
  readonly signatures: JsonValue;
  readonly status: AgreementVersionStatus;
  readonly loadedAt: number;
  readonly activatedAt?: number;
}

/**
 * Durable agreement versions. `activate` makes one version active and the previously active
 * one of that id superseded, atomically.
 */
export interface AgreementRegistry {
  list(): Promise<readonly StoredAgreementVersion[]>;
  get(id: string, version: number): Promise<StoredAgreementVersion | undefined>;
  /** Stores a pending version; `false` when (id, version) is already stored (nothing written). */
  putPending(v: Omit<StoredAgreementVersion, 'status' | 'activatedAt'>): Promise<boolean>;
  /** `false` when the version is not stored or not pending (nothing written). */
  activate(id: string, version: number, at: number): Promise<boolean>;
}

/**
 * What the oversight body reads (src/oversight): compliance indicators computed from the
 * ledger, and the transparency report built from them. INVARIANT (oversight/types.ts): only
 * aggregates of ledger metadata — never an object id, a hash of an object or intel content.
 */
export interface OversightPort {
  indicators(period: Period): Promise<Indicators>;
  /** The self-contained HTML transparency report of the period. */
  report(period: Period, quarter: string | undefined): Promise<string>;
}

/** Everything REST-specific in `ServerContext.rest`. */
export interface RestPorts {
  readonly registry?: AgreementRegistry;
  readonly ledger?: LedgerPort;
  /** Each party's trusted Ed25519 keys: the signatures of a loaded agreement must verify. */
  readonly trustedKeys?: TrustedKeys;
  /** Throws when the store cannot be reached (readiness). Default: reading the ledger head. */
  readonly probeStore?: () => Promise<void>;
  /** Escalation per agreement (docs/escalation-api.md). */
  readonly escalation?: EscalationPort;
  /** Indicators and the transparency report (docs/rest.md "Oversight"). */
  readonly oversight?: OversightPort;
}
