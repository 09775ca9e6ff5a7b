/**
 * The mutable working copy the fold changes while applying one event or one stretch of time,
 * and the level operations shared by the event handlers and the clock (raise, renew, end).
 * Records inside a draft are never mutated in place: they are replaced, so a draft made from a
 * state by copying its arrays never changes that state.
 */
import type { Trigger } from '../agreement/index.js';
import { addDuration } from '../core/index.js';
import type { RecordedApproval } from './approval.js';
import type { EscalationEventType } from './events.js';
import type { ActiveRaise, EscalationState, LevelTransition } from './state.js';

/** A state being changed. */
export type Draft = {
  -readonly [K in keyof EscalationState]: K extends 'eventIds'
    ? Record<string, true>
    : EscalationState[K] extends readonly (infer T)[]
      ? T[]
      : EscalationState[K];
};

/** A working copy of `state` (arrays copied; records shared, and replaced when they change). */
export function draftOf(state: EscalationState): Draft {
  return {
    ...state,
    eventIds: { ...state.eventIds },
    triggers: [...state.triggers],
    raises: [...state.raises],
    proposals: [...state.proposals],
    transitions: [...state.transitions],
    waivers: [...state.waivers],
    pauses: [...state.pauses],
    disputes: [...state.disputes],
    revocations: [...state.revocations],
    sanctions: [...state.sanctions],
    rejected: [...state.rejected],
    anomalies: [...state.anomalies],
  };
}

/** Replaces the first element matching `where` with `next(element)`. */
export function replaceWhere<T>(list: T[], where: (x: T) => boolean, next: (x: T) => T): void {
  const i = list.findIndex(where);
  if (i >= 0) list[i] = next(list[i] as T);
}

/** Records that an event changed nothing, with every reason. */
export function reject(
  d: Draft,
  event: {
    readonly id: string;
    readonly at: number;
    readonly type: EscalationEventType | 'unknown';
  },
  reasons: readonly string[],
): void {
  d.rejected.push({ id: event.id, type: event.type, at: event.at, reasons: [...reasons] });
}

function levelOf(raises: readonly ActiveRaise[]): number {
  return raises.reduce((max, r) => Math.max(max, r.level), 0);
}

function recordTransition(d: Draft, t: Omit<LevelTransition, 'from' | 'to'>, from: number): void {
  const to = levelOf(d.raises);
  d.transitions.push({ ...t, from, to });
  if (to !== d.level) {
    d.level = to;
    d.levelSince = t.at;
  }
}

/**
 * Raises the trigger's level at `at`, or renews the trigger's raise in force (its sunset moves
 * to `at + maxDuration`). Returns a reason when it cannot (a sunset not after `at`).
 */
export function raiseOrRenew(
  d: Draft,
  trigger: Trigger,
  at: number,
  raiseId: string,
  approvals: readonly RecordedApproval[],
  reason: 'approved' | 'automatic',
): string | undefined {
  const expiresAt = addDuration(at, trigger.maxDuration);
  if (expiresAt <= at) return `trigger \`${trigger.id}\` has a zero max_duration`;
  const from = d.level;
  const existing = d.raises.find((r) => r.trigger === trigger.id);
  if (existing !== undefined) {
    replaceWhere(
      d.raises,
      (r) => r === existing,
      (r) => ({ ...r, expiresAt, approvals: [...approvals], renewals: [...r.renewals, at] }),
    );
    recordTransition(
      d,
      { at, kind: 'renewed', reason, trigger: trigger.id, raise: existing.id },
      from,
    );
  } else {
    d.raises.push({
      id: raiseId,
      trigger: trigger.id,
      level: trigger.raiseTo,
      raisedAt: at,
      expiresAt,
      approvals: [...approvals],
      renewals: [],
    });
    recordTransition(d, { at, kind: 'raised', reason, trigger: trigger.id, raise: raiseId }, from);
  }
  return undefined;
}

/** Ends a raise at `at`; the level falls to the highest raise still in force, else the lowest. */
export function endRaise(
  d: Draft,
  raise: ActiveRaise,
  at: number,
  reason: 'sunset' | 'hysteresis' | 'manual',
): void {
  const from = d.level;
  d.raises = d.raises.filter((r) => r.id !== raise.id);
  recordTransition(
    d,
    { at, kind: 'lowered', reason, trigger: raise.trigger, raise: raise.id },
    from,
  );
}
