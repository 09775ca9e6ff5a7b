/**
 * The reference interpreter: docs/spec/decisions.md read aloud, one step after another, with no
 * caching, no indexing and no cleverness. It is the oracle the compiled engine is
 * differential-tested against (STYLE.md: a naive reference beside the fast path), so it shares
 * nothing with the compiled engine but the model types, the minimisation/handling algebra of
 * src/agreement and the duration arithmetic of src/core.
 *
 * Every section below is headed by the spec section it implements.
 */
import {
  NO_MINIMISATION,
  PERMISSIVE_HANDLING,
  combineMinimisation,
  stricterHandling,
  type Agency,
  type Agreement,
  type ClauseRef,
  type Constraint,
  type Extension,
  type Handling,
  type Match,
  type Minimisation,
  type NeverRelease,
  type Tier,
} from '../../agreement/index.js';
import { addDuration, maxDurationMs, type Duration } from '../../core/index.js';
import type {
  ActiveWaiver,
  DecideFn,
  Decision,
  DecisionRequest,
  DecisionState,
  DenyStage,
  EngineFactory,
  Pause,
} from '../types.js';

function deny(stage: DenyStage, deniedBy: readonly ClauseRef[]): Decision {
  return { effect: 'deny', stage, deniedBy };
}

// "Matching a Match against a release": every present field holds.
function matches(m: Match, req: DecisionRequest, recipientParty: string): boolean {
  const o = req.object;
  if (m.types !== undefined && !m.types.includes(o.type)) return false;
  if (m.tlp !== undefined && !m.tlp.includes(o.tlp)) return false;
  if (m.personalData !== undefined && !m.personalData.includes(o.personalData)) return false;
  if (m.rsit !== undefined && !(o.rsit !== undefined && m.rsit.includes(o.rsit))) return false;
  if (m.purposes !== undefined && !m.purposes.includes(req.purpose)) return false;
  if (m.fromParties !== undefined && !m.fromParties.includes(o.producer)) return false;
  if (m.toParties !== undefined && !m.toParties.includes(recipientParty)) return false;
  if (m.toAgencies !== undefined && !m.toAgencies.includes(req.agency)) return false;
  return true;
}

// Stage 3, "Held certifications".
function holds(agency: Agency, certification: string, at: number, state: DecisionState): boolean {
  const listed = agency.certifications.some((c) => c.id === certification && at < c.expires);
  if (!listed) return false;
  const revoked = state.revocations.some(
    (r) => r.agency === agency.id && r.certification === certification && r.since <= at,
  );
  return !revoked;
}

function holdsAll(
  agency: Agency,
  certifications: readonly string[],
  at: number,
  state: DecisionState,
): boolean {
  return certifications.every((c) => holds(agency, c, at, state));
}

// Stage 4: a constraint of party P applies by scope and `when`.
function constraintApplies(c: Constraint, req: DecisionRequest, recipientParty: string): boolean {
  const outgoing =
    (c.scope === 'outgoing' || c.scope === 'both') && req.object.producer === c.party;
  const incoming = (c.scope === 'incoming' || c.scope === 'both') && recipientParty === c.party;
  return (outgoing || incoming) && matches(c.when, req, recipientParty);
}

// Stage 5: a pause covers a release.
function pauseCovers(p: Pause, req: DecisionRequest, recipientParty: string): boolean {
  return (
    p.party === req.object.producer &&
    p.since <= req.at &&
    (p.until === undefined || req.at < p.until) &&
    matches(p.scope, req, recipientParty)
  );
}

// Stage 6: an extension covers a release.
function extensionCovers(e: Extension, producer: string, recipientParty: string): boolean {
  return e.parties.includes(producer) && e.parties.includes(recipientParty);
}

// Stage 7: a tier is eligible.
function tierEligible(
  t: Tier,
  A: Agreement,
  agency: Agency,
  req: DecisionRequest,
  recipientParty: string,
  state: DecisionState,
): boolean {
  if (t.extension !== undefined) {
    const ext = A.extensions.find((e) => e.id === t.extension);
    if (ext === undefined || !extensionCovers(ext, req.object.producer, recipientParty)) {
      return false;
    }
  }
  return (
    t.agencies.includes(req.agency) && holdsAll(agency, t.requiresCertifications, req.at, state)
  );
}

// Stage 8: a waiver allows.
function waiverAllows(
  w: ActiveWaiver,
  A: Agreement,
  req: DecisionRequest,
  recipientParty: string,
): boolean {
  const policy = A.waivers;
  if (policy === undefined) return false;
  const o = req.object;
  const g = w.grants;
  return (
    w.from <= req.at &&
    req.at < w.expires &&
    w.expires - w.from <= maxDurationMs(policy.maxDuration) &&
    w.agencies.includes(req.agency) &&
    g.types.includes(o.type) &&
    g.tlp.includes(o.tlp) &&
    g.purposes.includes(req.purpose) &&
    g.personalData.includes(o.personalData) &&
    (g.rsit === undefined || (o.rsit !== undefined && g.rsit.includes(o.rsit))) &&
    !policy.neverWaive.some((n) => matches(n.match, req, recipientParty))
  );
}

// "Obligations of an allowed release".
function allow(
  A: Agreement,
  req: DecisionRequest,
  recipientParty: string,
  covering: readonly Extension[],
  allowedBy: readonly ClauseRef[],
  byWaiver: boolean,
  tier: string | undefined,
  retentions: readonly Duration[],
  minimisations: readonly Minimisation[],
  handlings: readonly Handling[],
): Decision {
  const shaping = A.parties
    .flatMap((p) => p.constraints)
    .filter(
      (c) =>
        (c.kind === 'max-retention' || c.kind === 'minimise') &&
        constraintApplies(c, req, recipientParty),
    );

  const allRetentions: Duration[] = [A.core.maxRetention];
  for (const e of covering) if (e.maxRetention !== undefined) allRetentions.push(e.maxRetention);
  allRetentions.push(...retentions);
  for (const c of shaping) if (c.kind === 'max-retention') allRetentions.push(c.retention);
  const retainUntil = Math.min(...allRetentions.map((d) => addDuration(req.at, d)));

  const allMinimisations: Minimisation[] = [A.core.minimise];
  for (const e of covering) allMinimisations.push(e.minimise);
  allMinimisations.push(...minimisations);
  for (const c of shaping) if (c.kind === 'minimise') allMinimisations.push(c.minimise);
  const minimise = allMinimisations.reduce(combineMinimisation, NO_MINIMISATION);

  const allHandlings: Handling[] = [A.core.handling, ...covering.map((e) => e.handling)];
  allHandlings.push(...handlings);
  const handling = allHandlings.reduce(stricterHandling, PERMISSIVE_HANDLING);

  const shapedBy = [A.core.ref, ...covering.map((e) => e.ref), ...shaping.map((c) => c.ref)];

  const obligations = { retainUntil, minimise, handling, shapedBy };
  return tier === undefined
    ? { effect: 'allow', allowedBy, byWaiver, obligations }
    : { effect: 'allow', allowedBy, byWaiver, tier, obligations };
}

/** Decides one request against one agreement, exactly as docs/spec/decisions.md says. */
function referenceDecide(A: Agreement, req: DecisionRequest, state: DecisionState): Decision {
  const at = req.at;

  // 1. In force.
  if (at < A.effective.from || (A.effective.until !== undefined && at >= A.effective.until)) {
    return deny('not-in-force', [A.ref]);
  }

  // 2. Known names.
  const agency = A.agencies.find((a) => a.id === req.agency);
  if (agency === undefined) return deny('unknown-agency', []);
  if (!A.purposes.some((p) => p.id === req.purpose)) return deny('unknown-purpose', []);
  if (!A.parties.some((p) => p.id === req.object.producer)) return deny('unknown-producer', []);
  const levelEntry = A.levels.find((l) => l.id === state.level);
  if (levelEntry === undefined) return deny('unknown-level', []);
  const recipientParty = agency.party;
  const level = levelEntry.index;

  // 4. Constraints win (parties in order, each party's constraints in order).
  const constraintDenials: ClauseRef[] = [];
  for (const party of A.parties) {
    for (const c of party.constraints) {
      if (!constraintApplies(c, req, recipientParty)) continue;
      if (c.kind === 'forbid') constraintDenials.push(c.ref);
      if (c.kind === 'require-certification' && !holdsAll(agency, c.certifications, at, state)) {
        constraintDenials.push(c.ref);
      }
    }
  }
  if (constraintDenials.length > 0) return deny('constraint', constraintDenials);

  // 5. Pauses (state order).
  const pauses = state.pauses.filter((p) => pauseCovers(p, req, recipientParty));
  if (pauses.length > 0) {
    return deny(
      'pause',
      pauses.map((p) => ({ kind: 'pause', id: p.id })),
    );
  }

  // 6. Never release: the core's, then each covering extension's.
  const covering = A.extensions.filter((e) =>
    extensionCovers(e, req.object.producer, recipientParty),
  );
  const neverRules: NeverRelease[] = [...A.core.neverRelease];
  for (const e of covering) neverRules.push(...e.neverRelease);
  const neverMatches = neverRules.filter((n) => matches(n.match, req, recipientParty));
  if (neverMatches.length > 0) {
    return deny(
      'never-release',
      neverMatches.map((n) => n.ref),
    );
  }

  // 7. Tier rules.
  const o = req.object;
  const allowing: { ruleRef: ClauseRef; tier: string; rule: Tier['rules'][number] }[] = [];
  for (const t of A.tiers) {
    if (!tierEligible(t, A, agency, req, recipientParty, state)) continue;
    for (const r of t.rules) {
      if (
        r.types.includes(o.type) &&
        r.tlp.includes(o.tlp) &&
        r.purposes.includes(req.purpose) &&
        r.personalData.includes(o.personalData) &&
        (r.rsit === undefined || (o.rsit !== undefined && r.rsit.includes(o.rsit))) &&
        (r.minConfidence === undefined ||
          (o.confidence !== undefined && o.confidence >= r.minConfidence)) &&
        r.fromLevel <= level &&
        level <= r.untilLevel
      ) {
        allowing.push({ ruleRef: r.ref, tier: t.id, rule: r });
      }
    }
  }
  const first = allowing[0];
  if (first !== undefined) {
    return allow(
      A,
      req,
      recipientParty,
      covering,
      allowing.map((a) => a.ruleRef),
      false,
      first.tier,
      allowing.map((a) => a.rule.retention),
      allowing.map((a) => a.rule.minimise),
      allowing.map((a) => a.rule.handling),
    );
  }

  // 8. Waivers (state order), only under a waiver policy.
  if (A.waivers !== undefined) {
    const waivers = state.waivers.filter((w) => waiverAllows(w, A, req, recipientParty));
    if (waivers.length > 0) {
      return allow(
        A,
        req,
        recipientParty,
        covering,
        waivers.map((w) => ({ kind: 'waiver', id: w.id })),
        true,
        undefined,
        waivers.map((w) => w.retention),
        [],
        [],
      );
    }
  }

  // 9. Deny by default.
  return deny('no-rule', []);
}

/**
 * The reference interpreter as an engine: a naive, obviously correct reading of
 * docs/spec/decisions.md. Slow by design; use it as an oracle, not in production.
 */
export const referenceEngine: EngineFactory = (agreement: Agreement): DecideFn => {
  return (request, state) => referenceDecide(agreement, request, state);
};
