/**
 * The decision contract: what a release request is, what runtime state it is decided in, and
 * what a decision says. Both the compiled engine and the reference interpreter implement
 * `DecideFn` and must return deeply equal decisions for every input (property-tested).
 *
 * Precedence, deny by default (docs/spec/decisions.md):
 *   in force? → known agency, purpose, producer, level? → party constraints → pauses →
 *   never-release (core, then covering extensions) → tier rules at the current level,
 *   then bounded waivers → deny.
 */
import type {
  Agreement,
  ClauseRef,
  Handling,
  Match,
  Minimisation,
  PersonalData,
  RsitClass,
  Tlp,
} from '../agreement/index.js';
import type { Duration } from '../core/index.js';

/** What is known about an object at decision time (never its content). */
export interface ObjectMeta {
  /** STIX 2.1 type. */
  readonly type: string;
  readonly tlp: Tlp;
  readonly personalData: PersonalData;
  /** The party that produced (and owns) the object. */
  readonly producer: string;
  readonly rsit?: RsitClass;
  /** STIX confidence, 0–100. */
  readonly confidence?: number;
}

/** A request to release one object to one agency for one purpose, at one instant. */
export interface DecisionRequest {
  /** The receiving agency. */
  readonly agency: string;
  readonly purpose: string;
  readonly object: ObjectMeta;
  /** The instant of the release, epoch ms. */
  readonly at: number;
}

/**
 * A waiver granted under the agreement's waiver policy: a temporary, bounded permission to
 * release what `grants` describes to `agencies`, from `from` (inclusive) to `expires`
 * (exclusive). Never overrides constraints, pauses, never-release or never-waive rules.
 */
export interface ActiveWaiver {
  readonly id: string;
  readonly agencies: readonly string[];
  readonly grants: {
    readonly types: readonly string[];
    readonly tlp: readonly Tlp[];
    readonly purposes: readonly string[];
    readonly personalData: readonly PersonalData[];
    readonly rsit?: readonly RsitClass[];
  };
  readonly retention: Duration;
  readonly from: number;
  readonly expires: number;
}

/**
 * A pause by `party` of its own sharing: releases of objects it produced that match `scope`
 * are denied from `since` (inclusive) until `until` (exclusive; absent = until resumed).
 */
export interface Pause {
  readonly id: string;
  readonly party: string;
  readonly scope: Match;
  readonly since: number;
  readonly until?: number;
}

/** An agency's certification withdrawn before its expiry (a sanction, a revocation). */
export interface Revocation {
  readonly agency: string;
  readonly certification: string;
  /** Effective from this instant (inclusive). */
  readonly since: number;
}

/** The runtime state a request is decided in. */
export interface DecisionState {
  /** The current cooperation level, by id. */
  readonly level: string;
  readonly waivers: readonly ActiveWaiver[];
  readonly pauses: readonly Pause[];
  readonly revocations: readonly Revocation[];
}

/** What the recipient must do with a released object, and the marking to stamp on it. */
export interface Obligations {
  /** Delete (crypto-shred) by this instant, epoch ms. */
  readonly retainUntil: number;
  readonly minimise: Minimisation;
  readonly handling: Handling;
  /** Clauses that shaped the obligations: core, covering extensions, constraints. */
  readonly shapedBy: readonly ClauseRef[];
}

/** Why a request was denied: the precedence stage that decided it. */
export type DenyStage =
  | 'not-in-force'
  | 'unknown-agency'
  | 'unknown-purpose'
  | 'unknown-producer'
  | 'unknown-level'
  | 'constraint'
  | 'pause'
  | 'never-release'
  | 'no-rule';

/** An allowed release. */
export interface Allow {
  readonly effect: 'allow';
  /** Every rule (and, when no rule allowed, every waiver) that allows it, in agreement order. */
  readonly allowedBy: readonly ClauseRef[];
  /** Whether a waiver (not a tier rule) is what allowed it. */
  readonly byWaiver: boolean;
  /** The tier of the first allowing rule (absent when allowed by waiver). */
  readonly tier?: string;
  readonly obligations: Obligations;
}

/** A denied release. */
export interface Deny {
  readonly effect: 'deny';
  readonly stage: DenyStage;
  /** Every clause that denies at `stage`, in agreement order (empty for `no-rule` etc.). */
  readonly deniedBy: readonly ClauseRef[];
}

/** A decision with every reason. */
export type Decision = Allow | Deny;

/** A decision function over one agreement. */
export type DecideFn = (request: DecisionRequest, state: DecisionState) => Decision;

/** Builds a decision function for an agreement (the compiled engine or the reference). */
export type EngineFactory = (agreement: Agreement) => DecideFn;
