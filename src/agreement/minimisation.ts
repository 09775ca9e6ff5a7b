import { ONWARD_SHARING_LEVELS, PAP_LEVELS, type Handling, type Minimisation } from './model.js';

/** Minimisation that changes nothing; the identity of `combineMinimisation`. */
export const NO_MINIMISATION: Minimisation = Object.freeze({
  drop: Object.freeze([]) as readonly string[],
  pseudonymise: Object.freeze([]) as readonly string[],
  ipv4Prefix: 32,
  ipv6Prefix: 128,
  timePrecisionMs: 0,
  stripSourceRefs: false,
});

/** The most permissive handling; the identity of `stricterHandling`. */
export const PERMISSIVE_HANDLING: Handling = Object.freeze({
  pap: 'clear',
  onwardSharing: 'agreement-parties',
});

function sortedUnion(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/**
 * Combines two minimisations, keeping the stricter of each field (docs/spec/decisions.md):
 * union of dropped and pseudonymised paths (a dropped path is not also pseudonymised), the
 * shorter IP prefixes, the coarser time precision, and source stripping if either asks.
 */
export function combineMinimisation(a: Minimisation, b: Minimisation): Minimisation {
  const drop = sortedUnion(a.drop, b.drop);
  const dropped = new Set(drop);
  return {
    drop,
    pseudonymise: sortedUnion(a.pseudonymise, b.pseudonymise).filter((p) => !dropped.has(p)),
    ipv4Prefix: Math.min(a.ipv4Prefix, b.ipv4Prefix),
    ipv6Prefix: Math.min(a.ipv6Prefix, b.ipv6Prefix),
    timePrecisionMs: Math.max(a.timePrecisionMs, b.timePrecisionMs),
    stripSourceRefs: a.stripSourceRefs || b.stripSourceRefs,
  };
}

/** True when `a` minimises at least as much as `b` in every field. */
export function minimisesAtLeast(a: Minimisation, b: Minimisation): boolean {
  const covered = new Set([...a.drop, ...a.pseudonymise]);
  const dropped = new Set(a.drop);
  return (
    b.drop.every((p) => dropped.has(p)) &&
    b.pseudonymise.every((p) => covered.has(p)) &&
    a.ipv4Prefix <= b.ipv4Prefix &&
    a.ipv6Prefix <= b.ipv6Prefix &&
    a.timePrecisionMs >= b.timePrecisionMs &&
    (a.stripSourceRefs || !b.stripSourceRefs)
  );
}

/** The stricter of two handlings: the more restrictive PAP and the narrower onward sharing. */
export function stricterHandling(a: Handling, b: Handling): Handling {
  const pap = PAP_LEVELS.indexOf(a.pap) >= PAP_LEVELS.indexOf(b.pap) ? a.pap : b.pap;
  const onwardSharing =
    ONWARD_SHARING_LEVELS.indexOf(a.onwardSharing) <= ONWARD_SHARING_LEVELS.indexOf(b.onwardSharing)
      ? a.onwardSharing
      : b.onwardSharing;
  return { pap, onwardSharing };
}

/** True when `a` is at least as strict as `b`. */
export function handlingAtLeastAsStrict(a: Handling, b: Handling): boolean {
  return (
    PAP_LEVELS.indexOf(a.pap) >= PAP_LEVELS.indexOf(b.pap) &&
    ONWARD_SHARING_LEVELS.indexOf(a.onwardSharing) <= ONWARD_SHARING_LEVELS.indexOf(b.onwardSharing)
  );
}
