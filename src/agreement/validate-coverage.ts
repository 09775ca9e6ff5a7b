/**
 * Dead and contradictory rules. A rule describes a set of releases: a box over seven finite
 * dimensions (type, TLP, personal data, RSIT class, purpose, producing party, receiving
 * agency). A `Match` that denies is a box too (docs/spec/decisions.md matching: an absent
 * field is the whole dimension; a present `rsit` never holds for an object with no class, so
 * only a denier WITHOUT `rsit` covers a rule without `rsit`). A rule is dead when the union of
 * the deniers' boxes contains its box; `covered` decides that exactly by splitting the box
 * along the first denier that cuts it, until every piece is inside some denier or outside all.
 */
import type { AgreementIssue } from './issue-codes.js';
import type { Agreement, Constraint, Match, ReleaseRule, Tier } from './model.js';
import { RSIT_CLASSES } from './model.js';
import { issue, type Locator } from './yaml-source.js';

const DIMS = ['type', 'tlp', 'pd', 'rsit', 'purpose', 'producer', 'agency'] as const;
type Dim = (typeof DIMS)[number];
/** A set per dimension; `undefined` is the whole dimension (deniers only). */
type Box = Readonly<Record<Dim, ReadonlySet<string> | undefined>>;

/** Stands for "the object carries no RSIT class". */
const NO_RSIT = '';

function subset(a: ReadonlySet<string>, b: ReadonlySet<string> | undefined): boolean {
  if (b === undefined) return true;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function intersects(a: ReadonlySet<string>, b: ReadonlySet<string> | undefined): boolean {
  if (b === undefined) return a.size > 0;
  for (const x of a) if (b.has(x)) return true;
  return false;
}

/** `box` has a concrete set in every dimension (a rule's box and its pieces). */
function covered(box: Box, deniers: readonly Box[]): boolean {
  const sets = DIMS.map((d) => box[d] ?? new Set<string>());
  if (sets.some((s) => s.size === 0)) return true; // an empty piece needs no cover
  const relevant = deniers.filter((dn) =>
    DIMS.every((d, i) => intersects(sets[i] ?? new Set(), dn[d])),
  );
  if (relevant.length === 0) return false;
  if (relevant.some((dn) => DIMS.every((d, i) => subset(sets[i] ?? new Set(), dn[d])))) return true;
  const cutter = relevant[0];
  if (cutter === undefined) return false;
  const dim = DIMS.find((d) => !subset(box[d] ?? new Set(), cutter[d]));
  const cut = dim === undefined ? undefined : cutter[dim];
  if (dim === undefined || cut === undefined) return true;
  const current = box[dim] ?? new Set<string>();
  const inside = new Set([...current].filter((x) => cut.has(x)));
  const outside = new Set([...current].filter((x) => !cut.has(x)));
  return (
    covered({ ...box, [dim]: inside }, relevant) && covered({ ...box, [dim]: outside }, relevant)
  );
}

interface World {
  readonly a: Agreement;
  readonly partyOf: ReadonlyMap<string, string>;
}

/** The box of releases a `Match` holds for, within an optional extension's coverage. */
function matchBox(w: World, m: Match, extParties?: readonly string[]): Box {
  const set = (xs: readonly string[] | undefined): ReadonlySet<string> | undefined =>
    xs === undefined ? undefined : new Set(xs);
  let agency: Set<string> | undefined;
  const restrict = (keep: (ag: string) => boolean): void => {
    const base = agency ?? new Set(w.a.agencies.map((x) => x.id));
    agency = new Set([...base].filter(keep));
  };
  if (m.toAgencies !== undefined) restrict((ag) => m.toAgencies?.includes(ag) ?? false);
  if (m.toParties !== undefined)
    restrict((ag) => m.toParties?.includes(w.partyOf.get(ag) ?? '') ?? false);
  let producer = set(m.fromParties);
  if (extParties !== undefined) {
    restrict((ag) => extParties.includes(w.partyOf.get(ag) ?? ''));
    producer = new Set([...(producer ?? extParties)].filter((p) => extParties.includes(p)));
  }
  return {
    type: set(m.types),
    tlp: set(m.tlp),
    pd: set(m.personalData),
    rsit: set(m.rsit),
    purpose: set(m.purposes),
    producer,
    agency,
  };
}

/** The releases `rule` of `tier` describes to `agencies`. */
function ruleBox(w: World, tier: Tier, rule: ReleaseRule, agencies: readonly string[]): Box {
  const ext =
    tier.extension === undefined ? undefined : w.a.extensions.find((e) => e.id === tier.extension);
  const producers = w.a.parties
    .map((p) => p.id)
    .filter((p) => ext === undefined || ext.parties.includes(p));
  return {
    type: new Set(rule.types),
    tlp: new Set(rule.tlp),
    pd: new Set(rule.personalData),
    rsit: new Set(rule.rsit ?? [...RSIT_CLASSES, NO_RSIT]),
    purpose: new Set(rule.purposes),
    producer: new Set(producers),
    agency: new Set(agencies),
  };
}

function where(ref: { readonly source?: { path: string; line: number; column: number } }): string {
  const s = ref.source;
  return s === undefined ? '' : ` (\`${s.path}\`, line ${s.line}:${s.column})`;
}

/**
 * The constraints of the agency's party that deny every release to it that they match: `forbid`
 * with scope `incoming`/`both`, and `require-certification` the agency does not hold at all.
 */
function denyingConstraints(w: World, agency: string): Constraint[] {
  const party = w.a.parties.find((p) => p.id === w.partyOf.get(agency));
  const holds = new Set(w.a.agencies.find((x) => x.id === agency)?.certifications.map((c) => c.id));
  return (party?.constraints ?? []).filter(
    (c) =>
      c.scope !== 'outgoing' &&
      (c.kind === 'forbid' ||
        (c.kind === 'require-certification' && c.certifications.some((x) => !holds.has(x)))),
  );
}

/** Reports rules that can never apply, and rules a party's own constraint contradicts. */
export function validateCoverage(
  ctx: { readonly locator: Locator; readonly issues: AgreementIssue[] },
  a: Agreement,
): void {
  const w: World = { a, partyOf: new Map(a.agencies.map((x) => [x.id, x.party])) };
  const known = new Set(w.partyOf.keys());
  for (const tier of a.tiers) {
    const agencies = tier.agencies.filter((ag) => known.has(ag));
    if (agencies.length === 0) continue;
    const ext =
      tier.extension === undefined ? undefined : a.extensions.find((e) => e.id === tier.extension);
    // Never-release rules of the core and of every extension that may cover these releases.
    const never = [
      ...a.core.neverRelease.map((n) => ({ n, box: matchBox(w, n.match) })),
      ...a.extensions.flatMap((e) =>
        e.neverRelease.map((n) => ({ n, box: matchBox(w, n.match, e.parties) })),
      ),
    ];
    for (const rule of tier.rules) {
      const path = rule.ref.source?.path ?? '';
      const pos = ctx.locator.keyAt(path);
      const box = ruleBox(w, tier, rule, agencies);
      if (DIMS.some((d) => (box[d]?.size ?? 0) === 0)) continue;
      if (
        covered(
          box,
          never.map((x) => x.box),
        )
      ) {
        const names = never
          .filter((x) => DIMS.every((d) => intersects(box[d] ?? new Set(), x.box[d])))
          .map((x) => `\`${x.n.id}\`${where(x.n.ref)}`);
        ctx.issues.push(
          issue(
            'rule-never-applies',
            `rule \`${rule.id}\` of tier \`${tier.id}\` can never release anything: every release it describes is denied by never-release ${names.join(', ')}`,
            path,
            pos,
          ),
        );
        continue;
      }
      for (const ag of agencies) {
        const cons = denyingConstraints(w, ag);
        const agBox = { ...box, agency: new Set([ag]) };
        const boxes = cons.map((c) => ({ c, box: matchBox(w, c.when) }));
        if (
          !covered(
            agBox,
            boxes.map((x) => x.box),
          )
        )
          continue;
        const hit = boxes.filter((x) =>
          DIMS.every((d) => intersects(agBox[d] ?? new Set(), x.box[d])),
        );
        const named = hit.map(
          ({ c }) =>
            `constraint \`${c.id}\`${where(c.ref)}${c.kind === 'require-certification' ? ` (requires ${c.certifications.map((x) => `\`${x}\``).join(', ')}, which \`${ag}\` does not hold)` : ''}`,
        );
        ctx.issues.push(
          issue(
            'rule-contradicts-constraint',
            `rule \`${rule.id}\`${where(rule.ref)} of tier \`${tier.id}\`${ext !== undefined ? ` (extension \`${ext.id}\`)` : ''} can never release to agency \`${ag}\`: party \`${w.partyOf.get(ag) ?? ''}\`'s ${named.join(' and ')} ${named.length > 1 ? 'together forbid' : 'forbids'} every release the rule describes`,
            path,
            pos,
          ),
        );
      }
    }
  }
}
