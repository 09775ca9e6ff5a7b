/**
 * Receipts: the outcomes the fold derived between two states — raises, renewals, sunsets and
 * hysteresis lowerings, waivers that became active — as events the node writes on the ledger
 * for its human readers (docs/spec/escalation.md "Receipts"). Replay never takes a receipt as
 * authority; it only checks that each one agrees with what it derives.
 */
import { addDuration } from '../core/index.js';
import type { EscalationEvent, EscalationState } from '../escalation/index.js';

type WithoutId<E> = E extends unknown ? Omit<E, 'id'> : never;

/** A receipt before it has an id. */
export type Receipt =
  | WithoutId<
      Extract<EscalationEvent, { type: 'level-raised' | 'level-renewed' | 'waiver-approved' }>
    >
  | WithoutId<Extract<EscalationEvent, { type: 'level-lowered'; reason: 'sunset' | 'hysteresis' }>>;

/**
 * The receipts of everything `after` derived that `before` had not (`after` is `before` moved
 * on by time and events), in instant order, each at the exact instant it happened.
 */
export function receiptsBetween(
  before: EscalationState,
  after: EscalationState,
  actor: string,
): Receipt[] {
  const { agreement } = after;
  const out: Receipt[] = [];
  for (const t of after.transitions.slice(before.transitions.length)) {
    const trigger = agreement.triggers.find((x) => x.id === t.trigger);
    if (trigger === undefined) continue;
    const base = { v: 1 as const, at: t.at, actor, trigger: t.trigger };
    if (t.kind === 'raised')
      out.push({
        ...base,
        type: 'level-raised',
        toLevel: agreement.levels[trigger.raiseTo]?.id ?? '',
      });
    // A renewal moves the sunset to `max_duration` after the renewal instant.
    else if (t.kind === 'renewed')
      out.push({ ...base, type: 'level-renewed', until: addDuration(t.at, trigger.maxDuration) });
    else if (t.reason === 'sunset' || t.reason === 'hysteresis')
      out.push({ ...base, type: 'level-lowered', reason: t.reason });
    // A manual lowering is itself the signed input event: no receipt.
  }
  for (const w of after.waivers) {
    if (w.from === undefined || w.expires === undefined) continue;
    if (before.waivers.find((x) => x.id === w.id)?.from !== undefined) continue;
    out.push({
      v: 1,
      at: w.from,
      actor,
      type: 'waiver-approved',
      waiver: w.id,
      expires: w.expires,
    });
  }
  // Stable: at one instant, level receipts before waiver receipts.
  return out.sort((a, b) => a.at - b.at);
}
