/**
 * One agreement's proportionality record over a period: time at each cooperation level,
 * raises and their sunsets, waivers, pauses, disputes, sanctions and findings — read from the
 * escalation state that replaying the agreement's ledger events up to the period's end gives
 * (`replay` in escalation/), so the figures are the ones the node itself enforced.
 */
import type { Agreement } from '../agreement/index.js';
import type { EscalationEvent, EscalationState } from '../escalation/index.js';
import type { EscalationIndicators, FindingRow, LevelTime, Period } from './types.js';

/** Length of the overlap of `[a, b)` with the period. */
function overlap(period: Period, a: number, b: number): number {
  return Math.max(0, Math.min(b, period.to) - Math.max(a, period.from));
}

function within(period: Period, at: number | undefined): boolean {
  return at !== undefined && at >= period.from && at < period.to;
}

/**
 * The record of `agreement` over `period`. `state` is the escalation state replayed to
 * `period.to` or, for a period that has not ended, to now (its findings are those of that
 * instant, and no time after it is counted); `events` are the
 * agreement's escalation events from the ledger (for what the state keeps no record of, such
 * as published risk ratings).
 */
export function escalationIndicators(
  agreement: Agreement,
  state: EscalationState,
  events: readonly EscalationEvent[],
  period: Period,
): EscalationIndicators {
  const levelId = (i: number): string => agreement.levels[i]?.id ?? String(i);
  // Time at each level: the level starts at the lowest when the agreement comes into force and
  // moves at each transition.
  const ms = new Array<number>(agreement.levels.length).fill(0);
  let level = 0;
  let since = agreement.effective.from;
  for (const t of state.transitions) {
    if (t.at >= period.to) break;
    ms[level] = (ms[level] ?? 0) + overlap(period, since, t.at);
    level = t.to;
    since = t.at;
  }
  // Up to the instant the state describes: a period that ends in the future is counted up to
  // now, never beyond.
  const end = Math.min(period.to, state.at);
  ms[level] = (ms[level] ?? 0) + overlap(period, since, end);
  const levels: LevelTime[] = ms.map((m, i) => ({ level: levelId(i), ms: m }));

  const inPeriod = state.transitions.filter((t) => within(period, t.at));
  const count = (type: EscalationEvent['type']): number =>
    events.filter((e) => e.type === type && within(period, e.at)).length;

  // The escalation module's own findings at the period's end: reviews overdue then, and
  // reviews filed late within the period.
  const findings: FindingRow[] = state.current.findings
    .filter((f) => f.kind === 'review-overdue' || within(period, f.filedAt))
    .map((f) => ({ ...f }));

  return {
    agreementId: agreement.id,
    levels,
    levelAtEnd: levelId(level),
    raised: inPeriod.filter((t) => t.kind === 'raised').length,
    renewed: inPeriod.filter((t) => t.kind === 'renewed').length,
    lowered: inPeriod.filter((t) => t.kind === 'lowered').length,
    sunsets: inPeriod.filter((t) => t.kind === 'lowered' && t.reason === 'sunset').length,
    waivers: {
      requested: state.waivers.filter((w) => within(period, w.requestedAt)).length,
      active: state.waivers.filter(
        (w) =>
          w.from !== undefined &&
          overlap(period, w.from, Math.min(w.closedAt ?? Infinity, w.expires ?? Infinity)) > 0,
      ).length,
      closedEarly: state.waivers.filter(
        (w) =>
          w.from !== undefined &&
          within(period, w.closedAt) &&
          (w.expires === undefined || (w.closedAt ?? 0) < w.expires),
      ).length,
      reviewsFiled: state.waivers.filter((w) => within(period, w.reviewFiledAt)).length,
    },
    pauses: {
      started: state.pauses.filter((p) => within(period, p.since)).length,
      resumed: state.pauses.filter((p) => within(period, p.resumedAt)).length,
      pausedMs: state.pauses.reduce(
        (sum, p) => sum + overlap(period, p.since, Math.min(p.resumedAt ?? end, end)),
        0,
      ),
    },
    disputesOpened: state.disputes.filter((d) => within(period, d.openedAt)).length,
    sanctionsApplied: state.sanctions.filter((s) => within(period, s.since)).length,
    certificationsRevoked: count('certification-revoked'),
    riskRatingsPublished: count('risk-rating-published'),
    findings: findings.sort((a, b) => a.due - b.due || (a.waiver < b.waiver ? -1 : 1)),
    rejectedEvents: state.rejected.filter((r) => within(period, r.at)).length,
    anomalies: state.anomalies.filter((a) => within(period, a.at)).length,
  };
}
