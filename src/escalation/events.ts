/**
 * The escalation event model (docs/spec/escalation.md): an append-only history of plain JSON
 * events, each versioned (`v: 1`), with a stable `id`, the instant it was recorded (`at`, epoch
 * ms) and the `actor` who caused it (an official id or a party id). The state of levels,
 * waivers, pauses and authorities is derived from these events and a clock, never stored.
 */
import type { Match, PersonalData, RsitClass, Tlp } from '../agreement/index.js';

/** The only event format version. */
export const ESCALATION_EVENT_VERSION = 1;

/** What every event carries. */
export interface EventBase {
  readonly v: 1;
  /** Stable, unique id (the ledger entry id, a UUID, ...). */
  readonly id: string;
  /** When the event was recorded, epoch ms (UTC). Events are applied in ledger order. */
  readonly at: number;
  /** The official or party that caused it. */
  readonly actor: string;
}

/**
 * The ingest interval `from ≤ t < to` (epoch ms) an automatic input was computed over, from
 * stored object metadata (docs/spec/escalation.md "Automatic inputs"). The next automatic
 * input starts where the latest one ended, so no object is counted twice.
 */
export interface IngestWindow {
  readonly from: number;
  readonly to: number;
}

/** A party publishes its national risk rating (0–5, in the spirit of the CISA NCISS). */
export interface RiskRatingPublished extends EventBase {
  readonly type: 'risk-rating-published';
  readonly party: string;
  readonly rating: number;
  /** The official (or office) who set it. */
  readonly setBy: string;
  readonly reason: string;
}

/** An Admiralty grade observed on a piece of intelligence that may support a trigger. */
export interface IntelQualityObserved extends EventBase {
  readonly type: 'intel-quality-observed';
  /** Admiralty grade, e.g. `B2`. */
  readonly grade: string;
  /** STIX confidence 0–100; absent = derived from the grade (STIX 2.1 Appendix A). */
  readonly confidence?: number;
  /** A hash or id of the object graded (never its content). A later grade of it replaces this. */
  readonly objectRef: string;
  /** Set when the node derived the grade from ingested objects' confidence. */
  readonly window?: IngestWindow;
}

/** Objects of one RSIT class and TLP ingested (`count` of them at `at`). */
export interface IncidentSignal extends EventBase {
  readonly type: 'incident-signal';
  readonly rsit: RsitClass;
  readonly tlp: Tlp;
  readonly count: number;
  /** Set when the node counted ingested objects itself (the interval counted). */
  readonly window?: IngestWindow;
}

/**
 * A trigger fired: propose raising to the trigger's level (or renewing the trigger's active
 * raise). Valid only while the trigger's `when` holds.
 */
export interface EscalationProposed extends EventBase {
  readonly type: 'escalation-proposed';
  readonly trigger: string;
  /** Level id; must be the trigger's `raise_to`. */
  readonly toLevel: string;
}

/** What an approval approves: an escalation proposal or a waiver request, by event id. */
export interface ApprovalSubject {
  readonly kind: 'escalation' | 'waiver';
  /** The id of the `escalation-proposed` or `waiver-requested` event. */
  readonly id: string;
}

/**
 * A designated official's signed approval. `signature` is Ed25519 over `approvalMessage`
 * (domain-separated, binding the agreement, the subject event's digest and the official),
 * base64url without padding.
 */
export interface ApprovalGiven extends EventBase {
  readonly type: 'approval';
  readonly official: string;
  readonly subject: ApprovalSubject;
  readonly signature: string;
}

/**
 * Receipts: outcomes the node derived and recorded for readers of the ledger. Replay derives
 * them itself and only checks that each receipt agrees (a disagreeing receipt is listed in
 * `EscalationState.anomalies`); a receipt never changes the state.
 */
export interface LevelRaised extends EventBase {
  readonly type: 'level-raised';
  readonly trigger: string;
  readonly toLevel: string;
}
/** Receipt of a renewal (see `LevelRaised`). */
export interface LevelRenewed extends EventBase {
  readonly type: 'level-renewed';
  readonly trigger: string;
  readonly until: number;
}
/** Receipt of a waiver that became active (see `LevelRaised`). */
export interface WaiverApproved extends EventBase {
  readonly type: 'waiver-approved';
  readonly waiver: string;
  readonly expires: number;
}

/**
 * A level lowered. With reason `manual` it is an input: a designated official holding one of
 * the trigger's approval roles ends the trigger's raise, signed like an approval (subject
 * `{ kind: 'escalation', id: <this event's trigger> }`, see `lowerMessage`). With `sunset` or
 * `hysteresis` it is a receipt.
 */
export type LevelLowered = EventBase & {
  readonly type: 'level-lowered';
  readonly trigger: string;
} & (
    | { readonly reason: 'sunset' | 'hysteresis' }
    | { readonly reason: 'manual'; readonly official: string; readonly signature: string }
  );

/** What a waiver may release: the same dimensions as a release rule. */
export interface WaiverScope {
  readonly agencies: readonly string[];
  readonly grants: {
    readonly types: readonly string[];
    readonly tlp: readonly Tlp[];
    readonly purposes: readonly string[];
    readonly personalData: readonly PersonalData[];
    readonly rsit?: readonly RsitClass[];
  };
}

/** A request for a temporary waiver during a severe incident. */
export interface WaiverRequested extends EventBase {
  readonly type: 'waiver-requested';
  readonly justification: string;
  readonly scope: WaiverScope;
  /** ISO 8601 duration of the waiver once approved (e.g. `PT48H`). */
  readonly duration: string;
  /** ISO 8601 retention of what it releases (the core's and the parties' caps still apply). */
  readonly retention: string;
}

/** A waiver ended early (or a pending request withdrawn). */
export interface WaiverClosed extends EventBase {
  readonly type: 'waiver-closed';
  readonly waiver: string;
  readonly reason: string;
}

/** The post-incident review of a waiver was filed. */
export interface WaiverReviewFiled extends EventBase {
  readonly type: 'waiver-review-filed';
  readonly waiver: string;
  /** A hash or id of the review document. */
  readonly reportRef: string;
}

/** A party pauses (part of) its own sharing, at once. */
export interface PauseStarted extends EventBase {
  readonly type: 'pause';
  readonly party: string;
  /** Which of its releases: all (`{}`), towards a party, an agency, a category — a `Match`. */
  readonly scope: Match;
  readonly reason: string;
  /** Open a dispute record with the pause (needs the agreement's dispute policy). */
  readonly dispute?: { readonly subject: string };
}

/** The pausing party resumes its sharing. */
export interface PauseResumed extends EventBase {
  readonly type: 'resume';
  readonly party: string;
  /** The id of the `pause` event. */
  readonly pause: string;
}

/** A certification withdrawn before its expiry. */
export interface CertificationRevoked extends EventBase {
  readonly type: 'certification-revoked';
  readonly agency: string;
  readonly certification: string;
  readonly reason: string;
}

/** A sanction of the agreement applied after a finding. */
export interface SanctionApplied extends EventBase {
  readonly type: 'sanction-applied';
  /** The agreement's sanction id. */
  readonly sanction: string;
  /** The finding (case id or hash) it follows. */
  readonly finding: string;
  /** For `suspend-agency`, `downgrade-tier`, `revoke-certification`. */
  readonly agency?: string;
  /** For `suspend-party`. */
  readonly party?: string;
  /** For `revoke-certification`. */
  readonly certification?: string;
}

/** Every escalation event. */
export type EscalationEvent =
  | RiskRatingPublished
  | IntelQualityObserved
  | IncidentSignal
  | EscalationProposed
  | ApprovalGiven
  | LevelRaised
  | LevelLowered
  | LevelRenewed
  | WaiverRequested
  | WaiverApproved
  | WaiverClosed
  | WaiverReviewFiled
  | PauseStarted
  | PauseResumed
  | CertificationRevoked
  | SanctionApplied;

/** The `type` of every event. */
export type EscalationEventType = EscalationEvent['type'];
