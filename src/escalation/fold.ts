/**
 * The fold: the escalation state as a function of the event history and the clock.
 *
 * `apply(state, event)` and `advance(state, now)` are the incremental ("live") API a node uses
 * as events arrive and time passes; `replay(agreement, events, at)` is the same fold run over a
 * stored history. Both step through exactly the same instants — each event's instant and each
 * scheduled change (a sunset, a completed hysteresis hold, an incident leaving a window) — so
 * they agree at every instant whatever the granularity of `advance` calls (property-tested).
 */
import type { Agreement } from '../agreement/index.js';
import { addDuration, ConcordatError } from '../core/index.js';
import type { KeyRegistry } from './approval.js';
import { conditionHolds, nextWindowExit, NO_INPUTS, watchedWindows } from './conditions.js';
import { draftOf, endRaise, raiseOrRenew, reject, replaceWhere } from './draft.js';
import type { Draft } from './draft.js';
import { eventProblems } from './event-check.js';
import type { EscalationEvent } from './events.js';
import { handle } from './handlers.js';
import type { EscalationState, TriggerTrack } from './state.js';
import { currentView } from './view.js';

/** Options of the fold. */
export interface EscalationOptions {
  /**
   * Public keys of officials the agreement does not pin (docs/spec/escalation.md "Approvals").
   * Default: none, so only officials with a pinned `public_key` can approve.
   */
  readonly keys?: KeyRegistry;
}

function finish(d: Draft): EscalationState {
  return { ...d, current: currentView(d) };
}

/**
 * The state before any event: the lowest level, nothing raised, waived or paused, at the
 * instant the agreement comes into force.
 */
export function initialState(
  agreement: Agreement,
  options: EscalationOptions = {},
): EscalationState {
  const at = agreement.effective.from;
  const base: Omit<EscalationState, 'current'> = {
    agreement,
    keys: options.keys ?? {},
    at,
    settledAt: at,
    eventCount: 0,
    eventIds: {},
    inputs: NO_INPUTS,
    triggers: agreement.triggers.map((t) => ({ trigger: t.id })),
    raises: [],
    proposals: [],
    transitions: [],
    level: 0,
    levelSince: at,
    waivers: [],
    pauses: [],
    disputes: [],
    revocations: [],
    sanctions: [],
    rejected: [],
    anomalies: [],
  };
  // Conditions that hold with no input at all (every party rated 0, no incidents) hold from the
  // instant the agreement comes into force.
  const d = draftOf({ ...base, current: currentView(base) });
  step(d, at);
  return finish(d);
}

function hysteresisDue(d: Draft, trigger: string): number | undefined {
  const t = d.agreement.triggers.find((x) => x.id === trigger);
  const since = d.triggers.find((x) => x.trigger === trigger)?.lowerSince;
  if (t?.lowerWhen === undefined || since === undefined) return undefined;
  return addDuration(since, t.lowerWhen.holdFor);
}

/** The next instant something changes with no event: a sunset, a hold, a window exit. */
function nextScheduled(d: Draft): number | undefined {
  let next = nextWindowExit(d.inputs, watchedWindows(d.agreement), d.settledAt);
  const consider = (t: number | undefined): void => {
    if (t !== undefined && (next === undefined || t < next)) next = t;
  };
  for (const r of d.raises) {
    consider(r.expiresAt);
    consider(hysteresisDue(d, r.trigger));
  }
  return next;
}

/** Re-evaluates every trigger's conditions at `t`: edges, holds, lapses, automatic raises. */
function evaluate(d: Draft, t: number): void {
  const tracks: TriggerTrack[] = [];
  for (const trigger of d.agreement.triggers) {
    const before = d.triggers.find((x) => x.trigger === trigger.id) ?? { trigger: trigger.id };
    const when = conditionHolds(d.agreement, trigger.when, d.inputs, t);
    const lower =
      trigger.lowerWhen !== undefined &&
      conditionHolds(d.agreement, trigger.lowerWhen.when, d.inputs, t);
    tracks.push({
      trigger: trigger.id,
      ...(when ? { whenSince: before.whenSince ?? t } : {}),
      ...(lower ? { lowerSince: before.lowerSince ?? t } : {}),
    });
    if (!when)
      for (const p of d.proposals)
        if (p.trigger === trigger.id && p.status === 'pending')
          replaceWhere(
            d.proposals,
            (x) => x.id === p.id,
            (x) => ({ ...x, status: 'lapsed' as const, closedAt: t }),
          );
    // An automatic trigger raises (or renews) on the instant its condition starts to hold.
    if (when && before.whenSince === undefined && trigger.approval.automatic)
      raiseOrRenew(d, trigger, t, `auto:${trigger.id}@${t}`, [], 'automatic');
  }
  d.triggers = tracks;
}

/** Everything scheduled at `t` (≥ every earlier instant already settled). */
function step(d: Draft, t: number): void {
  for (const r of [...d.raises].sort((a, b) => a.expiresAt - b.expiresAt))
    if (r.expiresAt <= t) endRaise(d, r, r.expiresAt, 'sunset');
  for (const r of [...d.raises]) {
    const due = hysteresisDue(d, r.trigger);
    // Held continuously over [since, due): the raise ends exactly when the hold completes.
    if (due !== undefined && due <= t) endRaise(d, r, Math.max(due, d.settledAt), 'hysteresis');
  }
  evaluate(d, t);
  // Signals outside every watched window can no longer change a condition.
  const windows = watchedWindows(d.agreement);
  const signals = d.inputs.signals.filter((s) => windows.some((w) => addDuration(s.at, w) > t));
  if (signals.length !== d.inputs.signals.length) d.inputs = { ...d.inputs, signals };
  d.settledAt = t;
}

function advanceDraft(d: Draft, now: number): void {
  for (let next = nextScheduled(d); next !== undefined && next <= now; next = nextScheduled(d))
    step(d, Math.max(next, d.settledAt));
  d.at = now;
}

/**
 * Moves the state to `now`: sunsets, completed hysteresis holds and incident-window exits up to
 * and including `now` take effect at their exact instants.
 *
 * @throws ConcordatError `ERR_USAGE` when `now` is before the state's instant.
 */
export function advance(state: EscalationState, now: number): EscalationState {
  if (!Number.isSafeInteger(now) || now < state.at)
    throw new ConcordatError('ERR_USAGE', `cannot move the escalation state back to \`${now}\``, {
      details: { at: state.at, now },
    });
  if (now === state.at) return state;
  const d = draftOf(state);
  advanceDraft(d, now);
  return finish(d);
}

/**
 * Applies one event (plain JSON from the ledger or an API): the clock first moves to the
 * event's instant, then the event takes effect at that instant. An event that cannot take
 * effect — malformed, duplicate id, earlier than the state, or refused on its meaning — is
 * recorded in `rejected` with every reason and changes nothing else. Never throws.
 */
export function apply(state: EscalationState, event: EscalationEvent): EscalationState {
  const d = draftOf(state);
  applyDraft(d, event);
  return finish(d);
}

function applyDraft(d: Draft, event: EscalationEvent): void {
  d.eventCount += 1;
  const problems = eventProblems(event);
  const raw = event as unknown as Record<string, unknown>;
  const id = typeof raw['id'] === 'string' ? raw['id'] : `#${d.eventCount}`;
  const at = typeof raw['at'] === 'number' ? raw['at'] : d.at;
  const type = problems.some((p) => p.startsWith('`type`')) ? 'unknown' : event.type;
  if (d.eventIds[id] === true) problems.push(`duplicate event id \`${id}\``);
  if (problems.length === 0 && at < d.at)
    problems.push(`event at \`${at}\` is earlier than the state's instant \`${d.at}\``);
  if (problems.length > 0) {
    reject(d, { id, at: Math.max(at, d.at), type }, problems);
    return;
  }
  d.eventIds[id] = true;
  advanceDraft(d, event.at);
  handle(d, event);
  // The event may have changed conditions: settle the instant again (automatic raises, holds).
  step(d, event.at);
  advanceDraft(d, event.at);
}

/**
 * The escalation state at `at`, derived from the events with `at` ≤ the given instant, applied
 * in history order (docs/spec/escalation.md "Replay").
 *
 * @throws ConcordatError `ERR_USAGE` when `at` is before the agreement comes into force.
 */
export function replay(
  agreement: Agreement,
  events: readonly EscalationEvent[],
  at: number,
  options: EscalationOptions = {},
): EscalationState {
  const start = initialState(agreement, options);
  if (!Number.isSafeInteger(at) || at < start.at)
    throw new ConcordatError('ERR_USAGE', `instant \`${at}\` is before the agreement is in force`, {
      details: { at, from: start.at },
    });
  const d = draftOf(start);
  for (const e of events) {
    const t = (e as { at?: unknown }).at;
    if (typeof t === 'number' && t > at) continue;
    applyDraft(d, e);
  }
  advanceDraft(d, at);
  return finish(d);
}
