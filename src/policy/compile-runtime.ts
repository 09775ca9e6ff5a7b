/**
 * The parts of a decision that depend on runtime state the compiler cannot see: pauses and
 * waivers (docs/spec/decisions.md, stages 5 and 8) and revocations of certifications (stage 3).
 * Their clauses arrive with each call, so they are matched by value, not through tables.
 */
import type { ClauseRef, Match } from '../agreement/index.js';
import type { CertNeed } from './compile-tables.js';
import type { ActiveWaiver, DecisionRequest, Deny, Pause, Revocation } from './types.js';

/** Stage 3: the agency holds every certification of `need` at `at`. */
export function holdsAll(
  need: CertNeed,
  agency: string,
  at: number,
  revocations: readonly Revocation[],
): boolean {
  const ids = need.ids;
  if (ids.length === 0) return true;
  if (!(at < need.expires)) return false;
  for (const r of revocations) {
    if (r.since <= at && r.agency === agency && ids.includes(r.certification)) return false;
  }
  return true;
}

/** A runtime `Match` (a pause's scope) against a release. */
function runtimeMatches(m: Match, req: DecisionRequest, recipientParty: string): boolean {
  const o = req.object;
  return (
    (m.types === undefined || m.types.includes(o.type)) &&
    (m.tlp === undefined || m.tlp.includes(o.tlp)) &&
    (m.personalData === undefined || m.personalData.includes(o.personalData)) &&
    (m.rsit === undefined || (o.rsit !== undefined && m.rsit.includes(o.rsit))) &&
    (m.purposes === undefined || m.purposes.includes(req.purpose)) &&
    (m.fromParties === undefined || m.fromParties.includes(o.producer)) &&
    (m.toParties === undefined || m.toParties.includes(recipientParty)) &&
    (m.toAgencies === undefined || m.toAgencies.includes(req.agency))
  );
}

/** Stage 5: the denial by every covering pause, in state order, or `undefined`. */
export function pauseDenial(
  pauses: readonly Pause[],
  req: DecisionRequest,
  recipientParty: string,
): Deny | undefined {
  let deniedBy: ClauseRef[] | undefined;
  const at = req.at;
  for (const p of pauses) {
    if (
      p.party === req.object.producer &&
      p.since <= at &&
      (p.until === undefined || at < p.until) &&
      runtimeMatches(p.scope, req, recipientParty)
    ) {
      (deniedBy ??= []).push({ kind: 'pause', id: p.id });
    }
  }
  return deniedBy === undefined ? undefined : { effect: 'deny', stage: 'pause', deniedBy };
}

/**
 * Stage 8 without never-waive: the waiver is in its window, within the policy's maximum
 * duration, names the agency, and its grants hold as a rule's would.
 */
export function waiverGrants(w: ActiveWaiver, req: DecisionRequest, maxWaiverMs: number): boolean {
  const at = req.at;
  const o = req.object;
  const g = w.grants;
  return (
    w.from <= at &&
    at < w.expires &&
    w.expires - w.from <= maxWaiverMs &&
    w.agencies.includes(req.agency) &&
    g.types.includes(o.type) &&
    g.tlp.includes(o.tlp) &&
    g.purposes.includes(req.purpose) &&
    g.personalData.includes(o.personalData) &&
    (g.rsit === undefined || (o.rsit !== undefined && g.rsit.includes(o.rsit)))
  );
}
