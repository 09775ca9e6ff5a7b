/**
 * What each event does to the state (docs/spec/escalation.md "Events"). A handler either
 * changes the draft or records every reason it could not (`rejected`).
 */
import type { Agreement, ApprovalRule } from '../agreement/index.js';
import { addDuration, parseDuration } from '../core/index.js';
import { approvalMessage, checkStatement, eventDigest, quorumMet } from './approval.js';
import type { ApprovalProblem, RecordedApproval } from './approval.js';
import { observedConfidence } from './conditions.js';
import { endRaise, raiseOrRenew, reject, replaceWhere } from './draft.js';
import type { Draft } from './draft.js';
import type {
  ApprovalGiven,
  EscalationEvent,
  EscalationProposed,
  IncidentSignal,
  IntelQualityObserved,
  LevelLowered,
  PauseStarted,
  SanctionApplied,
  WaiverRequested,
} from './events.js';
import type { WaiverRecord } from './state.js';
import { checkWaiverRequest } from './waiver-check.js';
import { waiverEnd, waiverStatus } from './view.js';

/** True when `actor` is `party` itself or one of its designated officials. */
function speaksFor(agreement: Agreement, actor: string, party: string): boolean {
  return actor === party || agreement.officials.some((o) => o.id === actor && o.party === party);
}

/** True when `actor` is a party or a designated official of the agreement. */
function isMember(agreement: Agreement, actor: string): boolean {
  return (
    agreement.parties.some((p) => p.id === actor) || agreement.officials.some((o) => o.id === actor)
  );
}

function partyOf(agreement: Agreement, official: string): string | undefined {
  return agreement.officials.find((o) => o.id === official)?.party;
}

function recordApproval(
  d: Draft,
  e: ApprovalGiven,
  rule: ApprovalRule,
  action: 'approve-escalation' | 'approve-waiver',
  digest: string,
  previous: readonly RecordedApproval[],
): RecordedApproval {
  const message = approvalMessage(d.agreement, action, digest, e.official);
  const problems: ApprovalProblem[] = checkStatement(
    d.agreement,
    rule,
    d.keys,
    e.official,
    message,
    e.signature,
  );
  // INVARIANT: one official counts once, however many times they approve.
  if (previous.some((a) => a.official === e.official && a.problems.length === 0))
    problems.push('duplicate');
  return {
    id: e.id,
    official: e.official,
    party: partyOf(d.agreement, e.official),
    at: e.at,
    problems,
  };
}

function onProposal(d: Draft, e: EscalationProposed): void {
  const trigger = d.agreement.triggers.find((t) => t.id === e.trigger);
  const reasons: string[] = [];
  if (!isMember(d.agreement, e.actor))
    reasons.push(`actor \`${e.actor}\` is not a party or official`);
  if (trigger === undefined) return reject(d, e, [...reasons, `unknown trigger \`${e.trigger}\``]);
  const level = d.agreement.levels[trigger.raiseTo];
  if (level?.id !== e.toLevel)
    reasons.push(
      `trigger \`${trigger.id}\` raises to \`${level?.id ?? '?'}\`, not \`${e.toLevel}\``,
    );
  const track = d.triggers.find((t) => t.trigger === trigger.id);
  if (track?.whenSince === undefined)
    reasons.push(`the condition of trigger \`${trigger.id}\` does not hold`);
  if (d.proposals.some((p) => p.trigger === trigger.id && p.status === 'pending'))
    reasons.push(`trigger \`${trigger.id}\` already has a pending proposal`);
  if (reasons.length > 0) return reject(d, e, reasons);
  const renewal = d.raises.some((r) => r.trigger === trigger.id);
  const base = {
    id: e.id,
    trigger: trigger.id,
    level: trigger.raiseTo,
    at: e.at,
    proposer: e.actor,
    digest: eventDigest(e),
    renewal,
    approvals: [],
  };
  if (trigger.approval.automatic) {
    const failed = raiseOrRenew(d, trigger, e.at, e.id, [], 'automatic');
    if (failed !== undefined) return reject(d, e, [failed]);
    d.proposals.push({ ...base, status: 'approved', closedAt: e.at });
  } else d.proposals.push({ ...base, status: 'pending' });
}

function onApproval(d: Draft, e: ApprovalGiven): void {
  if (e.subject.kind === 'escalation') {
    const p = d.proposals.find((x) => x.id === e.subject.id);
    if (p === undefined) return reject(d, e, [`unknown proposal \`${e.subject.id}\``]);
    if (p.status !== 'pending') return reject(d, e, [`proposal \`${p.id}\` is ${p.status}`]);
    const trigger = d.agreement.triggers.find((t) => t.id === p.trigger);
    if (trigger === undefined) return reject(d, e, [`unknown trigger \`${p.trigger}\``]);
    const approval = recordApproval(
      d,
      e,
      trigger.approval,
      'approve-escalation',
      p.digest,
      p.approvals,
    );
    const approvals = [...p.approvals, approval];
    const met = quorumMet(trigger.approval, approvals);
    // A pending proposal lapses as soon as its condition stops holding, so it holds here.
    const failed = met ? raiseOrRenew(d, trigger, e.at, p.id, approvals, 'approved') : undefined;
    replaceWhere(
      d.proposals,
      (x) => x.id === p.id,
      (x) =>
        met && failed === undefined
          ? { ...x, approvals, status: 'approved' as const, closedAt: e.at }
          : { ...x, approvals },
    );
    if (failed !== undefined) reject(d, e, [failed]);
    return;
  }
  const w = d.waivers.find((x) => x.id === e.subject.id);
  const policy = d.agreement.waivers;
  if (w === undefined) return reject(d, e, [`unknown waiver \`${e.subject.id}\``]);
  if (policy === undefined) return reject(d, e, ['the agreement has no waiver policy']);
  const status = waiverStatus(w, e.at);
  if (status !== 'pending') return reject(d, e, [`waiver \`${w.id}\` is ${status}`]);
  const approval = recordApproval(d, e, policy.approval, 'approve-waiver', w.digest, w.approvals);
  const approvals = [...w.approvals, approval];
  replaceWhere(
    d.waivers,
    (x) => x.id === w.id,
    (x) =>
      quorumMet(policy.approval, approvals)
        ? activate({ ...x, approvals }, e.at)
        : { ...x, approvals },
  );
}

function activate(w: WaiverRecord, at: number): WaiverRecord {
  const duration = parseDuration(w.duration);
  // A request with a malformed duration is refused, so it never reaches here.
  return duration === undefined ? w : { ...w, from: at, expires: addDuration(at, duration) };
}

function onWaiverRequest(d: Draft, e: WaiverRequested): void {
  const reasons: string[] = [];
  if (!isMember(d.agreement, e.actor))
    reasons.push(`actor \`${e.actor}\` is not a party or official`);
  if (reasons.length > 0) return reject(d, e, reasons);
  const policy = d.agreement.waivers;
  const record: WaiverRecord = {
    id: e.id,
    requestedAt: e.at,
    requestedBy: e.actor,
    digest: eventDigest(e),
    justification: e.justification,
    scope: e.scope,
    duration: e.duration,
    retention: e.retention,
    refusals: checkWaiverRequest(d.agreement, e),
    approvals: [],
    // Nothing extraordinary waits forever: an unapproved request lapses after the maximum.
    lapsesAt: policy === undefined ? e.at : addDuration(e.at, policy.maxDuration),
  };
  d.waivers.push(
    record.refusals.length === 0 && policy?.approval.automatic === true
      ? activate(record, e.at)
      : record,
  );
}

function onLowered(d: Draft, e: LevelLowered): void {
  if (e.reason !== 'manual') {
    const derived = d.transitions.some(
      (t) =>
        t.at === e.at && t.kind === 'lowered' && t.reason === e.reason && t.trigger === e.trigger,
    );
    if (!derived)
      d.anomalies.push({
        id: e.id,
        type: e.type,
        at: e.at,
        message: `no ${e.reason} lowering of \`${e.trigger}\` at this instant`,
      });
    return;
  }
  const trigger = d.agreement.triggers.find((t) => t.id === e.trigger);
  if (trigger === undefined) return reject(d, e, [`unknown trigger \`${e.trigger}\``]);
  const raise = d.raises.find((r) => r.trigger === trigger.id);
  const problems = checkStatement(
    d.agreement,
    trigger.approval,
    d.keys,
    e.official,
    approvalMessage(d.agreement, 'lower', eventDigest(e), e.official),
    e.signature,
  );
  const reasons: string[] = problems.map((p) => `official \`${e.official}\`: ${p}`);
  if (raise === undefined) reasons.push(`trigger \`${trigger.id}\` has no raise in force`);
  if (reasons.length > 0 || raise === undefined) return reject(d, e, reasons);
  endRaise(d, raise, e.at, 'manual');
}

function onPause(d: Draft, e: PauseStarted): void {
  const reasons: string[] = [];
  if (!d.agreement.parties.some((p) => p.id === e.party))
    reasons.push(`unknown party \`${e.party}\``);
  else if (!speaksFor(d.agreement, e.actor, e.party))
    reasons.push(`actor \`${e.actor}\` does not speak for party \`${e.party}\``);
  if (reasons.length > 0) return reject(d, e, reasons);
  const policy = d.agreement.disputes;
  const first = policy?.stages[0];
  const opens = e.dispute !== undefined && first !== undefined;
  // INVARIANT: effective for every release starting at or after the pause instant.
  d.pauses.push({
    id: e.id,
    party: e.party,
    scope: e.scope,
    reason: e.reason,
    since: e.at,
    ...(opens ? { dispute: e.id } : {}),
  });
  if (opens && e.dispute !== undefined)
    d.disputes.push({
      id: e.id,
      party: e.party,
      subject: e.dispute.subject,
      openedAt: e.at,
      pause: e.id,
      stage: first.stage,
      stageDue: addDuration(e.at, first.within),
    });
}

function onSanction(d: Draft, e: SanctionApplied): void {
  const s = d.agreement.sanctions.find((x) => x.id === e.sanction);
  if (s === undefined) return reject(d, e, [`unknown sanction \`${e.sanction}\``]);
  const reasons: string[] = [];
  const agency = d.agreement.agencies.find((a) => a.id === e.agency);
  if (s.action !== 'suspend-party' && agency === undefined)
    reasons.push(`sanction \`${s.id}\` (${s.action}) needs a known \`agency\``);
  if (s.action === 'suspend-party' && !d.agreement.parties.some((p) => p.id === e.party))
    reasons.push(`sanction \`${s.id}\` (suspend-party) needs a known \`party\``);
  if (
    s.action === 'revoke-certification' &&
    !agency?.certifications.some((c) => c.id === e.certification)
  )
    reasons.push(`sanction \`${s.id}\` needs a \`certification\` the agency holds`);
  if (reasons.length > 0) return reject(d, e, reasons);
  d.sanctions.push({
    id: e.id,
    sanction: s.id,
    action: s.action,
    finding: e.finding,
    since: e.at,
    until: addDuration(e.at, s.duration),
    ...(e.agency === undefined ? {} : { agency: e.agency }),
    ...(e.party === undefined ? {} : { party: e.party }),
    ...(e.certification === undefined ? {} : { certification: e.certification }),
    ...(s.action === 'downgrade-tier' ? { enforcedAs: 'suspend-agency' as const } : {}),
  });
}

/**
 * For an automatic input (one with `window`): false, with the event rejected, when its window
 * starts before the end of the latest automatic window of its type — it would count objects
 * again (two passes at once, or a replayed pass). Events of one pass share one window.
 * Records the window otherwise.
 */
function continuesAutomatic(d: Draft, e: IncidentSignal | IntelQualityObserved): boolean {
  if (e.window === undefined) return true;
  const last = d.inputs.automatic?.[e.type];
  if (
    last !== undefined &&
    !(last.from === e.window.from && last.to === e.window.to) &&
    e.window.from < last.to
  ) {
    reject(d, e, [
      `the automatic ${e.type} window starts at ${new Date(e.window.from).toISOString()}, before the end of the last one (${new Date(last.to).toISOString()}): its objects were already counted`,
    ]);
    return false;
  }
  d.inputs = { ...d.inputs, automatic: { ...d.inputs.automatic, [e.type]: e.window } };
  return true;
}

/** Applies one structurally valid event at `e.at` (the clock has been advanced to it). */
export function handle(d: Draft, e: EscalationEvent): void {
  const { agreement } = d;
  switch (e.type) {
    case 'risk-rating-published': {
      if (!agreement.parties.some((p) => p.id === e.party))
        return reject(d, e, [`unknown party \`${e.party}\``]);
      if (!speaksFor(agreement, e.actor, e.party))
        return reject(d, e, [`actor \`${e.actor}\` does not speak for party \`${e.party}\``]);
      const rating = {
        party: e.party,
        rating: e.rating,
        setBy: e.setBy,
        reason: e.reason,
        at: e.at,
        event: e.id,
      };
      const others = d.inputs.ratings.filter((r) => r.party !== e.party);
      d.inputs = { ...d.inputs, ratings: [...others, rating] };
      return;
    }
    case 'intel-quality-observed': {
      if (!continuesAutomatic(d, e)) return;
      const confidence = observedConfidence(e.grade, e.confidence);
      const grade = {
        objectRef: e.objectRef,
        grade: e.grade,
        at: e.at,
        ...(confidence === undefined ? {} : { confidence }),
      };
      d.inputs = {
        ...d.inputs,
        grades: [...d.inputs.grades.filter((g) => g.objectRef !== e.objectRef), grade],
      };
      return;
    }
    case 'incident-signal':
      if (!continuesAutomatic(d, e)) return;
      d.inputs = {
        ...d.inputs,
        signals: [...d.inputs.signals, { at: e.at, rsit: e.rsit, tlp: e.tlp, count: e.count }],
      };
      return;
    case 'escalation-proposed':
      return onProposal(d, e);
    case 'approval':
      return onApproval(d, e);
    case 'level-raised':
    case 'level-renewed': {
      const kind = e.type === 'level-raised' ? 'raised' : 'renewed';
      const ok =
        d.transitions.some((t) => t.at === e.at && t.kind === kind && t.trigger === e.trigger) &&
        (e.type === 'level-raised'
          ? d.agreement.levels[d.raises.find((r) => r.trigger === e.trigger)?.level ?? -1]?.id ===
            e.toLevel
          : d.raises.some((r) => r.trigger === e.trigger && r.expiresAt === e.until));
      if (!ok)
        d.anomalies.push({
          id: e.id,
          type: e.type,
          at: e.at,
          message: `replay derived no matching ${kind} of \`${e.trigger}\``,
        });
      return;
    }
    case 'level-lowered':
      return onLowered(d, e);
    case 'waiver-requested':
      return onWaiverRequest(d, e);
    case 'waiver-approved': {
      const w = d.waivers.find((x) => x.id === e.waiver);
      if (w?.from !== e.at || w.expires !== e.expires)
        d.anomalies.push({
          id: e.id,
          type: e.type,
          at: e.at,
          message: `replay derived no approval of waiver \`${e.waiver}\` expiring then`,
        });
      return;
    }
    case 'waiver-closed': {
      const w = d.waivers.find((x) => x.id === e.waiver);
      if (w === undefined) return reject(d, e, [`unknown waiver \`${e.waiver}\``]);
      if (!isMember(agreement, e.actor))
        return reject(d, e, [`actor \`${e.actor}\` is not a party or official`]);
      const status = waiverStatus(w, e.at);
      if (status !== 'pending' && status !== 'active')
        return reject(d, e, [`waiver \`${w.id}\` is ${status}`]);
      replaceWhere(
        d.waivers,
        (x) => x.id === w.id,
        (x) => ({ ...x, closedAt: e.at }),
      );
      return;
    }
    case 'waiver-review-filed': {
      const w = d.waivers.find((x) => x.id === e.waiver);
      if (w === undefined) return reject(d, e, [`unknown waiver \`${e.waiver}\``]);
      const end = waiverEnd(w);
      const reasons: string[] = [];
      if (end === undefined || e.at < end) reasons.push(`waiver \`${w.id}\` has not ended`);
      if (w.reviewFiledAt !== undefined)
        reasons.push(`the review of waiver \`${w.id}\` was already filed`);
      if (reasons.length > 0) return reject(d, e, reasons);
      replaceWhere(
        d.waivers,
        (x) => x.id === w.id,
        (x) => ({ ...x, reviewFiledAt: e.at, reviewRef: e.reportRef }),
      );
      return;
    }
    case 'pause':
      return onPause(d, e);
    case 'resume': {
      const p = d.pauses.find((x) => x.id === e.pause);
      const reasons: string[] = [];
      if (p === undefined) reasons.push(`unknown pause \`${e.pause}\``);
      else {
        // Only the pausing party resumes its own sharing.
        if (p.party !== e.party) reasons.push(`pause \`${p.id}\` belongs to party \`${p.party}\``);
        if (!speaksFor(agreement, e.actor, p.party))
          reasons.push(`actor \`${e.actor}\` does not speak for party \`${p.party}\``);
        if (p.resumedAt !== undefined) reasons.push(`pause \`${p.id}\` was already resumed`);
      }
      if (reasons.length > 0) return reject(d, e, reasons);
      replaceWhere(
        d.pauses,
        (x) => x.id === e.pause,
        (x) => ({ ...x, resumedAt: e.at }),
      );
      return;
    }
    case 'certification-revoked': {
      const agency = agreement.agencies.find((a) => a.id === e.agency);
      if (agency === undefined) return reject(d, e, [`unknown agency \`${e.agency}\``]);
      if (!agency.certifications.some((c) => c.id === e.certification))
        return reject(d, e, [
          `agency \`${agency.id}\` holds no certification \`${e.certification}\``,
        ]);
      d.revocations.push({ agency: e.agency, certification: e.certification, since: e.at });
      return;
    }
    case 'sanction-applied':
      return onSanction(d, e);
  }
}
