/**
 * The compiled engine: an agreement turned into tables (compile-tables.ts) and one decision
 * closure that walks them in the precedence order of docs/spec/decisions.md. No source text is
 * ever generated (STYLE.md: agreements never become code).
 *
 * SHARING: decisions that do not depend on the instant (unknown names, `not-in-force`,
 * `no-rule`, a denial by a single constraint or never-release rule) are frozen objects returned
 * to every caller, and every array and object inside an allow (`allowedBy`, `minimise`,
 * `handling`, `shapedBy`) is frozen and shared too. Callers must not mutate decisions; copy
 * them first if they need to.
 */
import type { Agreement, ClauseRef } from '../agreement/index.js';
import { ConcordatError, addDuration } from '../core/index.js';
import {
  dynMatches,
  pdBit,
  purposeBitOf,
  rsitBit,
  tlpBit,
  typeBitOf,
  type ReleaseBits,
} from './compile-match.js';
import { lookup, nameTable } from './compile-names.js';
import { retainUntil, type ObligationShape } from './compile-obligations.js';
import { holdsAll, pauseDenial, waiverGrants } from './compile-runtime.js';
import {
  K_FORBID,
  K_MAX_RETENTION,
  K_REQUIRE_CERT,
  buildTables,
  ruleShape,
  shapingOf,
  type AllowSlot,
  type CandidateRule,
  type Pair,
  type PairConstraint,
  type PairNever,
} from './compile-tables.js';
import type {
  ActiveWaiver,
  Allow,
  DecideFn,
  Decision,
  Deny,
  DenyStage,
  EngineFactory,
} from './types.js';

/** Sizes of a compiled engine's tables and how much it has been used. */
export interface CompiledStats {
  /** (agency, producing party) pairs, each with its own tables. */
  readonly pairs: number;
  /** Non-empty (pair, STIX type) rule buckets. */
  readonly buckets: number;
  /** Candidate rules over every bucket. */
  readonly candidateRules: number;
  /** Constraints kept over every pair (after party, scope and fixed-field filtering). */
  readonly constraints: number;
  /** Precombined obligation slots filled so far. */
  readonly slots: number;
  /** Decisions made by this engine's compiled path. */
  readonly decisions: number;
}

/** An agreement compiled to tables and a decision closure. */
export interface CompiledEngine {
  /** Always `'compiled'`: lets tests assert that the fast path is what ran. */
  readonly kind: 'compiled';
  readonly agreementId: string;
  readonly agreementVersion: number;
  /**
   * Decides a request. Returned decisions may be frozen and shared between calls: callers
   * must not mutate them.
   */
  readonly decide: DecideFn;
  /** Table sizes and the number of decisions made so far. */
  stats(): CompiledStats;
}

function frozenDeny(stage: DenyStage, deniedBy: readonly ClauseRef[]): Deny {
  return Object.freeze({ effect: 'deny', stage, deniedBy: Object.freeze([...deniedBy]) });
}

function allowSlot(
  pair: Pair,
  first: CandidateRule,
  rules: readonly CandidateRule[],
  shaping: readonly PairConstraint[],
): AllowSlot {
  return Object.freeze({
    allowedBy: Object.freeze(rules.map((r) => r.ref)),
    tier: first.tier,
    shape: ruleShape(pair, rules, shaping),
  });
}

function neverDenial(never: readonly PairNever[], bits: ReleaseBits): Deny | undefined {
  let first: PairNever | undefined;
  let all: ClauseRef[] | undefined;
  for (const n of never) {
    if (!dynMatches(n, bits)) continue;
    if (first === undefined) first = n;
    else (all ??= [first.ref]).push(n.ref);
  }
  if (all !== undefined) return { effect: 'deny', stage: 'never-release', deniedBy: all };
  return first?.alone;
}

function allowOf(
  allowedBy: readonly ClauseRef[],
  tier: string,
  at: number,
  shape: ObligationShape,
): Allow {
  return {
    effect: 'allow',
    allowedBy,
    byWaiver: false,
    tier,
    obligations: {
      retainUntil: retainUntil(at, shape.retention),
      minimise: shape.minimise,
      handling: shape.handling,
      shapedBy: shape.shapedBy,
    },
  };
}

/**
 * Compiles an agreement: interns its names, builds per-(agency, producer) tables of the
 * constraints, never-release rules and candidate tier rules that can concern the pair, and
 * returns a decision closure over them. Deeply equal, decision for decision, to the reference
 * interpreter (`referenceEngine`), which property tests check.
 */
export function compileAgreement(agreement: Agreement): CompiledEngine {
  const T = buildTables(agreement);
  const { pairs, partyCount, from, maxWaiverMs } = T;
  const agencyIndex = nameTable(T.agencyIndex);
  const partyIndex = nameTable(T.partyIndex);
  const levelIndex = nameTable(T.levelIndex);
  const typeIds = nameTable(T.interner.types);
  const purposeIds = nameTable(T.interner.purposes);
  const hasUntil = T.until !== undefined;
  const until = T.until ?? 0;
  const hasWaiverPolicy = T.hasWaiverPolicy;

  const NOT_IN_FORCE = frozenDeny('not-in-force', [T.agreementRef]);
  const UNKNOWN_AGENCY = frozenDeny('unknown-agency', []);
  const UNKNOWN_PURPOSE = frozenDeny('unknown-purpose', []);
  const UNKNOWN_PRODUCER = frozenDeny('unknown-producer', []);
  const UNKNOWN_LEVEL = frozenDeny('unknown-level', []);
  const NO_RULE = frozenDeny('no-rule', []);
  let decisions = 0;
  const scratch: ReleaseBits = {
    typeId: -1,
    typeBit: 0,
    tlp: 0,
    pd: 0,
    rsit: 0,
    purpose: 0,
    purposeBit: 0,
  };
  let lastLevelId: string | undefined;
  let lastLevel = 0;

  const decide: DecideFn = (req, state): Decision => {
    decisions++;
    const at = req.at;
    // 1. In force.
    if (at < from || (hasUntil && at >= until)) return NOT_IN_FORCE;
    // 2. Known names.
    const ai = lookup(agencyIndex, req.agency);
    if (ai < 0) return UNKNOWN_AGENCY;
    const purpose = lookup(purposeIds, req.purpose);
    if (purpose < 0) return UNKNOWN_PURPOSE;
    const o = req.object;
    const producer = lookup(partyIndex, o.producer);
    if (producer < 0) return UNKNOWN_PRODUCER;
    // The level changes rarely; remember the last one looked up (a string identity check).
    const levelId = state.level;
    let level = lastLevel;
    if (levelId !== lastLevelId) {
      const found = lookup(levelIndex, levelId);
      if (found < 0) return UNKNOWN_LEVEL;
      lastLevelId = levelId;
      lastLevel = level = found;
    }

    const pair = pairs[ai * partyCount + producer];
    // INVARIANT: buildTables makes one pair per (agency, party); a miss is a bug.
    if (pair === undefined) throw new ConcordatError('ERR_INTERNAL', 'no table for the pair');
    const agency = pair.agency;
    const typeId = lookup(typeIds, o.type);
    const tlp = tlpBit(o.tlp);
    const pd = pdBit(o.personalData);
    const rsit = rsitBit(o.rsit);
    const purposeBit = purposeBitOf(purpose);
    // One scratch record per engine: decisions are synchronous and never re-entered.
    const bits = scratch;
    bits.typeId = typeId;
    bits.typeBit = typeBitOf(typeId);
    bits.tlp = tlp;
    bits.pd = pd;
    bits.rsit = rsit;
    bits.purpose = purpose;
    bits.purposeBit = purposeBit;
    const revocations = state.revocations;

    // 4. Constraints win. Shaping constraints that apply are noted for the obligations.
    const masked = pair.shapingCount <= 20;
    let cmask = 0;
    let shaping: PairConstraint[] | undefined;
    let firstDeny: PairConstraint | undefined;
    let denied: ClauseRef[] | undefined;
    for (const c of pair.constraints) {
      if (!dynMatches(c, bits)) continue;
      const kind = c.kind;
      if (kind >= K_MAX_RETENTION) {
        if (masked) cmask |= c.bit;
        else (shaping ??= []).push(c);
      } else if (
        kind === K_FORBID ||
        (kind === K_REQUIRE_CERT && !holdsAll(c.cert, agency, at, revocations))
      ) {
        if (firstDeny === undefined) firstDeny = c;
        else (denied ??= [firstDeny.ref]).push(c.ref);
      }
    }
    if (firstDeny !== undefined) {
      return denied === undefined
        ? firstDeny.alone
        : { effect: 'deny', stage: 'constraint', deniedBy: denied };
    }

    // 5. Pauses.
    if (state.pauses.length > 0) {
      const paused = pauseDenial(state.pauses, req, pair.recipientParty);
      if (paused !== undefined) return paused;
    }

    // 6. Never release.
    const never = neverDenial(pair.never, bits);
    if (never !== undefined) return never;

    // 7. Tier rules: the pair's candidate rules for this type, in agreement order.
    const bucket = typeId >= 0 ? pair.buckets[typeId] : undefined;
    if (bucket !== undefined) {
      const rules = bucket.rules;
      const small = masked && rules.length <= 30;
      const conf = o.confidence;
      let rmask = 0;
      let allowing: CandidateRule[] | undefined;
      let first: CandidateRule | undefined;
      for (const r of rules) {
        if (
          (r.tlp & tlp) !== 0 &&
          (r.pd & pd) !== 0 &&
          (r.rsit & rsit) !== 0 &&
          (purposeBit !== 0
            ? (r.purposeMask & purposeBit) !== 0
            : r.purposes === null || r.purposes[purpose] === 1) &&
          r.fromLevel <= level &&
          level <= r.untilLevel &&
          (!r.hasMinConfidence || (conf !== undefined && conf >= r.minConfidence)) &&
          (!r.needsCert || holdsAll(r.cert, agency, at, revocations))
        ) {
          first ??= r;
          if (small) rmask |= r.bit;
          else (allowing ??= []).push(r);
        }
      }
      if (first !== undefined && rmask !== 0) {
        const key = rmask * pair.shapingScale + cmask;
        const dense = bucket.dense;
        let slot = dense === null ? bucket.slots.get(key) : dense[key];
        if (slot === undefined) {
          slot = allowSlot(
            pair,
            first,
            rules.filter((r) => (r.bit & rmask) !== 0),
            shapingOf(pair, cmask),
          );
          if (dense === null) bucket.slots.set(key, slot);
          else dense[key] = slot;
        }
        return allowOf(slot.allowedBy, slot.tier, at, slot.shape);
      }
      if (first !== undefined && allowing !== undefined) {
        const slot = allowSlot(
          pair,
          first,
          allowing,
          masked ? shapingOf(pair, cmask) : (shaping ?? []),
        );
        return allowOf(slot.allowedBy, slot.tier, at, slot.shape);
      }
    }

    // 8. Waivers, only under a waiver policy.
    const waivers = state.waivers;
    if (hasWaiverPolicy && waivers.length > 0) {
      let granted: ActiveWaiver[] | undefined;
      for (const w of waivers) {
        if (waiverGrants(w, req, maxWaiverMs)) (granted ??= []).push(w);
      }
      if (granted !== undefined && neverDenial(pair.neverWaive, bits) === undefined) {
        let shape: ObligationShape | undefined = masked ? pair.waiverSlots.get(cmask) : undefined;
        if (shape === undefined) {
          shape = ruleShape(pair, [], masked ? shapingOf(pair, cmask) : (shaping ?? []));
          if (masked) pair.waiverSlots.set(cmask, shape);
        }
        let deadline = retainUntil(at, shape.retention);
        const allowedBy: ClauseRef[] = [];
        for (const w of granted) {
          deadline = Math.min(deadline, addDuration(at, w.retention));
          allowedBy.push({ kind: 'waiver', id: w.id });
        }
        return {
          effect: 'allow',
          allowedBy,
          byWaiver: true,
          obligations: {
            retainUntil: deadline,
            minimise: shape.minimise,
            handling: shape.handling,
            shapedBy: shape.shapedBy,
          },
        };
      }
    }

    // 9. Deny by default.
    return NO_RULE;
  };

  return Object.freeze({
    kind: 'compiled' as const,
    agreementId: agreement.id,
    agreementVersion: agreement.version,
    decide,
    stats(): CompiledStats {
      let buckets = 0;
      let candidateRules = 0;
      let constraints = 0;
      let slots = 0;
      for (const p of pairs) {
        constraints += p.constraints.length;
        slots += p.waiverSlots.size;
        for (const b of p.buckets) {
          if (b === undefined) continue;
          buckets++;
          candidateRules += b.rules.length;
          slots += b.slots.size;
          if (b.dense !== null) for (const x of b.dense) if (x !== undefined) slots++;
        }
      }
      return { pairs: pairs.length, buckets, candidateRules, constraints, slots, decisions };
    },
  });
}

/** The compiled engine as an `EngineFactory` (see `compileAgreement`). */
export const compiledEngine: EngineFactory = (agreement) => compileAgreement(agreement).decide;
