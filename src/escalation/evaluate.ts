/**
 * `evaluateTriggers`: where each trigger stands at an instant — whether its `when` holds and
 * since when, whether its `lower_when` has held for `for`, what is raised, what is pending, and
 * what the node should do next (`concordat trigger evaluate --at TIME`).
 */
import type { Agreement, ClauseRef } from '../agreement/index.js';
import { addDuration, ConcordatError } from '../core/index.js';
import { advance } from './fold.js';
import type { EscalationState } from './state.js';

/** One trigger at one instant. */
export interface TriggerEvaluation {
  readonly trigger: string;
  readonly ref: ClauseRef;
  /** The level it raises to, by id. */
  readonly raisesTo: string;
  /** Whether `when` holds, and since when it has held continuously. */
  readonly when: { readonly holds: boolean; readonly since?: number };
  /**
   * Whether `lower_when.when` holds, since when, and when the hold completes (`since + for`);
   * `held` when it has held for the whole `for`. Absent when the trigger has no `lower_when`.
   */
  readonly lower?: {
    readonly holds: boolean;
    readonly since?: number;
    readonly completesAt?: number;
    readonly held: boolean;
  };
  /** The raise in force for this trigger, if any, and its sunset. */
  readonly raised?: { readonly id: string; readonly since: number; readonly sunset: number };
  /** The pending proposal, if any, and its valid approvals so far. */
  readonly pending?: { readonly id: string; readonly validApprovals: number };
  /**
   * What the node should do: `propose` when `when` holds and nothing is raised or pending for
   * a trigger that needs approval; otherwise `none` (automatic triggers act by themselves).
   */
  readonly next: 'propose' | 'none';
}

/**
 * Evaluates every trigger of `agreement` at `at` against the inputs recorded in `state`
 * (moved forward to `at` first).
 *
 * @throws ConcordatError `ERR_USAGE` when `state` belongs to another agreement or version, or
 *   `at` is before the state's instant.
 */
export function evaluateTriggers(
  agreement: Agreement,
  state: EscalationState,
  at: number,
): TriggerEvaluation[] {
  if (state.agreement.id !== agreement.id || state.agreement.version !== agreement.version)
    throw new ConcordatError(
      'ERR_USAGE',
      `the state is of \`${state.agreement.id}\` v${state.agreement.version}, not \`${agreement.id}\` v${agreement.version}`,
    );
  const s = advance(state, at);
  return agreement.triggers.map((t) => {
    const track = s.triggers.find((x) => x.trigger === t.id);
    const raise = s.raises.find((r) => r.trigger === t.id);
    const pending = s.proposals.find((p) => p.trigger === t.id && p.status === 'pending');
    const whenSince = track?.whenSince;
    const lowerSince = track?.lowerSince;
    let lower: TriggerEvaluation['lower'];
    if (t.lowerWhen !== undefined) {
      const completesAt =
        lowerSince === undefined ? undefined : addDuration(lowerSince, t.lowerWhen.holdFor);
      lower = {
        holds: lowerSince !== undefined,
        ...(lowerSince === undefined ? {} : { since: lowerSince }),
        ...(completesAt === undefined ? {} : { completesAt }),
        held: completesAt !== undefined && completesAt <= at,
      };
    }
    const needsProposal =
      whenSince !== undefined &&
      !t.approval.automatic &&
      raise === undefined &&
      pending === undefined;
    return {
      trigger: t.id,
      ref: t.ref,
      raisesTo: agreement.levels[t.raiseTo]?.id ?? '',
      when: whenSince === undefined ? { holds: false } : { holds: true, since: whenSince },
      ...(lower === undefined ? {} : { lower }),
      ...(raise === undefined
        ? {}
        : { raised: { id: raise.id, since: raise.raisedAt, sunset: raise.expiresAt } }),
      ...(pending === undefined
        ? {}
        : {
            pending: {
              id: pending.id,
              validApprovals: pending.approvals.filter((a) => a.problems.length === 0).length,
            },
          }),
      next: needsProposal ? 'propose' : 'none',
    };
  });
}
