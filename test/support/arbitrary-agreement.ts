/**
 * fast-check generators of random VALID agreement models and of decision requests and states
 * biased towards hitting their rules (docs/spec/decisions.md). Used by the differential test of
 * the compiled engine against the reference interpreter and by the metamorphic properties.
 *
 * Validity here means what src/agreement's validator guarantees: ids unique, references
 * resolve, lists non-empty where the model says so, minimisations normalised (sorted, unique,
 * `pseudonymise` disjoint from `drop`), level ranges ordered, extension tiers listed both in
 * their extension and in `Agreement.tiers` after the core tiers.
 */
import fc from 'fast-check';
import {
  NO_MINIMISATION,
  ONWARD_SHARING_LEVELS,
  PAP_LEVELS,
  PERSONAL_DATA_CATEGORIES,
  RSIT_CLASSES,
  TLP_LABELS,
  type Agency,
  type Agreement,
  type ClauseKind,
  type ClauseRef,
  type Constraint,
  type Extension,
  type Handling,
  type Match,
  type Minimisation,
  type NeverRelease,
  type Party,
  type PersonalData,
  type ReleaseRule,
  type RsitClass,
  type Tier,
  type Tlp,
} from '../../src/agreement/index.js';
import type { Duration } from '../../src/core/index.js';
import type {
  ActiveWaiver,
  DecisionRequest,
  DecisionState,
  Pause,
  Revocation,
} from '../../src/policy/index.js';

/** 2026-01-01T00:00:00Z, the centre of every generated timeline. */
export const T0 = Date.UTC(2026, 0, 1);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export const TYPES = [
  'indicator',
  'malware',
  'report',
  'email-addr',
  'ipv4-addr',
  'threat-actor',
] as const;
const UNKNOWN_TYPE = 'x-unknown-type';
const PURPOSE_POOL = ['incident-response', 'threat-detection', 'attribution', 'research'];
const CERTS = ['cert-a', 'cert-b', 'cert-c'];
const PATHS = ['*.description', 'email-addr.value', 'ipv4-addr.value', 'user-account.user_id'];
const RSIT_POOL: readonly RsitClass[] = RSIT_CLASSES.slice(0, 4);

/**
 * A source of random integers. Agreements draw through fast-check (`fc.gen()`, so they shrink);
 * the many requests per agreement draw from a small seeded PRNG whose seed fast-check draws,
 * which keeps a run reproducible from fast-check's `seed`/`path` at a fraction of the cost.
 */
export interface Draw {
  /** A uniform integer in [min, max]. */
  int(min: number, max: number): number;
}

/** Draws through fast-check, unbiased (fast-check biases numbers towards their bounds, which
 * would skew `chance` and `pick`; edge values are chosen explicitly instead). */
export function drawFrom(g: fc.GeneratorValue): Draw {
  return { int: (min, max) => g(() => fc.noBias(fc.integer({ min, max }))) };
}

/** mulberry32: a small, fast, seeded PRNG (public domain). */
export function seededDraw(seed: number): Draw {
  let a = seed >>> 0;
  return {
    int(min, max) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      return min + Math.floor(u * (max - min + 1));
    },
  };
}

const int = (d: Draw, min: number, max: number): number => d.int(min, max);
const pick = <T>(d: Draw, xs: readonly T[]): T => xs[d.int(0, xs.length - 1)]!;
const chance = (d: Draw, p: number): boolean => d.int(0, 9_999) < p * 10_000;
/** A random subset of at least `min` elements, in the order of `xs`. */
function subset<T>(d: Draw, xs: readonly T[], min: number): T[] {
  const out = xs.filter(() => chance(d, 0.5));
  while (out.length < Math.min(min, xs.length)) {
    const x = pick(d, xs);
    if (!out.includes(x)) out.push(x);
  }
  return xs.filter((x) => out.includes(x));
}
/** A non-empty subset, in the order of `xs`. */
const someOf = <T>(d: Draw, xs: readonly T[]): T[] => subset(d, xs, 1);
const anyOf = <T>(d: Draw, xs: readonly T[]): T[] => subset(d, xs, 0);

function ref(g: Draw, kind: ClauseKind, id: string, path: string): ClauseRef {
  return chance(g, 0.8)
    ? { kind, id, source: { path, line: int(g, 1, 400), column: int(g, 1, 40) } }
    : { kind, id };
}

function duration(g: Draw): Duration {
  const zero = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
  switch (int(g, 0, 4)) {
    case 0:
      return { ...zero, days: int(g, 1, 200) };
    case 1:
      return { ...zero, hours: int(g, 1, 96) };
    case 2:
      return { ...zero, weeks: int(g, 1, 8), days: int(g, 0, 6) };
    case 3:
      return { ...zero, months: int(g, 1, 7) };
    default:
      return { ...zero, years: int(g, 0, 1), months: int(g, 0, 3), days: int(g, 0, 10) };
  }
}

function minimisation(g: Draw): Minimisation {
  if (chance(g, 0.3)) return NO_MINIMISATION;
  const drop = anyOf(g, PATHS).sort();
  const pseudonymise = anyOf(g, PATHS)
    .filter((p) => !drop.includes(p))
    .sort();
  return {
    drop,
    pseudonymise,
    ipv4Prefix: pick(g, [32, 24, 16, 8]),
    ipv6Prefix: pick(g, [128, 64, 48]),
    timePrecisionMs: pick(g, [0, 1000, HOUR, DAY]),
    stripSourceRefs: chance(g, 0.3),
  };
}

function handling(g: Draw): Handling {
  return { pap: pick(g, PAP_LEVELS), onwardSharing: pick(g, ONWARD_SHARING_LEVELS) };
}

interface Names {
  readonly parties: readonly string[];
  readonly agencies: readonly string[];
  readonly purposes: readonly string[];
}

/** A sparse random match: each field present with probability `p`. */
function match(g: Draw, names: Names, p: number): Match {
  const m: {
    -readonly [K in keyof Match]: Match[K];
  } = {};
  if (chance(g, p)) m.types = someOf(g, [...TYPES, UNKNOWN_TYPE]);
  if (chance(g, p)) m.tlp = someOf(g, TLP_LABELS);
  if (chance(g, p)) m.personalData = someOf(g, PERSONAL_DATA_CATEGORIES);
  if (chance(g, p)) m.rsit = someOf(g, RSIT_POOL);
  if (chance(g, p)) m.purposes = someOf(g, names.purposes);
  if (chance(g, p / 2)) m.fromParties = someOf(g, names.parties);
  if (chance(g, p / 2)) m.toParties = someOf(g, names.parties);
  if (chance(g, p / 2)) m.toAgencies = someOf(g, names.agencies);
  return m;
}

function constraint(g: Draw, names: Names, party: string, id: string, path: string): Constraint {
  const base = {
    id,
    party,
    scope: pick(g, ['outgoing', 'incoming', 'both'] as const),
    when: match(g, names, 0.5),
    ref: ref(g, 'constraint', id, path),
  };
  switch (pick(g, [0, 1, 2, 2, 3, 3])) {
    case 0:
      return { ...base, kind: 'forbid' };
    case 1:
      return { ...base, kind: 'require-certification', certifications: someOf(g, CERTS) };
    case 2:
      return { ...base, kind: 'max-retention', retention: duration(g) };
    default:
      return { ...base, kind: 'minimise', minimise: minimisation(g) };
  }
}

function neverRules(g: Draw, names: Names, prefix: string, max: number): NeverRelease[] {
  const n = int(g, 0, max);
  return Array.from({ length: n }, (_, i) => {
    const id = `${prefix}-${i}`;
    return {
      id,
      match: match(g, names, 0.6),
      ref: ref(g, 'never-release', id, `${prefix}[${i}]`),
    };
  });
}

function rule(g: Draw, names: Names, tier: string, i: number, levels: number): ReleaseRule {
  const id = `${tier}-r${i}`;
  const fromLevel = int(g, 0, levels - 1);
  const r: { -readonly [K in keyof ReleaseRule]: ReleaseRule[K] } = {
    id,
    tier,
    types: someOf(g, TYPES),
    tlp: someOf(g, TLP_LABELS),
    purposes: someOf(g, names.purposes),
    personalData: chance(g, 0.5) ? ['none'] : someOf(g, PERSONAL_DATA_CATEGORIES),
    fromLevel,
    untilLevel: int(g, fromLevel, levels - 1),
    retention: duration(g),
    minimise: minimisation(g),
    handling: handling(g),
    ref: ref(g, 'rule', id, `tiers.${tier}.release[${i}]`),
  };
  if (chance(g, 0.3)) r.rsit = someOf(g, RSIT_POOL);
  if (chance(g, 0.3)) r.minConfidence = int(g, 0, 100);
  return r;
}

function tier(g: Draw, names: Names, id: string, levels: number, extension?: string): Tier {
  const rules = Array.from({ length: int(g, 1, 3) }, (_, i) => rule(g, names, id, i, levels));
  const t = {
    id,
    agencies: someOf(g, names.agencies),
    requiresCertifications: chance(g, 0.6) ? [] : someOf(g, CERTS),
    rules,
    ref: ref(g, 'tier', id, `tiers.${id}`),
  };
  return extension === undefined ? t : { ...t, extension };
}

/** A random valid agreement model. */
export function genAgreement(g: Draw): Agreement {
  const parties = ['P0', 'P1', 'P2', 'P3'].slice(0, int(g, 2, 4));
  const agencies = Array.from({ length: int(g, 2, 6) }, (_, i) => `AG${i}`);
  const purposes = someOf(g, PURPOSE_POOL);
  const names: Names = { parties, agencies, purposes };
  const levelCount = int(g, 2, 5);

  const partyModels: Party[] = parties.map((p, pi) => ({
    id: p,
    name: `Party ${p}`,
    constraints: Array.from({ length: int(g, 0, 3) }, (_, ci) =>
      constraint(g, names, p, `${p}-c${ci}`, `parties[${pi}].constraints[${ci}]`),
    ),
    ref: ref(g, 'party', p, `parties[${pi}]`),
  }));
  const agencyModels: Agency[] = agencies.map((a) => ({
    id: a,
    party: pick(g, parties),
    name: `Agency ${a}`,
    roles: [],
    certifications: anyOf(g, CERTS).map((c) => ({
      id: c,
      expires: T0 + int(g, -30, 400) * DAY + pick(g, [0, 1, -1, HOUR]),
      ref: ref(g, 'agreement', c, `agencies.${a}.certifications`),
    })),
    ref: ref(g, 'agreement', a, `agencies.${a}`),
  }));

  const coreTiers = Array.from({ length: int(g, 1, 3) }, (_, i) =>
    tier(g, names, `t${i}`, levelCount),
  );
  const extensions: Extension[] = [];
  const extTiers: Tier[] = [];
  const extensionCount = int(g, 0, 2);
  for (let e = 0; e < extensionCount; e++) {
    const id = `ext${e}`;
    const tiers = Array.from({ length: int(g, 0, 2) }, (_, i) =>
      tier(g, names, `${id}-t${i}`, levelCount, id),
    );
    extTiers.push(...tiers);
    const ext = {
      id,
      parties: subset(g, parties, 2),
      neverRelease: neverRules(g, names, `${id}-never`, 1),
      minimise: minimisation(g),
      handling: handling(g),
      tiers: tiers.map((t) => t.id),
      ref: ref(g, 'extension', id, `extensions.${id}`),
    };
    extensions.push(chance(g, 0.6) ? { ...ext, maxRetention: duration(g) } : ext);
  }

  const from = T0 + int(g, -10, 10) * DAY;
  const agreement: Agreement = {
    concordat: 1,
    id: 'generated',
    version: int(g, 1, 9),
    title: 'Generated agreement',
    effective: chance(g, 0.6) ? { from, until: from + int(g, 30, 500) * DAY } : { from },
    parties: partyModels,
    agencies: agencyModels,
    officials: [],
    purposes: purposes.map((p) => ({ id: p, description: p, ref: ref(g, 'agreement', p, 'p') })),
    levels: Array.from({ length: levelCount }, (_, i) => ({
      id: `L${i}`,
      index: i,
      ref: ref(g, 'agreement', `L${i}`, `levels[${i}]`),
    })),
    core: {
      maxRetention: duration(g),
      neverRelease: neverRules(g, names, 'core-never', 2),
      minimise: minimisation(g),
      handling: handling(g),
      ref: ref(g, 'core', 'core', 'core'),
    },
    tiers: [...coreTiers, ...extTiers],
    extensions,
    triggers: [],
    sanctions: [],
    ref: ref(g, 'agreement', 'generated', ''),
  };
  if (!chance(g, 0.7)) return agreement;
  return {
    ...agreement,
    waivers: {
      maxDuration: pick(g, [
        { years: 0, months: 0, weeks: 0, days: 0, hours: 72, minutes: 0, seconds: 0 },
        { years: 0, months: 0, weeks: 0, days: 7, hours: 0, minutes: 0, seconds: 0 },
        { years: 0, months: 1, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 },
      ]),
      postReviewWithin: duration(g),
      approval: { automatic: false, quorum: 2, roles: [], distinctParties: true },
      neverWaive: neverRules(g, names, 'never-waive', 2),
      ref: ref(g, 'waiver-policy', 'waivers', 'waivers'),
    },
  };
}

/** Instants where decisions change: effective dates and certification expiries. */
export function edges(A: Agreement): number[] {
  const out = [A.effective.from];
  if (A.effective.until !== undefined) out.push(A.effective.until);
  for (const a of A.agencies) for (const c of a.certifications) out.push(c.expires);
  return out;
}

function instant(g: Draw, A: Agreement): number {
  const span = A.effective.until === undefined ? 400 * DAY : A.effective.until - A.effective.from;
  const base = chance(g, 0.35) ? pick(g, edges(A)) : A.effective.from + int(g, 0, span - 1);
  return base + pick(g, [0, 0, -1, 1, -HOUR, HOUR, int(g, -5, 5) * DAY]);
}

function names(A: Agreement): Names {
  return {
    parties: A.parties.map((p) => p.id),
    agencies: A.agencies.map((a) => a.id),
    purposes: A.purposes.map((p) => p.id),
  };
}

/** A request biased towards some rule of `A`, sometimes naming things `A` does not know. */
export function genRequest(g: Draw, A: Agreement): { request: DecisionRequest; level: number } {
  const n = names(A);
  const rules = A.tiers.flatMap((t) => t.rules.map((r) => ({ t, r })));
  const aimed = rules.length > 0 && chance(g, 0.6) ? pick(g, rules) : undefined;
  const maybe = <T>(xs: readonly T[], odd: T): T => (chance(g, 0.05) ? odd : pick(g, xs));
  const r = aimed?.r;
  const type = r === undefined ? maybe([...TYPES, UNKNOWN_TYPE], UNKNOWN_TYPE) : pick(g, r.types);
  const tlp: Tlp = r === undefined ? pick(g, TLP_LABELS) : pick(g, r.tlp);
  const personalData: PersonalData =
    r === undefined ? pick(g, PERSONAL_DATA_CATEGORIES) : pick(g, r.personalData);
  const rsitChoices: readonly (RsitClass | undefined)[] = r?.rsit ?? [
    undefined,
    undefined,
    ...RSIT_POOL,
  ];
  const rsit = pick(g, rsitChoices);
  const confidence = chance(g, 0.3)
    ? undefined
    : r?.minConfidence !== undefined && chance(g, 0.7)
      ? int(g, r.minConfidence, 100)
      : int(g, 0, 100);
  const ext = aimed?.t.extension;
  const extParties = A.extensions.find((e) => e.id === ext)?.parties;
  const producer = maybe(extParties ?? n.parties, 'P-UNKNOWN');
  const agency = maybe(aimed?.t.agencies ?? n.agencies, 'AG-UNKNOWN');
  const purpose = maybe(r?.purposes ?? n.purposes, 'unknown-purpose');
  const object = {
    type,
    tlp,
    personalData,
    producer,
    ...(rsit === undefined ? {} : { rsit }),
    ...(confidence === undefined ? {} : { confidence }),
  };
  const level =
    r === undefined ? int(g, 0, A.levels.length - 1) : int(g, r.fromLevel, r.untilLevel);
  return { request: { agency, purpose, object, at: instant(g, A) }, level };
}

/** A runtime state around `request.at`: a level, and sometimes pauses, waivers, revocations. */
export function genState(
  g: Draw,
  A: Agreement,
  request: DecisionRequest,
  level: number,
): DecisionState {
  const n = names(A);
  const at = request.at;
  const near = (): number =>
    at + pick(g, [0, -1, 1, -DAY, DAY, -HOUR, HOUR, int(g, -72, 72) * HOUR]);
  const pauses: Pause[] = chance(g, 0.75)
    ? []
    : Array.from({ length: int(g, 1, 2) }, (_, i) => {
        const p = {
          id: `pause-${i}`,
          party: chance(g, 0.6) ? request.object.producer : pick(g, n.parties),
          scope: match(g, n, 0.25),
          since: near(),
        };
        return chance(g, 0.5) ? { ...p, until: near() } : p;
      });
  const waivers: ActiveWaiver[] = chance(g, 0.6)
    ? []
    : Array.from({ length: int(g, 1, 2) }, (_, i) => {
        const from = near();
        const grants = {
          types: chance(g, 0.6) ? [request.object.type] : someOf(g, TYPES),
          tlp: chance(g, 0.6) ? [request.object.tlp] : someOf(g, TLP_LABELS),
          purposes: chance(g, 0.7) ? [request.purpose] : someOf(g, n.purposes),
          personalData: chance(g, 0.6)
            ? [request.object.personalData]
            : someOf(g, PERSONAL_DATA_CATEGORIES),
        };
        return {
          id: `waiver-${i}`,
          agencies: chance(g, 0.7) ? [request.agency] : someOf(g, n.agencies),
          grants: chance(g, 0.3) ? { ...grants, rsit: someOf(g, RSIT_POOL) } : grants,
          retention: duration(g),
          from,
          expires: from + pick(g, [HOUR, 24 * HOUR, 72 * HOUR, 72 * HOUR + 1, 40 * DAY]),
        };
      });
  const revocations: Revocation[] = chance(g, 0.75)
    ? []
    : Array.from({ length: int(g, 1, 2) }, () => ({
        agency: chance(g, 0.7) ? request.agency : pick(g, n.agencies),
        certification: pick(g, CERTS),
        since: near(),
      }));
  const levelId = chance(g, 0.03) ? 'L-UNKNOWN' : (A.levels[level]?.id ?? 'L0');
  return { level: levelId, waivers, pauses, revocations };
}

/** One decision input. */
export interface Case {
  readonly request: DecisionRequest;
  readonly state: DecisionState;
}

/** A random request and state for `A`. */
export function genCase(g: Draw, A: Agreement): Case {
  const { request, level } = genRequest(g, A);
  return { request, state: genState(g, A, request, level) };
}

/** A random agreement and `count` random cases for it. */
export function arbitraryScenario(count: number): fc.Arbitrary<{
  agreement: Agreement;
  cases: Case[];
}> {
  return fc.gen().map((g) => {
    const agreement = genAgreement(drawFrom(g));
    const rng = seededDraw(g(fc.integer));
    return { agreement, cases: Array.from({ length: count }, () => genCase(rng, agreement)) };
  });
}
