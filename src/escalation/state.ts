/**
 * The escalation state: plain data derived from the event history and the clock. Everything in
 * it is a function of (agreement, key registry, events with `at` ≤ `state.at`, `state.at`), so
 * a replay and a live fold that saw the same events agree on it exactly.
 */
import type { Agreement, Match } from '../agreement/index.js';
import type { ActiveWaiver, Pause, Revocation } from '../policy/index.js';
import type { KeyRegistry, RecordedApproval } from './approval.js';
import type { Inputs, RiskRating } from './conditions.js';
import type { EscalationEventType, WaiverScope } from './events.js';
import type { WaiverRefusal } from './waiver-check.js';

/** Where a trigger's conditions stand, updated at every event and window exit. */
export interface TriggerTrack {
  readonly trigger: string;
  /** Whether `when` holds, and since when (continuously). */
  readonly whenSince?: number;
  /** Since when `lower_when.when` has held continuously (absent: it does not hold). */
  readonly lowerSince?: number;
}

/** A raise in force: one per trigger at most. */
export interface ActiveRaise {
  /** The proposal that raised it, or `auto:<event id>` for an automatic raise. */
  readonly id: string;
  readonly trigger: string;
  /** Level index. */
  readonly level: number;
  readonly raisedAt: number;
  /** The sunset: it falls back by itself at this instant (exclusive end). */
  readonly expiresAt: number;
  /** Approvals of the proposal that raised or last renewed it. */
  readonly approvals: readonly RecordedApproval[];
  /** Instants it was renewed. */
  readonly renewals: readonly number[];
}

/** An escalation proposal and what became of it. */
export interface Proposal {
  readonly id: string;
  readonly trigger: string;
  readonly level: number;
  readonly at: number;
  readonly proposer: string;
  /** `eventDigest` of the proposal event: what approvals sign. */
  readonly digest: string;
  /** Whether it renews the trigger's raise in force (decided when it was proposed). */
  readonly renewal: boolean;
  readonly approvals: readonly RecordedApproval[];
  /** `lapsed` when the trigger's condition stopped holding before quorum. */
  readonly status: 'pending' | 'approved' | 'lapsed';
  readonly closedAt?: number;
}

/** One change of the raises in force: the "why" of the level history. */
export interface LevelTransition {
  readonly at: number;
  readonly kind: 'raised' | 'renewed' | 'lowered';
  readonly reason: 'approved' | 'automatic' | 'sunset' | 'hysteresis' | 'manual';
  readonly trigger: string;
  /** The raise concerned. */
  readonly raise: string;
  /** Level index before and after. */
  readonly from: number;
  readonly to: number;
}

/** A waiver request and its life. */
export interface WaiverRecord {
  readonly id: string;
  readonly requestedAt: number;
  readonly requestedBy: string;
  /** `eventDigest` of the request event: what approvals sign. */
  readonly digest: string;
  readonly justification: string;
  readonly scope: WaiverScope;
  readonly duration: string;
  readonly retention: string;
  /** Every reason it was refused (empty when it could be approved). */
  readonly refusals: readonly WaiverRefusal[];
  readonly approvals: readonly RecordedApproval[];
  /** A pending request lapses at `requestedAt + policy.maxDuration`. */
  readonly lapsesAt: number;
  /** Active from (inclusive) … */
  readonly from?: number;
  /** … to (exclusive), unless closed earlier. */
  readonly expires?: number;
  readonly closedAt?: number;
  readonly reviewFiledAt?: number;
  readonly reviewRef?: string;
}

/** A waiver's status at the state's instant. */
export type WaiverStatus = 'refused' | 'pending' | 'lapsed' | 'withdrawn' | 'active' | 'ended';

/** A pause and its resumption. */
export interface PauseRecord {
  readonly id: string;
  readonly party: string;
  readonly scope: Match;
  readonly reason: string;
  readonly since: number;
  readonly resumedAt?: number;
  readonly dispute?: string;
}

/** A dispute opened with a pause (agreement `disputes`). */
export interface DisputeRecord {
  readonly id: string;
  readonly party: string;
  readonly subject: string;
  readonly openedAt: number;
  readonly pause: string;
  /** The first stage and its deadline. */
  readonly stage: 'consultation' | 'mediation' | 'arbitration';
  readonly stageDue: number;
}

/** A sanction in force or past. */
export interface SanctionRecord {
  readonly id: string;
  readonly sanction: string;
  readonly action: 'suspend-agency' | 'suspend-party' | 'downgrade-tier' | 'revoke-certification';
  readonly finding: string;
  readonly since: number;
  readonly until: number;
  readonly agency?: string;
  readonly party?: string;
  readonly certification?: string;
  /**
   * `downgrade-tier` cannot be expressed in the engine's `DecisionState` (it has no tier
   * overrides), so it is enforced as a suspension of the agency: stricter, never wider.
   */
  readonly enforcedAs?: 'suspend-agency';
}

/** An event that changed nothing, and every reason why. */
export interface RejectedEvent {
  readonly id: string;
  readonly type: EscalationEventType | 'unknown';
  readonly at: number;
  readonly reasons: readonly string[];
}

/** A receipt (`level-raised`, ...) that disagrees with what replay derived. */
export interface Anomaly {
  readonly id: string;
  readonly type: EscalationEventType;
  readonly at: number;
  readonly message: string;
}

/** A post-incident review of a waiver. */
export interface ReviewView {
  readonly waiver: string;
  /** When the waiver ended (expiry or close). */
  readonly opened: number;
  readonly due: number;
  readonly filedAt?: number;
  readonly overdue: boolean;
}

/** A compliance finding visible to oversight. */
export interface ComplianceFinding {
  readonly kind: 'review-overdue' | 'review-filed-late';
  readonly waiver: string;
  readonly due: number;
  readonly filedAt?: number;
}

/** The current level and why. */
export interface LevelView {
  readonly index: number;
  readonly id: string;
  /** Since when the level has had this value. */
  readonly since: number;
  /** The raise that justifies it (the highest; the earliest raised among equals). */
  readonly cause?: ActiveRaise;
}

/** What holds at `at`, derived from the rest (recomputed whenever the state moves). */
export interface CurrentView {
  readonly level: LevelView;
  readonly waivers: readonly ActiveWaiver[];
  readonly pauses: readonly Pause[];
  readonly revocations: readonly Revocation[];
  readonly reviews: readonly ReviewView[];
  readonly findings: readonly ComplianceFinding[];
}

/** The escalation state at `at`. */
export interface EscalationState {
  readonly agreement: Agreement;
  readonly keys: KeyRegistry;
  /** The instant the state describes. */
  readonly at: number;
  /** The last instant conditions were evaluated (an event or a scheduled change). */
  readonly settledAt: number;
  readonly eventCount: number;
  /** Ids of every event applied (accepted or rejected), for uniqueness. */
  readonly eventIds: Readonly<Record<string, true>>;
  readonly inputs: Inputs;
  readonly triggers: readonly TriggerTrack[];
  readonly raises: readonly ActiveRaise[];
  readonly proposals: readonly Proposal[];
  readonly transitions: readonly LevelTransition[];
  /** Level index and since when. */
  readonly level: number;
  readonly levelSince: number;
  readonly waivers: readonly WaiverRecord[];
  readonly pauses: readonly PauseRecord[];
  readonly disputes: readonly DisputeRecord[];
  readonly revocations: readonly Revocation[];
  readonly sanctions: readonly SanctionRecord[];
  readonly rejected: readonly RejectedEvent[];
  readonly anomalies: readonly Anomaly[];
  readonly current: CurrentView;
}

/** Latest risk rating per party (re-exported shape). */
export type { RiskRating };
