/**
 * Precombined obligations (docs/spec/decisions.md, "Obligations of an allowed release").
 *
 * Everything but the retention deadline is independent of the instant, so for each combination
 * of (covering extensions, allowing rules, applying shaping constraints) the minimisation, the
 * handling, `shapedBy` and the retention durations are combined once. The durations fold into
 * one fixed length in milliseconds plus the calendar durations (years, months) that have no
 * fixed length and are added on the UTC calendar at decision time.
 */
import {
  NO_MINIMISATION,
  PERMISSIVE_HANDLING,
  combineMinimisation,
  stricterHandling,
  type ClauseRef,
  type Handling,
  type Minimisation,
} from '../agreement/index.js';
import { addDuration, fixedDurationMs, isFixedDuration, type Duration } from '../core/index.js';

/** Retention durations folded: the shortest fixed length, and every distinct calendar one. */
export interface Retention {
  /** Shortest fixed duration in ms (`Infinity` when none). */
  readonly fixedMs: number;
  readonly calendar: readonly Duration[];
}

/** The obligations of a release, all but the deadline precombined. Frozen, shared. */
export interface ObligationShape {
  readonly minimise: Minimisation;
  readonly handling: Handling;
  readonly shapedBy: readonly ClauseRef[];
  readonly retention: Retention;
}

/** What one contribution (core, extension, rule, constraint) adds to the obligations. */
export interface Contribution {
  readonly retention?: Duration;
  readonly minimise?: Minimisation;
  readonly handling?: Handling;
  readonly shapedBy?: ClauseRef;
}

function sameDuration(a: Duration, b: Duration): boolean {
  return (
    a.years === b.years &&
    a.months === b.months &&
    a.weeks === b.weeks &&
    a.days === b.days &&
    a.hours === b.hours &&
    a.minutes === b.minutes &&
    a.seconds === b.seconds
  );
}

/** Adds one duration to a folded retention. */
export function addRetention(r: Retention, d: Duration): Retention {
  if (isFixedDuration(d)) {
    return { fixedMs: Math.min(r.fixedMs, fixedDurationMs(d)), calendar: r.calendar };
  }
  if (r.calendar.some((c) => sameDuration(c, d))) return r;
  return { fixedMs: r.fixedMs, calendar: Object.freeze([...r.calendar, d]) };
}

/** The empty retention fold (no duration yet). */
export const NO_RETENTION: Retention = Object.freeze({
  fixedMs: Infinity,
  calendar: Object.freeze([]) as readonly Duration[],
});

/**
 * The earliest `addDuration(at, d)` over a folded retention. For fixed durations
 * `addDuration(at, d) = at + ms(d)` and addition rounds monotonically, so the earliest of them is
 * `at + min ms`.
 */
export function retainUntil(at: number, r: Retention): number {
  let t = at + r.fixedMs;
  for (const d of r.calendar) t = Math.min(t, addDuration(at, d));
  return t;
}

/** Combines contributions, in order, into a frozen obligation shape. */
export function combineShape(contributions: readonly Contribution[]): ObligationShape {
  let minimise: Minimisation = NO_MINIMISATION;
  let handling: Handling = PERMISSIVE_HANDLING;
  let retention = NO_RETENTION;
  const shapedBy: ClauseRef[] = [];
  for (const c of contributions) {
    if (c.minimise !== undefined) minimise = combineMinimisation(minimise, c.minimise);
    if (c.handling !== undefined) handling = stricterHandling(handling, c.handling);
    if (c.retention !== undefined) retention = addRetention(retention, c.retention);
    if (c.shapedBy !== undefined) shapedBy.push(c.shapedBy);
  }
  // The identity values are shared module constants; hand out copies so no decision aliases
  // them, then freeze (decisions are shared between calls).
  return Object.freeze({
    minimise: Object.freeze({
      ...minimise,
      drop: Object.freeze([...minimise.drop]),
      pseudonymise: Object.freeze([...minimise.pseudonymise]),
    }),
    handling: Object.freeze({ pap: handling.pap, onwardSharing: handling.onwardSharing }),
    shapedBy: Object.freeze(shapedBy),
    retention,
  });
}
