/**
 * JSON views of escalation state for the REST API (docs/escalation-api.md): instants as RFC
 * 3339, levels by id, approvals with their problems. Metadata only — escalation events never
 * carry intelligence.
 */
import type { Agreement } from '../../agreement/index.js';
import { formatInstant } from '../../core/index.js';
import { waiverStatus } from '../../escalation/index.js';
import type {
  ActiveRaise,
  EscalationState,
  LevelTransition,
  RecordedApproval,
  TriggerEvaluation,
} from '../../escalation/index.js';
import type { EscalationRecordResult } from './escalation-port.js';

const iso = (t: number): string => formatInstant(t);

function levelId(a: Agreement, index: number): string {
  return a.levels[index]?.id ?? String(index);
}

/** An approval as the API shows it. */
export function approvalView(a: RecordedApproval): Record<string, unknown> {
  return {
    id: a.id,
    official: a.official,
    ...(a.party === undefined ? {} : { party: a.party }),
    at: iso(a.at),
    problems: [...a.problems],
  };
}

function causeView(r: ActiveRaise): Record<string, unknown> {
  return {
    raise: r.id,
    trigger: r.trigger,
    raisedAt: iso(r.raisedAt),
    sunset: iso(r.expiresAt),
    approvals: r.approvals.map(approvalView),
  };
}

/** The current level, its cause and sunset. */
export function levelView(s: EscalationState): Record<string, unknown> {
  const l = s.current.level;
  return {
    id: l.id,
    index: l.index,
    since: iso(l.since),
    ...(l.cause === undefined ? {} : { cause: causeView(l.cause) }),
  };
}

/** `GET …/level`: the level and every proposal with what approvals sign. */
export function levelStateView(s: EscalationState): Record<string, unknown> {
  return {
    agreement: s.agreement.id,
    at: iso(s.at),
    level: levelView(s),
    proposals: s.proposals.map((p) => ({
      id: p.id,
      trigger: p.trigger,
      toLevel: levelId(s.agreement, p.level),
      at: iso(p.at),
      digest: p.digest,
      status: p.status,
      approvals: p.approvals.map(approvalView),
    })),
  };
}

/** One level change. */
export function transitionView(a: Agreement, t: LevelTransition): Record<string, unknown> {
  return {
    at: iso(t.at),
    kind: t.kind,
    reason: t.reason,
    trigger: t.trigger,
    raise: t.raise,
    from: levelId(a, t.from),
    to: levelId(a, t.to),
  };
}

/** Every party's latest rating (never published = 0). */
export function ratingsView(s: EscalationState): Record<string, unknown> {
  return {
    agreement: s.agreement.id,
    at: iso(s.at),
    ratings: s.agreement.parties.map((p) => {
      const r = s.inputs.ratings.find((x) => x.party === p.id);
      return r === undefined
        ? { party: p.id, rating: 0, published: false }
        : {
            party: p.id,
            rating: r.rating,
            published: true,
            setBy: r.setBy,
            reason: r.reason,
            at: iso(r.at),
            event: r.event,
          };
    }),
  };
}

/** One trigger's evaluation; `file` locates its clause. */
export function evaluationView(e: TriggerEvaluation, file: string): Record<string, unknown> {
  return {
    trigger: e.trigger,
    raisesTo: e.raisesTo,
    holds: e.when.holds,
    ...(e.when.since === undefined ? {} : { since: iso(e.when.since) }),
    ...(e.lower === undefined
      ? {}
      : {
          lower: {
            holds: e.lower.holds,
            held: e.lower.held,
            ...(e.lower.since === undefined ? {} : { since: iso(e.lower.since) }),
            ...(e.lower.completesAt === undefined ? {} : { completesAt: iso(e.lower.completesAt) }),
          },
        }),
    ...(e.raised === undefined
      ? {}
      : { raised: { id: e.raised.id, since: iso(e.raised.since), sunset: iso(e.raised.sunset) } }),
    ...(e.pending === undefined ? {} : { pending: e.pending }),
    next: e.next,
    clause: {
      id: e.ref.id,
      at: e.ref.source === undefined ? file : `${file}:${e.ref.source.line}:${e.ref.source.column}`,
    },
  };
}

/**
 * Every waiver request with its status at the state's instant, its post-incident review (due,
 * filed, overdue), and the compliance findings oversight sees (`review-overdue`,
 * `review-filed-late`).
 */
export function waiversView(s: EscalationState): Record<string, unknown> {
  const reviews = new Map(s.current.reviews.map((r) => [r.waiver, r]));
  return {
    agreement: s.agreement.id,
    at: iso(s.at),
    findings: s.current.findings.map((f) => ({
      kind: f.kind,
      waiver: f.waiver,
      due: iso(f.due),
      ...(f.filedAt === undefined ? {} : { filedAt: iso(f.filedAt) }),
    })),
    waivers: s.waivers.map((w) => ({
      id: w.id,
      status: waiverStatus(w, s.at),
      requestedAt: iso(w.requestedAt),
      requestedBy: w.requestedBy,
      digest: w.digest,
      justification: w.justification,
      scope: w.scope,
      duration: w.duration,
      retention: w.retention,
      approvals: w.approvals.map(approvalView),
      lapsesAt: iso(w.lapsesAt),
      ...(w.from === undefined ? {} : { from: iso(w.from) }),
      ...(w.expires === undefined ? {} : { expires: iso(w.expires) }),
      ...(w.closedAt === undefined ? {} : { closedAt: iso(w.closedAt) }),
      ...reviewOf(reviews.get(w.id), w.reviewFiledAt, w.reviewRef),
    })),
  };
}

/**
 * Pauses (with their dispute, if one was opened with them) and the sanctions that suspend
 * sharing: each with `inForce` at the state's instant. What a pause covers is its `scope`, a
 * match over releases (docs/spec/escalation.md).
 */
export function pausesView(s: EscalationState): Record<string, unknown> {
  const disputes = new Map(s.disputes.map((d) => [d.pause, d]));
  return {
    agreement: s.agreement.id,
    at: iso(s.at),
    pauses: s.pauses.map((p) => {
      const d = disputes.get(p.id);
      return {
        id: p.id,
        party: p.party,
        scope: p.scope,
        reason: p.reason,
        since: iso(p.since),
        ...(p.resumedAt === undefined ? {} : { resumedAt: iso(p.resumedAt) }),
        inForce: p.since <= s.at && (p.resumedAt === undefined || s.at < p.resumedAt),
        ...(d === undefined
          ? {}
          : {
              dispute: {
                id: d.id,
                subject: d.subject,
                openedAt: iso(d.openedAt),
                stage: d.stage,
                stageDue: iso(d.stageDue),
              },
            }),
      };
    }),
    sanctions: s.sanctions.map((x) => ({
      id: x.id,
      sanction: x.sanction,
      action: x.action,
      finding: x.finding,
      since: iso(x.since),
      until: iso(x.until),
      inForce: x.since <= s.at && s.at < x.until,
      ...(x.agency === undefined ? {} : { agency: x.agency }),
      ...(x.party === undefined ? {} : { party: x.party }),
    })),
  };
}

function reviewOf(
  r: { due: number; filedAt?: number; overdue: boolean } | undefined,
  filedAt: number | undefined,
  ref: string | undefined,
): Record<string, unknown> {
  if (r === undefined && filedAt === undefined) return {};
  const filed = r?.filedAt ?? filedAt;
  return {
    review: {
      ...(r === undefined ? {} : { due: iso(r.due), overdue: r.overdue }),
      ...(filed === undefined ? {} : { filedAt: iso(filed) }),
      ...(ref === undefined ? {} : { reportRef: ref }),
    },
  };
}

/** What a write answers: the event, everything ledgered, the level after it. */
export function recordedView(
  r: EscalationRecordResult,
  subject?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    agreement: r.state.agreement.id,
    event: { id: r.event.id, type: r.event.type, at: iso(r.event.at) },
    written: r.written.map((w) => ({
      seq: w.seq,
      id: w.event.id,
      type: w.event.type,
      at: iso(w.event.at),
    })),
    level: levelView(r.state),
    ...(subject === undefined ? {} : { subject }),
  };
}
