/**
 * Field comparisons for the semantic diff (docs/spec/agreement-identity.md). Each compares one
 * field of two versions and appends at most one change, saying whether the new value widens or
 * narrows access. Every comparison is antisymmetric: swapping the two values swaps `widens` and
 * `narrows` (a property test holds it to that).
 */
import { durationNeverExceeds, formatDuration, type Duration } from '../core/index.js';
import type { Handling, Match, Minimisation } from './model.js';
import { ONWARD_SHARING_LEVELS, PAP_LEVELS } from './model.js';

/** Whether a change gives recipients more access, less, none, or some of each. */
export type DiffEffect = 'widens' | 'narrows' | 'neutral' | 'mixed';

/** A value as the diff shows it: durations and instants as text, levels by id. */
export type DiffValue = string | number | boolean | readonly string[];

/** One change between two versions of an agreement. */
export interface DiffChange {
  /** Dotted path, clauses named by id: `tiers.operational.rules.op-indicators.tlp`. */
  readonly path: string;
  readonly kind: 'added' | 'removed' | 'changed';
  readonly before?: DiffValue;
  readonly after?: DiffValue;
  /** Effect on access: what recipients may receive, for how long, how intact. */
  readonly effect: DiffEffect;
  /** One line for humans. */
  readonly summary: string;
}

/** The collector the comparisons append to. */
export type Changes = DiffChange[];

/** `widens` ↔ `narrows`; `neutral` and `mixed` stay. */
export function flipEffect(effect: DiffEffect): DiffEffect {
  return effect === 'widens' ? 'narrows' : effect === 'narrows' ? 'widens' : effect;
}

/** The effect of "more": `widens` when more widens, else `narrows`. */
function more(moreWidens: boolean): DiffEffect {
  return moreWidens ? 'widens' : 'narrows';
}

/** Appends a change, leaving out absent values (exactOptionalPropertyTypes). */
export function push(
  out: Changes,
  change: { path: string; kind: DiffChange['kind']; effect: DiffEffect; summary: string },
  before?: DiffValue,
  after?: DiffValue,
): void {
  out.push({
    ...change,
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
  });
}

function sorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function list(values: readonly string[]): string {
  return values.length === 0 ? '(none)' : values.join(', ');
}

/**
 * A set-valued field. `moreWidens`: whether a larger set gives more access (a rule's `tlp`) or
 * less (a tier's `requires_certifications`); `null` for a neutral field.
 */
export function compareSets(
  out: Changes,
  path: string,
  label: string,
  before: readonly string[],
  after: readonly string[],
  moreWidens: boolean | null,
): void {
  const b = sorted(before);
  const a = sorted(after);
  const added = a.filter((x) => !b.includes(x));
  const removed = b.filter((x) => !a.includes(x));
  if (added.length === 0 && removed.length === 0) return;
  const effect: DiffEffect =
    moreWidens === null
      ? 'neutral'
      : removed.length === 0
        ? more(moreWidens)
        : added.length === 0
          ? more(!moreWidens)
          : 'mixed';
  const delta = [...added.map((x) => `+${x}`), ...removed.map((x) => `−${x}`)].join(' ');
  push(out, { path, kind: 'changed', effect, summary: `${label}: ${delta}` }, b, a);
}

/**
 * A set-valued field where absence means "any" (a match's `tlp`, a rule's `rsit`): absent →
 * present shrinks the set from everything.
 */
export function compareOptionalSet(
  out: Changes,
  path: string,
  label: string,
  before: readonly string[] | undefined,
  after: readonly string[] | undefined,
  moreWidens: boolean,
): void {
  if (before !== undefined && after !== undefined) {
    compareSets(out, path, label, before, after, moreWidens);
    return;
  }
  if (before === undefined && after === undefined) return;
  const effect = before === undefined ? more(!moreWidens) : more(moreWidens);
  const summary =
    before === undefined
      ? `${label} limited to ${list(sorted(after ?? []))} (was any)`
      : `${label} no longer limited (was ${list(sorted(before))})`;
  push(
    out,
    { path, kind: 'changed', effect, summary },
    before === undefined ? 'any' : sorted(before),
    after === undefined ? 'any' : sorted(after),
  );
}

/** A number where higher widens (`higherWidens`) or narrows; `show` renders it. */
export function compareNumber(
  out: Changes,
  path: string,
  label: string,
  before: number,
  after: number,
  higherWidens: boolean,
  show: (n: number) => DiffValue = (n) => n,
): void {
  if (before === after) return;
  const effect = after > before ? more(higherWidens) : more(!higherWidens);
  push(
    out,
    {
      path,
      kind: 'changed',
      effect,
      summary: `${label}: ${String(show(before))} → ${String(show(after))}`,
    },
    show(before),
    show(after),
  );
}

/**
 * An optional threshold: absent means the condition is not there. Adding one (absent →
 * present) has effect `whenAdded`.
 */
export function compareOptionalNumber(
  out: Changes,
  path: string,
  label: string,
  before: number | undefined,
  after: number | undefined,
  higherWidens: boolean,
  whenAdded: DiffEffect,
): void {
  if (before !== undefined && after !== undefined) {
    compareNumber(out, path, label, before, after, higherWidens);
    return;
  }
  if (before === undefined && after !== undefined)
    push(
      out,
      { path, kind: 'added', effect: whenAdded, summary: `${label} set to ${after}` },
      undefined,
      after,
    );
  if (before !== undefined && after === undefined)
    push(
      out,
      {
        path,
        kind: 'removed',
        effect: flipEffect(whenAdded),
        summary: `${label} ${before} removed`,
      },
      before,
    );
}

/** A boolean where `true` widens (`trueWidens`) or narrows; `null` for a neutral field. */
export function compareBool(
  out: Changes,
  path: string,
  label: string,
  before: boolean,
  after: boolean,
  trueWidens: boolean | null,
): void {
  if (before === after) return;
  const effect = trueWidens === null ? 'neutral' : after ? more(trueWidens) : more(!trueWidens);
  push(
    out,
    { path, kind: 'changed', effect, summary: `${label}: ${before} → ${after}` },
    before,
    after,
  );
}

/** A text field with no bearing on access (a title, a name), or a fixed effect. */
export function compareText(
  out: Changes,
  path: string,
  label: string,
  before: string,
  after: string,
  effect: DiffEffect = 'neutral',
): void {
  if (before === after) return;
  push(
    out,
    { path, kind: 'changed', effect, summary: `${label}: ${before} → ${after}` },
    before,
    after,
  );
}

/** A position in an ordered scale (`order`), where later widens (`laterWidens`) or narrows. */
export function compareOrdinal(
  out: Changes,
  path: string,
  label: string,
  before: string,
  after: string,
  order: readonly string[],
  laterWidens: boolean,
): void {
  if (before === after) return;
  const effect =
    order.indexOf(after) > order.indexOf(before) ? more(laterWidens) : more(!laterWidens);
  push(
    out,
    { path, kind: 'changed', effect, summary: `${label}: ${before} → ${after}` },
    before,
    after,
  );
}

/**
 * A duration where longer widens (`longerWidens`) or narrows. Durations of equal length written
 * differently (`P7D`, `P1W`) are a neutral change; incomparable ones (`P1M`, `P30D`) mixed.
 */
export function compareDuration(
  out: Changes,
  path: string,
  label: string,
  before: Duration,
  after: Duration,
  longerWidens: boolean,
): void {
  const b = formatDuration(before);
  const a = formatDuration(after);
  if (a === b) return;
  const notLonger = durationNeverExceeds(after, before);
  const notShorter = durationNeverExceeds(before, after);
  const effect: DiffEffect =
    notLonger && notShorter
      ? 'neutral'
      : notShorter
        ? more(longerWidens)
        : notLonger
          ? more(!longerWidens)
          : 'mixed';
  push(out, { path, kind: 'changed', effect, summary: `${label}: ${b} → ${a}` }, b, a);
}

/** An optional cap (absent = no cap): adding one narrows when longer widens, and so on. */
export function compareOptionalDuration(
  out: Changes,
  path: string,
  label: string,
  before: Duration | undefined,
  after: Duration | undefined,
  longerWidens: boolean,
): void {
  if (before !== undefined && after !== undefined) {
    compareDuration(out, path, label, before, after, longerWidens);
    return;
  }
  if (before === undefined && after !== undefined)
    push(
      out,
      {
        path,
        kind: 'added',
        effect: more(!longerWidens),
        summary: `${label} set to ${formatDuration(after)}`,
      },
      undefined,
      formatDuration(after),
    );
  if (before !== undefined && after === undefined)
    push(
      out,
      {
        path,
        kind: 'removed',
        effect: more(longerWidens),
        summary: `${label} ${formatDuration(before)} removed`,
      },
      formatDuration(before),
    );
}

/** How strongly a minimisation protects a property path: 0 kept, 1 pseudonymised, 2 dropped. */
function protection(m: Minimisation, path: string): number {
  return m.drop.includes(path) ? 2 : m.pseudonymise.includes(path) ? 1 : 0;
}

function comparePaths(
  out: Changes,
  path: string,
  label: string,
  before: Minimisation,
  after: Minimisation,
  field: 'drop' | 'pseudonymise',
): void {
  const b = sorted(before[field]);
  const a = sorted(after[field]);
  const changed = [...a.filter((p) => !b.includes(p)), ...b.filter((p) => !a.includes(p))];
  if (changed.length === 0) return;
  // A path that moves from pseudonymised to dropped is protected more, not less: judge each
  // path by its protection in the whole minimisation, not by the one list.
  const effects = new Set(
    changed.map((p) => (protection(after, p) > protection(before, p) ? 'narrows' : 'widens')),
  );
  const effect: DiffEffect =
    effects.size === 1 ? (effects.has('narrows') ? 'narrows' : 'widens') : 'mixed';
  const delta = changed.map((p) => (a.includes(p) ? `+${p}` : `−${p}`)).join(' ');
  push(out, { path, kind: 'changed', effect, summary: `${label}: ${delta}` }, b, a);
}

function showMs(ms: number): string {
  if (ms === 0) return 'none';
  if (ms % 1000 !== 0) return `${ms}ms`;
  const total = ms / 1000;
  return formatDuration({
    years: 0,
    months: 0,
    weeks: 0,
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  });
}

/** A minimisation, field by field: coarser or more removed narrows. */
export function compareMinimisation(
  out: Changes,
  path: string,
  before: Minimisation,
  after: Minimisation,
): void {
  comparePaths(out, `${path}.drop`, 'dropped fields', before, after, 'drop');
  comparePaths(out, `${path}.pseudonymise`, 'pseudonymised fields', before, after, 'pseudonymise');
  compareNumber(
    out,
    `${path}.ipv4_prefix`,
    'IPv4 prefix kept',
    before.ipv4Prefix,
    after.ipv4Prefix,
    true,
  );
  compareNumber(
    out,
    `${path}.ipv6_prefix`,
    'IPv6 prefix kept',
    before.ipv6Prefix,
    after.ipv6Prefix,
    true,
  );
  compareNumber(
    out,
    `${path}.coarsen_timestamps`,
    'timestamp precision',
    before.timePrecisionMs,
    after.timePrecisionMs,
    false,
    showMs,
  );
  compareBool(
    out,
    `${path}.strip_source_refs`,
    'strip source references',
    before.stripSourceRefs,
    after.stripSourceRefs,
    false,
  );
}

/** Handling: a stricter PAP narrows, wider onward sharing widens. */
export function compareHandling(
  out: Changes,
  path: string,
  before: Handling,
  after: Handling,
): void {
  compareOrdinal(out, `${path}.pap`, 'PAP', before.pap, after.pap, PAP_LEVELS, false);
  compareOrdinal(
    out,
    `${path}.onward_sharing`,
    'onward sharing',
    before.onwardSharing,
    after.onwardSharing,
    ONWARD_SHARING_LEVELS,
    true,
  );
}

const MATCH_FIELDS: readonly (readonly [keyof Match, string])[] = [
  ['types', 'types'],
  ['tlp', 'tlp'],
  ['personalData', 'personal_data'],
  ['rsit', 'rsit'],
  ['purposes', 'purposes'],
  ['fromParties', 'from_parties'],
  ['toParties', 'to_parties'],
  ['toAgencies', 'to_agencies'],
];

/**
 * A `Match`, field by field (an absent field matches anything). `widerWidens`: whether
 * matching more releases gives more access (a grant) or less (a forbidding rule).
 */
export function compareMatch(
  out: Changes,
  path: string,
  before: Match,
  after: Match,
  widerWidens: boolean,
): void {
  for (const [key, name] of MATCH_FIELDS)
    compareOptionalSet(out, `${path}.${name}`, name, before[key], after[key], widerWidens);
}

/** A short text of a match for summaries: `tlp red; types indicator`. */
export function describeMatch(match: Match): string {
  const parts = MATCH_FIELDS.flatMap(([key, name]) => {
    const v = match[key];
    return v === undefined ? [] : [`${name} ${v.join(', ')}`];
  });
  return parts.length === 0 ? 'everything' : parts.join('; ');
}
