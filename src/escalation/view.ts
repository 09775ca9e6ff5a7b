/**
 * What holds at the state's instant, derived from the records: the level and why, active
 * waivers, pauses, revocations, post-incident reviews and compliance findings, and the
 * `DecisionState` the policy engine decides in.
 */
import type { Agreement, Match } from '../agreement/index.js';
import { addDuration, parseDuration } from '../core/index.js';
import type { ActiveWaiver, DecisionState, Pause, Revocation } from '../policy/index.js';
import type {
  ActiveRaise,
  ComplianceFinding,
  CurrentView,
  EscalationState,
  LevelView,
  PauseRecord,
  ReviewView,
  SanctionRecord,
  WaiverRecord,
  WaiverStatus,
} from './state.js';

/** The instant a waiver stopped (or will stop) being active; `undefined` if never approved. */
export function waiverEnd(w: WaiverRecord): number | undefined {
  if (w.from === undefined || w.expires === undefined) return undefined;
  return w.closedAt === undefined ? w.expires : Math.min(w.expires, w.closedAt);
}

/** A waiver's status at `at` (docs/spec/escalation.md "Waivers"). */
export function waiverStatus(w: WaiverRecord, at: number): WaiverStatus {
  if (w.refusals.length > 0) return 'refused';
  const end = waiverEnd(w);
  if (end === undefined) {
    if (w.closedAt !== undefined) return 'withdrawn';
    return at >= w.lapsesAt ? 'lapsed' : 'pending';
  }
  return at < end ? 'active' : 'ended';
}

function toActiveWaiver(w: WaiverRecord, end: number): ActiveWaiver | undefined {
  const retention = parseDuration(w.retention);
  if (w.from === undefined || retention === undefined) return undefined;
  const { types, tlp, purposes, personalData, rsit } = w.scope.grants;
  return {
    id: w.id,
    agencies: [...w.scope.agencies],
    grants: {
      types: [...types],
      tlp: [...tlp],
      purposes: [...purposes],
      personalData: [...personalData],
      ...(rsit === undefined ? {} : { rsit: [...rsit] }),
    },
    retention,
    from: w.from,
    expires: end,
  };
}

function levelView(agreement: Agreement, raises: readonly ActiveRaise[], since: number): LevelView {
  let cause: ActiveRaise | undefined;
  for (const r of raises)
    if (
      cause === undefined ||
      r.level > cause.level ||
      (r.level === cause.level && r.raisedAt < cause.raisedAt)
    )
      cause = r;
  const index = cause?.level ?? 0;
  const id = agreement.levels[index]?.id ?? '';
  return cause === undefined ? { index, id, since } : { index, id, since, cause };
}

function pauseOf(p: PauseRecord): Pause {
  const base = { id: p.id, party: p.party, scope: p.scope, since: p.since };
  return p.resumedAt === undefined ? base : { ...base, until: p.resumedAt };
}

function sanctionPauses(agreement: Agreement, s: SanctionRecord): Pause[] {
  let scope: Match | undefined;
  if ((s.action === 'suspend-agency' || s.action === 'downgrade-tier') && s.agency !== undefined)
    scope = { toAgencies: [s.agency] };
  else if (s.action === 'suspend-party' && s.party !== undefined) scope = { toParties: [s.party] };
  if (scope === undefined) return [];
  const only = scope;
  // Every party's sharing towards the sanctioned recipient stops for the sanction's duration.
  return agreement.parties.map((p) => ({
    id: `${s.id}:${p.id}`,
    party: p.id,
    scope: only,
    since: s.since,
    until: s.until,
  }));
}

/** Recomputes the view of what holds at `state.at`. */
export function currentView(state: Omit<EscalationState, 'current'>): CurrentView {
  const { agreement, at } = state;
  const waivers: ActiveWaiver[] = [];
  const reviews: ReviewView[] = [];
  const findings: ComplianceFinding[] = [];
  const policy = agreement.waivers;
  for (const w of state.waivers) {
    const end = waiverEnd(w);
    if (end === undefined) continue;
    if (at < end) {
      const active = toActiveWaiver(w, end);
      if (active !== undefined) waivers.push(active);
      continue;
    }
    if (policy === undefined) continue;
    // The post-incident review falls due `post_review_within` after the waiver ends.
    const due = addDuration(end, policy.postReviewWithin);
    const filed = w.reviewFiledAt;
    const overdue = filed === undefined && at >= due;
    if (filed === undefined) reviews.push({ waiver: w.id, opened: end, due, overdue });
    if (overdue) findings.push({ kind: 'review-overdue', waiver: w.id, due });
    if (filed !== undefined && filed >= due)
      findings.push({ kind: 'review-filed-late', waiver: w.id, due, filedAt: filed });
  }
  const pauses: Pause[] = state.pauses.map(pauseOf);
  const revocations: Revocation[] = [...state.revocations];
  for (const s of state.sanctions) {
    pauses.push(...sanctionPauses(agreement, s));
    if (
      s.action === 'revoke-certification' &&
      s.agency !== undefined &&
      s.certification !== undefined &&
      at < s.until
    )
      revocations.push({ agency: s.agency, certification: s.certification, since: s.since });
  }
  return {
    level: levelView(agreement, state.raises, state.levelSince),
    waivers,
    pauses,
    revocations,
    reviews,
    findings,
  };
}

/**
 * The runtime state the policy engine decides in at `state.at`: the level, the waivers active
 * at that instant, every pause (resumed ones with their `until`, so a release that started
 * while a pause was in force stays denied), and revocations.
 */
export function decisionState(state: EscalationState): DecisionState {
  const { current } = state;
  return {
    level: current.level.id,
    waivers: current.waivers,
    pauses: current.pauses,
    revocations: current.revocations,
  };
}
