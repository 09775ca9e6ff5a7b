/**
 * The tables of a compiled agreement. Everything fixed by the pair (receiving agency,
 * producing party) — the recipient's party, the covering extensions, which constraints can
 * apply, which never-release and never-waive rules can match, which tiers are eligible but
 * for certifications — is worked out once per pair, and rules are bucketed by STIX type.
 */
import {
  type Agency,
  type Agreement,
  type ClauseRef,
  type Constraint,
  type Extension,
  type NeverRelease,
} from '../agreement/index.js';
import { maxDurationMs } from '../core/index.js';
import type { Deny } from './types.js';
import {
  compileMatch,
  idMask,
  idTable,
  pdMask,
  rsitMask,
  tlpMask,
  type DynMatch,
  type IdTable,
  type Interner,
} from './compile-match.js';
import { combineShape, type Contribution, type ObligationShape } from './compile-obligations.js';

/** Constraint kinds as small integers (the hot loop switches on them). */
export const K_FORBID = 0;
export const K_REQUIRE_CERT = 1;
export const K_MAX_RETENTION = 2;
export const K_MINIMISE = 3;

/** A certification requirement for one agency, folded for the hot path. */
export interface CertNeed {
  /** The certifications required (empty = always held). */
  readonly ids: readonly string[];
  /** Held (revocations aside) iff `at < expires`: the earliest of the latest listed expiries. */
  readonly expires: number;
}

/**
 * A constraint that may apply to a pair, in agreement order. It is its own compiled `when`
 * (the match fields are spread into it, one load fewer on the hot path).
 */
export interface PairConstraint extends DynMatch {
  readonly kind: number;
  readonly ref: ClauseRef;
  readonly cert: CertNeed;
  /** Bit among the pair's shaping (max-retention, minimise) constraints; 0 for the others. */
  readonly bit: number;
  readonly contribution: Contribution;
  /** The frozen decision when this constraint alone denies. */
  readonly alone: Deny;
}

/** A never-release (or never-waive) rule that may match for a pair; its own compiled match. */
export interface PairNever extends DynMatch {
  readonly ref: ClauseRef;
  readonly alone: Deny;
}

/** A release rule of a tier the agency is in and whose extension (if any) covers the pair. */
export interface CandidateRule {
  readonly tlp: number;
  readonly pd: number;
  readonly rsit: number;
  readonly purposes: IdTable;
  /** `idMask(purposes)`: used for purpose indices below 30. */
  readonly purposeMask: number;
  readonly hasMinConfidence: boolean;
  readonly minConfidence: number;
  readonly fromLevel: number;
  readonly untilLevel: number;
  readonly cert: CertNeed;
  /** Whether the tier requires certifications at all (`cert.ids` non-empty). */
  readonly needsCert: boolean;
  readonly ref: ClauseRef;
  readonly tier: string;
  readonly contribution: Contribution;
  /** 1 << index in its bucket. */
  readonly bit: number;
}

/** The candidate rules of a pair for one STIX type, and their precombined obligations. */
export interface Bucket {
  readonly rules: readonly CandidateRule[];
  /**
   * (allowing-rule mask, shaping-constraint mask) → obligations, filled on first use: a dense
   * array indexed by `ruleMask * shapingScale + constraintMask` when that space is small
   * (`dense`), else a map with the same keys.
   */
  readonly dense: (AllowSlot | undefined)[] | null;
  readonly slots: Map<number, AllowSlot>;
}

/** Slot spaces up to this size are dense arrays. */
const DENSE_SLOTS = 1 << 12;

/** A precombined allow by tier rules: everything but the deadline. */
export interface AllowSlot {
  readonly allowedBy: readonly ClauseRef[];
  readonly tier: string;
  readonly shape: ObligationShape;
}

/** Everything fixed by one (agency, producer) pair. */
export interface Pair {
  readonly agency: string;
  readonly recipientParty: string;
  readonly constraints: readonly PairConstraint[];
  /** Shaping constraints among `constraints` (masks are used when ≤ 20, lists beyond). */
  readonly shapingCount: number;
  /** `2 ** shapingCount`: slot keys are `ruleMask * shapingScale + constraintMask`. */
  readonly shapingScale: number;
  readonly never: readonly PairNever[];
  readonly neverWaive: readonly PairNever[];
  /** Candidate rules by interned type id. */
  readonly buckets: readonly (Bucket | undefined)[];
  /** Core then covering extensions, as obligation contributions. */
  readonly base: readonly Contribution[];
  /** Shaping-constraint mask → obligations of a waiver allow (waivers add retention only). */
  readonly waiverSlots: Map<number, ObligationShape>;
}

/** The compiled agreement: interned names and one `Pair` per (agency, producer). */
export interface Tables {
  readonly interner: Interner;
  readonly agencyIndex: ReadonlyMap<string, number>;
  readonly partyIndex: ReadonlyMap<string, number>;
  readonly levelIndex: ReadonlyMap<string, number>;
  readonly partyCount: number;
  /** `pairs[agencyIndex * partyCount + producerIndex]`. */
  readonly pairs: readonly Pair[];
  readonly from: number;
  readonly until: number | undefined;
  readonly agreementRef: ClauseRef;
  readonly hasWaiverPolicy: boolean;
  readonly maxWaiverMs: number;
}

function firstIndex<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  items.forEach((item, i) => {
    if (!m.has(key(item))) m.set(key(item), i);
  });
  return m;
}

function denyAlone(stage: Deny['stage'], ref: ClauseRef): Deny {
  return Object.freeze({ effect: 'deny', stage, deniedBy: Object.freeze([ref]) });
}

function certNeed(agency: Agency, ids: readonly string[]): CertNeed {
  let expires = Infinity;
  for (const id of ids) {
    let latest = -Infinity;
    for (const c of agency.certifications)
      if (c.id === id && c.expires > latest) latest = c.expires;
    expires = Math.min(expires, latest);
  }
  return { ids, expires };
}

function internTypes(A: Agreement): Map<string, number> {
  const types = new Map<string, number>();
  const add = (list: readonly string[] | undefined): void => {
    for (const t of list ?? []) if (!types.has(t)) types.set(t, types.size);
  };
  for (const p of A.parties) for (const c of p.constraints) add(c.when.types);
  for (const n of A.core.neverRelease) add(n.match.types);
  for (const e of A.extensions) for (const n of e.neverRelease) add(n.match.types);
  for (const n of A.waivers?.neverWaive ?? []) add(n.match.types);
  for (const t of A.tiers) for (const r of t.rules) add(r.types);
  return types;
}

function constraintContribution(c: Constraint): Contribution {
  if (c.kind === 'max-retention') return { retention: c.retention, shapedBy: c.ref };
  if (c.kind === 'minimise') return { minimise: c.minimise, shapedBy: c.ref };
  return {};
}

const KIND: Record<Constraint['kind'], number> = {
  forbid: K_FORBID,
  'require-certification': K_REQUIRE_CERT,
  'max-retention': K_MAX_RETENTION,
  minimise: K_MINIMISE,
};

function compileNever(
  rules: readonly NeverRelease[],
  stage: Deny['stage'],
  compile: (m: NeverRelease['match']) => DynMatch | undefined,
): PairNever[] {
  const out: PairNever[] = [];
  for (const n of rules) {
    const when = compile(n.match);
    if (when !== undefined) out.push({ ...when, ref: n.ref, alone: denyAlone(stage, n.ref) });
  }
  return out;
}

function compilePair(A: Agreement, interner: Interner, agency: Agency, producer: string): Pair {
  const recipientParty = agency.party;
  const compile = (m: NeverRelease['match']): DynMatch | undefined =>
    compileMatch(m, interner, agency.id, recipientParty, producer);
  const covers = (e: Extension): boolean =>
    e.parties.includes(producer) && e.parties.includes(recipientParty);
  const covering = A.extensions.filter(covers);

  // Stage 4: constraints whose party and scope make them possibly apply, in agreement order.
  const constraints: PairConstraint[] = [];
  let shapingCount = 0;
  for (const party of A.parties) {
    for (const c of party.constraints) {
      const outgoing = (c.scope === 'outgoing' || c.scope === 'both') && producer === c.party;
      const incoming = (c.scope === 'incoming' || c.scope === 'both') && recipientParty === c.party;
      if (!outgoing && !incoming) continue;
      const when = compile(c.when);
      if (when === undefined) continue;
      const shaping = c.kind === 'max-retention' || c.kind === 'minimise';
      constraints.push({
        kind: KIND[c.kind],
        ...when,
        ref: c.ref,
        cert: certNeed(agency, c.kind === 'require-certification' ? c.certifications : []),
        bit: shaping && shapingCount < 30 ? 1 << shapingCount : 0,
        contribution: constraintContribution(c),
        alone: denyAlone('constraint', c.ref),
      });
      if (shaping) shapingCount++;
    }
  }

  // Stage 6: the core's never-release rules, then each covering extension's.
  const neverRules = [...A.core.neverRelease, ...covering.flatMap((e) => e.neverRelease)];
  const never = compileNever(neverRules, 'never-release', compile);
  const neverWaive = compileNever(A.waivers?.neverWaive ?? [], 'no-rule', compile);

  // Stage 7: tiers the agency is in whose extension (if any) covers the pair, rules by type.
  const byType: CandidateRule[][] = [];
  for (const t of A.tiers) {
    if (t.extension !== undefined) {
      const ext = A.extensions.find((e) => e.id === t.extension);
      if (ext === undefined || !covers(ext)) continue;
    }
    if (!t.agencies.includes(agency.id)) continue;
    const cert = certNeed(agency, t.requiresCertifications);
    for (const r of t.rules) {
      const purposes = idTable(r.purposes, interner.purposes);
      for (const type of new Set(r.types)) {
        // Every rule type was interned by internTypes.
        const id = interner.types.get(type) ?? 0;
        const list = (byType[id] ??= []);
        list.push({
          tlp: tlpMask(r.tlp),
          pd: pdMask(r.personalData),
          rsit: rsitMask(r.rsit),
          purposes,
          purposeMask: idMask(purposes),
          hasMinConfidence: r.minConfidence !== undefined,
          minConfidence: r.minConfidence ?? 0,
          fromLevel: r.fromLevel,
          untilLevel: r.untilLevel,
          cert,
          needsCert: cert.ids.length > 0,
          ref: r.ref,
          tier: t.id,
          contribution: { retention: r.retention, minimise: r.minimise, handling: r.handling },
          bit: list.length < 31 ? 1 << list.length : 0,
        });
      }
    }
  }
  const buckets: (Bucket | undefined)[] = [];
  for (let id = 0; id < interner.types.size; id++) {
    const rules = byType[id];
    if (rules === undefined) {
      buckets.push(undefined);
      continue;
    }
    const space = 2 ** (rules.length + shapingCount);
    buckets.push({
      rules,
      dense: space <= DENSE_SLOTS ? new Array<AllowSlot | undefined>(space).fill(undefined) : null,
      slots: new Map(),
    });
  }

  const base: Contribution[] = [
    { retention: A.core.maxRetention, minimise: A.core.minimise, handling: A.core.handling },
    { shapedBy: A.core.ref },
  ];
  for (const e of covering) {
    base.push({
      ...(e.maxRetention === undefined ? {} : { retention: e.maxRetention }),
      minimise: e.minimise,
      handling: e.handling,
      shapedBy: e.ref,
    });
  }

  return {
    agency: agency.id,
    recipientParty,
    constraints,
    shapingCount,
    shapingScale: 2 ** shapingCount,
    never,
    neverWaive,
    buckets,
    base,
    waiverSlots: new Map(),
  };
}

/** Builds the tables of an agreement. */
export function buildTables(A: Agreement): Tables {
  const interner: Interner = {
    types: internTypes(A),
    purposes: firstIndex(A.purposes, (p) => p.id),
  };
  const partyIndex = firstIndex(A.parties, (p) => p.id);
  const agencyIndex = firstIndex(A.agencies, (a) => a.id);
  const levelIndex = new Map<string, number>();
  for (const l of A.levels) if (!levelIndex.has(l.id)) levelIndex.set(l.id, l.index);
  const pairs: Pair[] = [];
  for (const agency of A.agencies) {
    for (const producer of A.parties) pairs.push(compilePair(A, interner, agency, producer.id));
  }
  return {
    interner,
    agencyIndex,
    partyIndex,
    levelIndex,
    partyCount: A.parties.length,
    pairs,
    from: A.effective.from,
    until: A.effective.until,
    agreementRef: A.ref,
    hasWaiverPolicy: A.waivers !== undefined,
    maxWaiverMs: A.waivers === undefined ? -Infinity : maxDurationMs(A.waivers.maxDuration),
  };
}

/** The obligations of a tier-rule allow (everything but the deadline). */
export function ruleShape(
  pair: Pair,
  rules: readonly CandidateRule[],
  shaping: readonly PairConstraint[],
): ObligationShape {
  const parts: Contribution[] = [...pair.base];
  for (const r of rules) parts.push(r.contribution);
  for (const c of shaping) parts.push(c.contribution);
  return combineShape(parts);
}

/** The shaping constraints of a pair selected by a mask (`shapingCount` ≤ 30). */
export function shapingOf(pair: Pair, constraintMask: number): PairConstraint[] {
  return pair.constraints.filter((c) => (c.bit & constraintMask) !== 0);
}
