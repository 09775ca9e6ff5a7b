/**
 * The inputs triggers watch (risk ratings, intel quality, incident signals) and whether a
 * `TriggerCondition` holds over them at an instant. Pure functions of the recorded inputs.
 */
import type { Agreement, RsitClass, Tlp, TriggerCondition } from '../agreement/index.js';
import { addDuration } from '../core/index.js';
import type { Duration } from '../core/index.js';
import { admiraltyAtLeast, admiraltyToConfidence } from '../intel/index.js';
import type { IngestWindow } from './events.js';

/** A party's latest published risk rating. */
export interface RiskRating {
  readonly party: string;
  readonly rating: number;
  readonly setBy: string;
  readonly reason: string;
  readonly at: number;
  /** The `risk-rating-published` event. */
  readonly event: string;
}

/** The latest grade of one object. */
export interface GradeObservation {
  readonly objectRef: string;
  readonly grade: string;
  /** Explicit, or derived from the grade; absent when it cannot be judged (credibility 6). */
  readonly confidence?: number;
  readonly at: number;
}

/** Objects counted at one instant. */
export interface Signal {
  readonly at: number;
  readonly rsit: RsitClass;
  readonly tlp: Tlp;
  readonly count: number;
}

/** Everything triggers are evaluated against. */
export interface Inputs {
  /** Latest rating per party, in agreement party order of first publication. */
  readonly ratings: readonly RiskRating[];
  /** Latest grade per object. */
  readonly grades: readonly GradeObservation[];
  /** Signals still inside the longest window any trigger watches. */
  readonly signals: readonly Signal[];
  /**
   * The ingest window of the latest automatic event of each type (`window` member): a later
   * automatic event must continue from it, so no ingested object is counted twice.
   */
  readonly automatic?: {
    readonly 'incident-signal'?: IngestWindow;
    readonly 'intel-quality-observed'?: IngestWindow;
  };
}

/** No inputs yet. */
export const NO_INPUTS: Inputs = { ratings: [], grades: [], signals: [] };

/** A party's rating at the state's instant; a party that never published is rated 0. */
export function ratingOf(inputs: Inputs, party: string): number {
  return inputs.ratings.find((r) => r.party === party)?.rating ?? 0;
}

/** The number of objects a condition's incident filter counts at `at`. */
export function incidentCount(
  inputs: Inputs,
  incidents: NonNullable<TriggerCondition['incidents']>,
  at: number,
): number {
  let count = 0;
  for (const s of inputs.signals) {
    // A signal counts from its instant (inclusive) for `window` (exclusive).
    if (s.at > at || addDuration(s.at, incidents.window) <= at) continue;
    if (incidents.rsit !== undefined && !incidents.rsit.includes(s.rsit)) continue;
    if (incidents.tlp !== undefined && !incidents.tlp.includes(s.tlp)) continue;
    count += s.count;
  }
  return count;
}

/**
 * Whether every present part of `condition` holds at `at` (docs/spec/escalation.md
 * "Conditions"). Parties that never published a rating count as 0.
 */
export function conditionHolds(
  agreement: Agreement,
  condition: TriggerCondition,
  inputs: Inputs,
  at: number,
): boolean {
  const risk = condition.riskRating;
  if (risk !== undefined) {
    const ratings = agreement.parties.map((p) => ratingOf(inputs, p.id));
    if (
      risk.anyPartyAtLeast !== undefined &&
      !ratings.some((r) => r >= (risk.anyPartyAtLeast ?? 0))
    )
      return false;
    if (
      risk.allPartiesAtLeast !== undefined &&
      !ratings.every((r) => r >= (risk.allPartiesAtLeast ?? 0))
    )
      return false;
    if (risk.anyPartyBelow !== undefined && !ratings.some((r) => r < (risk.anyPartyBelow ?? 0)))
      return false;
    if (
      risk.allPartiesBelow !== undefined &&
      !ratings.every((r) => r < (risk.allPartiesBelow ?? 0))
    )
      return false;
  }
  const quality = condition.intelQuality;
  if (quality !== undefined) {
    const supported = inputs.grades.some(
      (g) =>
        g.at <= at &&
        admiraltyAtLeast(g.grade, quality.atLeast) &&
        (quality.minConfidence === undefined ||
          (g.confidence !== undefined && g.confidence >= quality.minConfidence)),
    );
    if (!supported) return false;
  }
  const incidents = condition.incidents;
  if (incidents !== undefined) {
    const count = incidentCount(inputs, incidents, at);
    if (incidents.atLeast !== undefined && count < incidents.atLeast) return false;
    if (incidents.atMost !== undefined && count > incidents.atMost) return false;
  }
  return true;
}

/** Every incident window any trigger of the agreement watches (raise or lower conditions). */
export function watchedWindows(agreement: Agreement): Duration[] {
  const windows: Duration[] = [];
  for (const t of agreement.triggers) {
    if (t.when.incidents !== undefined) windows.push(t.when.incidents.window);
    if (t.lowerWhen?.when.incidents !== undefined) windows.push(t.lowerWhen.when.incidents.window);
  }
  return windows;
}

/**
 * The earliest instant after `after` at which a signal leaves one of the watched windows (an
 * instant at which a condition may change with no event), or `undefined`.
 */
export function nextWindowExit(
  inputs: Inputs,
  windows: readonly Duration[],
  after: number,
): number | undefined {
  let next: number | undefined;
  for (const s of inputs.signals)
    for (const w of windows) {
      const exit = addDuration(s.at, w);
      if (exit > after && (next === undefined || exit < next)) next = exit;
    }
  return next;
}

/** The confidence an observation carries: explicit, else STIX 2.1 Appendix A of the grade. */
export function observedConfidence(grade: string, confidence?: number): number | undefined {
  return confidence ?? admiraltyToConfidence(grade);
}
