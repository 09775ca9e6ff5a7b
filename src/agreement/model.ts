/**
 * The agreement model: what an agreement means once parsed, validated and normalised.
 *
 * The YAML/JSON source (docs/spec/agreement-language.md, docs/agreement.schema.json) is
 * written by liaison officers; `parseAgreement` turns it into this model. The policy engine,
 * the reference interpreter, the diff and the escalation logic read only this model.
 *
 * Normalisation rules (so every consumer sees one shape):
 * - every optional list is present (possibly empty); defaults are filled in;
 * - durations are parsed (`Duration`), instants are epoch milliseconds (UTC);
 * - levels are referred to by index into `Agreement.levels` (0 = lowest);
 * - every clause carries its `ClauseRef` (kind, id, source location) for explanations.
 */
import type { Duration } from '../core/index.js';

/** TLP 2.0 labels (FIRST TLP v2.0), least to most restrictive. */
export type Tlp = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';
export const TLP_LABELS: readonly Tlp[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

/**
 * Personal-data category of an object, least to most sensitive. `special-category` follows
 * GDPR art. 9 (health, political opinion, religion, ...).
 */
export type PersonalData = 'none' | 'pseudonymous' | 'personal' | 'special-category';
export const PERSONAL_DATA_CATEGORIES: readonly PersonalData[] = [
  'none',
  'pseudonymous',
  'personal',
  'special-category',
];

/** ENISA Reference Security Incident Taxonomy (RSIT) top-level classes, as MISP spells them. */
export type RsitClass =
  | 'abusive-content'
  | 'malicious-code'
  | 'information-gathering'
  | 'intrusion-attempts'
  | 'intrusions'
  | 'availability'
  | 'information-content-security'
  | 'fraud'
  | 'vulnerable'
  | 'other'
  | 'test';
export const RSIT_CLASSES: readonly RsitClass[] = [
  'abusive-content',
  'malicious-code',
  'information-gathering',
  'intrusion-attempts',
  'intrusions',
  'availability',
  'information-content-security',
  'fraud',
  'vulnerable',
  'other',
  'test',
];

/**
 * Permissible Actions Protocol (FIRST/MISP PAP), the actions a recipient may take, most to
 * least permissive: `clear` no restriction, `green` active actions, `amber` passive actions
 * only, `red` non-detectable actions only.
 */
export type Pap = 'clear' | 'green' | 'amber' | 'red';
export const PAP_LEVELS: readonly Pap[] = ['clear', 'green', 'amber', 'red'];

/**
 * How far a recipient may pass a released object on, least to most permissive:
 * `none` (no onward sharing), `same-party` (other agencies of the recipient's party that the
 * agreement would also allow), `agreement-parties` (any party of the agreement, each release
 * decided again by the agreement).
 */
export type OnwardSharing = 'none' | 'same-party' | 'agreement-parties';
export const ONWARD_SHARING_LEVELS: readonly OnwardSharing[] = [
  'none',
  'same-party',
  'agreement-parties',
];

/** Where a clause was written: a YAML/JSON path and its 1-based line and column. */
export interface SourceLocation {
  /** Dotted path with indices, e.g. `tiers.operational.release[0]`. */
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

/** The kinds of clause an explanation can name. */
export type ClauseKind =
  | 'agreement'
  | 'party'
  | 'constraint'
  | 'core'
  | 'never-release'
  | 'extension'
  | 'tier'
  | 'rule'
  | 'waiver-policy'
  | 'waiver'
  | 'pause'
  | 'trigger'
  // Named parts of the agreement that are not release clauses, so each carries a typed ref.
  | 'agency'
  | 'certification'
  | 'official'
  | 'purpose'
  | 'level'
  | 'sanction'
  | 'review-policy'
  | 'dispute-policy';

/**
 * A reference to the clause that decided or shaped a decision. Clauses from the agreement
 * carry their source location; runtime clauses (waivers, pauses) carry none.
 */
export interface ClauseRef {
  readonly kind: ClauseKind;
  readonly id: string;
  readonly source?: SourceLocation;
}

/**
 * Conditions over a release. Every field that is present must hold; an absent field matches
 * anything. An empty match (no fields) matches every release.
 */
export interface Match {
  /** STIX 2.1 object types (`indicator`, `email-addr`, ...). */
  readonly types?: readonly string[];
  readonly tlp?: readonly Tlp[];
  readonly personalData?: readonly PersonalData[];
  readonly rsit?: readonly RsitClass[];
  readonly purposes?: readonly string[];
  /** The producing party of the object. */
  readonly fromParties?: readonly string[];
  /** The party of the receiving agency. */
  readonly toParties?: readonly string[];
  /** The receiving agency. */
  readonly toAgencies?: readonly string[];
}

/**
 * Data minimisation applied at release time. Normalised: "no coarsening" is the identity
 * value (`32`, `128`, `0`), and combining two minimisations keeps the stricter of each field.
 */
export interface Minimisation {
  /** Property paths removed, `type.property` or `*.property` (sorted, unique). */
  readonly drop: readonly string[];
  /** Property paths replaced by a keyed HMAC token (sorted, unique, disjoint from `drop`). */
  readonly pseudonymise: readonly string[];
  /** Keep this many leading bits of IPv4 addresses (32 = unchanged). */
  readonly ipv4Prefix: number;
  /** Keep this many leading bits of IPv6 addresses (128 = unchanged). */
  readonly ipv6Prefix: number;
  /** Round timestamps down to this many milliseconds (0 = unchanged). */
  readonly timePrecisionMs: number;
  /** Remove references that identify the source (created_by_ref, external sources, ...). */
  readonly stripSourceRefs: boolean;
}

/** The handling every release carries: permitted actions and onward-sharing rule. */
export interface Handling {
  readonly pap: Pap;
  readonly onwardSharing: OnwardSharing;
}

/** A sovereign partner. */
export interface Party {
  readonly id: string;
  readonly name: string;
  readonly constraints: readonly Constraint[];
  readonly ref: ClauseRef;
}

/**
 * Which releases a party's constraint governs: `outgoing` — objects the party produced;
 * `incoming` — releases to the party's own agencies; `both`.
 */
export type ConstraintScope = 'outgoing' | 'incoming' | 'both';

interface ConstraintBase {
  readonly id: string;
  /** The party whose domestic law this is. */
  readonly party: string;
  readonly scope: ConstraintScope;
  /** Applies only to releases matching this (empty = all releases in scope). */
  readonly when: Match;
  readonly ref: ClauseRef;
}

/**
 * A party's domestic-law constraint. Constraints are evaluated first and always win; no tier,
 * level, extension or waiver overrides them.
 */
export type Constraint =
  /** Never release what matches `when`. */
  | (ConstraintBase & { readonly kind: 'forbid' })
  /** Release what matches `when` only to agencies holding all `certifications`, unexpired. */
  | (ConstraintBase & {
      readonly kind: 'require-certification';
      readonly certifications: readonly string[];
    })
  /** Cap the retention of what matches `when`. */
  | (ConstraintBase & { readonly kind: 'max-retention'; readonly retention: Duration })
  /** Minimise what matches `when` at least this much. */
  | (ConstraintBase & { readonly kind: 'minimise'; readonly minimise: Minimisation });

/** A certification held by an agency, valid until `expires` (exclusive). */
export interface Certification {
  readonly id: string;
  readonly expires: number;
  readonly ref: ClauseRef;
}

/** A receiving/producing organisation of a party (a CERT, a regulator, a ministry). */
export interface Agency {
  readonly id: string;
  readonly party: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly certifications: readonly Certification[];
  readonly ref: ClauseRef;
}

/** A designated official who may approve escalations and waivers. */
export interface Official {
  readonly id: string;
  readonly party: string;
  readonly roles: readonly string[];
  /** Ed25519 public key, SPKI PEM, when the agreement pins one. */
  readonly publicKey?: string;
  readonly ref: ClauseRef;
}

/** A declared purpose of processing. */
export interface Purpose {
  readonly id: string;
  readonly description: string;
  readonly ref: ClauseRef;
}

/** A cooperation level; `index` orders them (0 = lowest). */
export interface Level {
  readonly id: string;
  readonly index: number;
  readonly ref: ClauseRef;
}

/** A rule that no tier may override: never release what matches. */
export interface NeverRelease {
  readonly id: string;
  readonly match: Match;
  readonly ref: ClauseRef;
}

/** Core protections, common to all parties. Extensions may only tighten them. */
export interface Core {
  readonly maxRetention: Duration;
  readonly neverRelease: readonly NeverRelease[];
  readonly minimise: Minimisation;
  readonly handling: Handling;
  readonly ref: ClauseRef;
}

/** A release rule of a tier: what its agencies may receive, for what, from which level. */
export interface ReleaseRule {
  readonly id: string;
  /** The tier the rule belongs to. */
  readonly tier: string;
  /** STIX types released (non-empty). */
  readonly types: readonly string[];
  /** TLP labels released (non-empty). */
  readonly tlp: readonly Tlp[];
  /** Purposes the release may serve (defaults to every purpose of the agreement). */
  readonly purposes: readonly string[];
  /** Personal-data categories released (defaults to `['none']`: privacy by design). */
  readonly personalData: readonly PersonalData[];
  /** RSIT classes released; absent = any class, including objects with none. */
  readonly rsit?: readonly RsitClass[];
  /** Minimum STIX confidence (0–100); objects without confidence then never match. */
  readonly minConfidence?: number;
  /** Lowest level index at which the rule applies (inclusive). */
  readonly fromLevel: number;
  /** Highest level index at which the rule applies (inclusive). */
  readonly untilLevel: number;
  /** How long the recipient may keep what it receives. */
  readonly retention: Duration;
  /** Minimisation this rule adds to the core's. */
  readonly minimise: Minimisation;
  /** Handling this rule imposes (the stricter of it and the core's applies). */
  readonly handling: Handling;
  readonly ref: ClauseRef;
}

/** A tier: a set of agencies and what they may receive. */
export interface Tier {
  readonly id: string;
  readonly agencies: readonly string[];
  /** Certifications every agency must hold, unexpired, for any rule of the tier to apply. */
  readonly requiresCertifications: readonly string[];
  readonly rules: readonly ReleaseRule[];
  /** The extension that adds this tier, if any. */
  readonly extension?: string;
  readonly ref: ClauseRef;
}

/**
 * An optional module among a subset of parties. It covers a release when both the producing
 * party and the receiving agency's party are among `parties`; then its protections apply on
 * top of the core's and its tiers may release.
 */
export interface Extension {
  readonly id: string;
  readonly parties: readonly string[];
  /** Tighter maximum retention, if any. */
  readonly maxRetention?: Duration;
  readonly neverRelease: readonly NeverRelease[];
  readonly minimise: Minimisation;
  readonly handling: Handling;
  /** Ids of the tiers this extension adds (they appear in `Agreement.tiers` too). */
  readonly tiers: readonly string[];
  readonly ref: ClauseRef;
}

/** Conditions a trigger watches. Every present part must hold. */
export interface TriggerCondition {
  readonly riskRating?: {
    readonly anyPartyAtLeast?: number;
    readonly allPartiesAtLeast?: number;
    readonly anyPartyBelow?: number;
    readonly allPartiesBelow?: number;
  };
  /** Admiralty grading the supporting intel must reach, e.g. `B2` (reliability, credibility). */
  readonly intelQuality?: { readonly atLeast: string; readonly minConfidence?: number };
  /**
   * The count of ingested objects matching `rsit`/`tlp` within the sliding `window` is at
   * least `atLeast` and/or at most `atMost` (at least one of the two is present).
   */
  readonly incidents?: {
    readonly rsit?: readonly RsitClass[];
    readonly tlp?: readonly Tlp[];
    readonly atLeast?: number;
    readonly atMost?: number;
    readonly window: Duration;
  };
}

/** Who must approve: a quorum of officials, from distinct parties unless stated. */
export interface ApprovalRule {
  readonly automatic: boolean;
  readonly quorum: number;
  readonly roles: readonly string[];
  readonly distinctParties: boolean;
}

/** An objective trigger that raises the cooperation level, and the hysteresis that lowers it. */
export interface Trigger {
  readonly id: string;
  readonly when: TriggerCondition;
  readonly raiseTo: number;
  readonly approval: ApprovalRule;
  /** The raised level falls back by itself after this (sunset), unless renewed. */
  readonly maxDuration: Duration;
  /** Lower again when this holds continuously for `holdFor`. */
  readonly lowerWhen?: { readonly when: TriggerCondition; readonly holdFor: Duration };
  readonly ref: ClauseRef;
}

/** What waivers may do. Without a waiver policy, no waiver can be granted. */
export interface WaiverPolicy {
  readonly maxDuration: Duration;
  readonly postReviewWithin: Duration;
  readonly approval: ApprovalRule;
  /** Releases no waiver may ever allow (in addition to constraints and never-release rules). */
  readonly neverWaive: readonly NeverRelease[];
  readonly ref: ClauseRef;
}

/** Review cadence (the seed: "regular reviews, preferably quarterly"). */
export interface ReviewPolicy {
  readonly every: Duration;
  readonly observers: readonly string[];
  readonly ref: ClauseRef;
}

/** A consequence for a finding of violation. */
export interface Sanction {
  readonly id: string;
  /** The kind of finding that triggers it (e.g. `misuse`, `retention-breach`). */
  readonly on: string;
  readonly action: 'suspend-agency' | 'suspend-party' | 'downgrade-tier' | 'revoke-certification';
  /** For `downgrade-tier`: the tier the agency drops to. */
  readonly toTier?: string;
  readonly duration: Duration;
  readonly ref: ClauseRef;
}

/** The dispute path, each stage with its deadline. */
export interface DisputePolicy {
  readonly stages: readonly {
    readonly stage: 'consultation' | 'mediation' | 'arbitration';
    readonly within: Duration;
  }[];
  /** Whether opening a dispute pauses the disputing party's sharing automatically. */
  readonly pauseWhileOpen: boolean;
  readonly ref: ClauseRef;
}

/** A validated, normalised agreement. */
export interface Agreement {
  /** Language version (`concordat: 1`). */
  readonly concordat: 1;
  readonly id: string;
  readonly version: number;
  readonly title: string;
  /** In force from (inclusive) … until (exclusive, absent = open-ended). */
  readonly effective: { readonly from: number; readonly until?: number };
  readonly parties: readonly Party[];
  readonly agencies: readonly Agency[];
  readonly officials: readonly Official[];
  readonly purposes: readonly Purpose[];
  readonly levels: readonly Level[];
  readonly core: Core;
  /** Core tiers first, then each extension's tiers, in source order. */
  readonly tiers: readonly Tier[];
  readonly extensions: readonly Extension[];
  readonly triggers: readonly Trigger[];
  readonly waivers?: WaiverPolicy;
  readonly reviews?: ReviewPolicy;
  readonly sanctions: readonly Sanction[];
  readonly disputes?: DisputePolicy;
  readonly ref: ClauseRef;
}
