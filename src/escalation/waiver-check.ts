/**
 * Whether a waiver request may be granted at all, before anyone approves it: the waiver policy
 * exists, the duration is within its maximum, the scope names known things, and no release the
 * scope could cover is forbidden by a party constraint, a core or extension never-release rule,
 * or a never-waive rule. Overlap is checked conservatively: if any release in the scope could
 * match a forbidding clause, the request is refused and the clause is named.
 */
import type {
  Agreement,
  ClauseRef,
  Constraint,
  Match,
  NeverRelease,
  PersonalData,
  RsitClass,
  Tlp,
} from '../agreement/index.js';
import { PERSONAL_DATA_CATEGORIES, RSIT_CLASSES, TLP_LABELS } from '../agreement/index.js';
import { durationNeverExceeds, parseDuration } from '../core/index.js';
import type { WaiverScope } from './events.js';

/** Why a waiver request is refused. */
export type WaiverRefusalReason =
  | 'no-waiver-policy'
  | 'bad-duration'
  | 'duration-exceeds-maximum'
  | 'bad-retention'
  | 'empty-scope'
  | 'unknown-name'
  | 'constraint'
  | 'never-release'
  | 'never-waive';

/** One reason a request is refused, naming the clause that forbids it. */
export interface WaiverRefusal {
  readonly reason: WaiverRefusalReason;
  readonly clause: ClauseRef;
  /** Lowercase, values in backticks. */
  readonly message: string;
}

/** The releases a scope can cover, each dimension as a set of possible values. */
interface ScopeSpace {
  readonly agencies: readonly string[];
  readonly toParties: readonly string[];
  readonly producers: readonly string[];
  readonly types: readonly string[];
  readonly tlp: readonly Tlp[];
  readonly purposes: readonly string[];
  readonly personalData: readonly PersonalData[];
  /** Absent: any class, including objects with none. */
  readonly rsit?: readonly RsitClass[];
}

function meets<T>(a: readonly T[] | undefined, b: readonly T[]): boolean {
  return a === undefined || a.some((x) => b.includes(x));
}

/** True when some release of `space` matches `m` (docs/spec/decisions.md "Matching"). */
function overlaps(m: Match, space: ScopeSpace): boolean {
  // `rsit` in a match requires the object to carry a class in it; a scope without `rsit` allows
  // every class, so it overlaps whenever the match lists any class at all.
  const rsitMeets =
    m.rsit === undefined ||
    (space.rsit === undefined ? m.rsit.length > 0 : meets(m.rsit, space.rsit));
  return (
    meets(m.types, space.types) &&
    meets(m.tlp, space.tlp) &&
    meets(m.personalData, space.personalData) &&
    rsitMeets &&
    meets(m.purposes, space.purposes) &&
    meets(m.fromParties, space.producers) &&
    meets(m.toParties, space.toParties) &&
    meets(m.toAgencies, space.agencies)
  );
}

function restrict(space: ScopeSpace, producers: readonly string[], toParties: readonly string[]) {
  const agencies = space.agencies;
  return {
    ...space,
    producers: space.producers.filter((p) => producers.includes(p)),
    toParties: space.toParties.filter((p) => toParties.includes(p)),
    agencies,
  };
}

function constraintForbids(c: Constraint, space: ScopeSpace, agreement: Agreement): boolean {
  if (c.kind !== 'forbid') return false;
  const all = agreement.parties.map((p) => p.id);
  const outgoing = c.scope !== 'incoming' && overlaps(c.when, restrict(space, [c.party], all));
  const incoming =
    c.scope !== 'outgoing' &&
    space.toParties.includes(c.party) &&
    overlaps(c.when, restrict(space, all, [c.party]));
  return outgoing || incoming;
}

function neverRules(
  agreement: Agreement,
  space: ScopeSpace,
): { rule: NeverRelease; space: ScopeSpace }[] {
  const rules = agreement.core.neverRelease.map((rule) => ({ rule, space }));
  for (const e of agreement.extensions) {
    // An extension's rules apply where it covers the release: producer and recipient both
    // among its parties.
    const sub = restrict(space, e.parties, e.parties);
    if (sub.producers.length > 0 && sub.toParties.length > 0)
      for (const rule of e.neverRelease) rules.push({ rule, space: sub });
  }
  return rules;
}

/**
 * Every reason the agreement refuses a waiver with this scope, duration and retention (empty
 * when it may be approved). Never throws.
 */
export function checkWaiverRequest(
  agreement: Agreement,
  request: { readonly scope: WaiverScope; readonly duration: string; readonly retention: string },
): WaiverRefusal[] {
  const policy = agreement.waivers;
  if (policy === undefined)
    return [
      {
        reason: 'no-waiver-policy',
        clause: agreement.ref,
        message: `agreement \`${agreement.id}\` has no waiver policy, so no waiver can be granted`,
      },
    ];
  const refusals: WaiverRefusal[] = [];
  const refuse = (reason: WaiverRefusalReason, clause: ClauseRef, message: string): void => {
    refusals.push({ reason, clause, message });
  };
  const duration = parseDuration(request.duration);
  if (duration === undefined)
    refuse(
      'bad-duration',
      policy.ref,
      `duration \`${request.duration}\` is not an iso 8601 duration`,
    );
  else if (!durationNeverExceeds(duration, policy.maxDuration))
    refuse(
      'duration-exceeds-maximum',
      policy.ref,
      `duration \`${request.duration}\` exceeds the waiver policy's maximum`,
    );
  if (parseDuration(request.retention) === undefined)
    refuse(
      'bad-retention',
      policy.ref,
      `retention \`${request.retention}\` is not an iso 8601 duration`,
    );

  const { agencies, grants } = request.scope;
  if (
    agencies.length === 0 ||
    grants.types.length === 0 ||
    grants.tlp.length === 0 ||
    grants.purposes.length === 0 ||
    grants.personalData.length === 0 ||
    grants.rsit?.length === 0
  )
    refuse('empty-scope', policy.ref, 'the scope must name agencies and every grant dimension');
  const unknown: string[] = [];
  for (const a of agencies) if (!agreement.agencies.some((x) => x.id === a)) unknown.push(a);
  for (const p of grants.purposes) if (!agreement.purposes.some((x) => x.id === p)) unknown.push(p);
  for (const t of grants.tlp) if (!TLP_LABELS.includes(t)) unknown.push(t);
  for (const d of grants.personalData) if (!PERSONAL_DATA_CATEGORIES.includes(d)) unknown.push(d);
  for (const r of grants.rsit ?? []) if (!RSIT_CLASSES.includes(r)) unknown.push(r);
  if (unknown.length > 0)
    refuse(
      'unknown-name',
      agreement.ref,
      `the scope names ${unknown.map((u) => `\`${u}\``).join(', ')}, unknown to the agreement`,
    );

  const space: ScopeSpace = {
    agencies,
    toParties: agreement.agencies.filter((a) => agencies.includes(a.id)).map((a) => a.party),
    producers: agreement.parties.map((p) => p.id),
    types: grants.types,
    tlp: grants.tlp,
    purposes: grants.purposes,
    personalData: grants.personalData,
    ...(grants.rsit === undefined ? {} : { rsit: grants.rsit }),
  };
  // INVARIANT 3: constraints and non-derogable rules beat every waiver; refuse up front.
  for (const party of agreement.parties)
    for (const c of party.constraints)
      if (constraintForbids(c, space, agreement))
        refuse(
          'constraint',
          c.ref,
          `party \`${c.party}\` constraint \`${c.id}\` forbids releases in the scope`,
        );
  for (const { rule, space: sub } of neverRules(agreement, space))
    if (overlaps(rule.match, sub))
      refuse(
        'never-release',
        rule.ref,
        `never-release rule \`${rule.id}\` matches releases in the scope`,
      );
  for (const rule of policy.neverWaive)
    if (overlaps(rule.match, space))
      refuse(
        'never-waive',
        rule.ref,
        `never-waive rule \`${rule.id}\` matches releases in the scope`,
      );
  return refusals;
}
