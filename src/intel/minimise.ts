/**
 * Release-time minimisation (DESIGN.md: data minimisation, privacy by design), driven by a
 * decision's `Minimisation`. Pure and non-mutating: the input object is never changed.
 *
 * What each step does (all type knowledge comes from `SENSITIVE_PROPERTIES` and the official
 * schemas; nothing here branches on a type name):
 * - `drop`: removes `type.prop` / `*.prop` (dotted paths reach into nested objects). A property
 *   the schema *requires* is pseudonymised instead, so the object stays valid STIX.
 * - `pseudonymise`: replaces strings with keyed HMAC-SHA-256 tokens shaped per the table.
 * - `ipv4Prefix` / `ipv6Prefix`: coarsens the table's IP properties to prefix CIDRs.
 * - STIX patterns: literals compared with a dropped or pseudonymised path become tokens; IPs in
 *   literals are coarsened. Patterns in other languages (snort, yara, …) cannot be parsed: only
 *   their IP addresses are coarsened, textually.
 * - `timePrecisionMs`: timestamps are rounded down, except end-of-interval ones
 *   (`valid_until`, `last_seen`, ...), rounded up, so every order STIX requires still holds.
 * - `stripSourceRefs`: removes `created_by_ref` and the table's source refs (unless required),
 *   every top-level `x_` property, and external references not from a public catalogue.
 * - SCO ids: STIX 2.1 §2.9 SCO ids are UUIDv5 of their values, so they leak what was hidden.
 *   Whenever the minimisation hides anything, every SCO id (the object's own and every
 *   reference to an SCO) is replaced by a keyed pseudonymous id — the same for the same id
 *   under one agreement, so references between released objects still line up.
 * - Granular markings whose selectors no longer resolve are removed; a marking that still
 *   applies to something is kept.
 */
import type { Minimisation } from '../agreement/index.js';
import { idType } from './ids.js';
import { coarsenIpv4, coarsenIpv6 } from './ip.js';
import { coarsenLiteral, rewritePatternLiterals } from './pattern.js';
import {
  checkPseudonymKey,
  pseudonymousScoId,
  pseudonymToken,
  type PseudonymKey,
} from './pseudonym.js';
import { schemaRequiredProperties, schemaTimestampProperties } from './schema-validator.js';
import { sensitiveSpecOf, type SensitiveSpec, type TokenShape } from './sensitive-properties.js';
import { isScoType } from './stix-types.js';
import { formatStixTimestamp, parseStixTimestamp } from './timestamps.js';

type Json = Record<string, unknown>;

/** Timestamps that close an interval: rounded up so `start <= end` orders survive. */
const END_TIMESTAMPS: ReadonlySet<string> = new Set([
  'valid_until',
  'last_seen',
  'last_observed',
  'end',
  'stop',
]);

/**
 * External-reference sources that are public catalogues and identify no producer; every other
 * external reference is removed when source refs are stripped (and kept ones lose their
 * free-text `description`).
 */
export const PUBLIC_REFERENCE_SOURCES: readonly string[] = [
  'capec',
  'cve',
  'cwe',
  'mitre-attack',
  'mitre-ics-attack',
  'mitre-mobile-attack',
  'nvd',
];

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The property paths (after `type.`) a path list selects for `type`. */
function pathsFor(list: readonly string[], type: string): string[][] {
  const out: string[][] = [];
  for (const p of list) {
    const dot = p.indexOf('.');
    if (dot < 0) continue;
    const t = p.slice(0, dot);
    if (t === type || t === '*') out.push(p.slice(dot + 1).split('.'));
  }
  return out;
}

/** Applies `f` to every value at `path` (arrays on the way are traversed). */
function atPath(
  node: unknown,
  path: readonly string[],
  f: (parent: Json, key: string) => void,
): void {
  if (Array.isArray(node)) {
    for (const item of node) atPath(item, path, f);
    return;
  }
  if (!isObj(node) || path.length === 0) return;
  const [head, ...rest] = path as [string, ...string[]];
  if (!(head in node)) return;
  if (rest.length === 0) f(node, head);
  else atPath(node[head], rest, f);
}

function tokenise(value: unknown, key: PseudonymKey, shape: TokenShape): unknown {
  if (typeof value === 'string') return pseudonymToken(key, value, shape);
  if (Array.isArray(value)) return value.map((v) => tokenise(v, key, shape));
  if (isObj(value))
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, tokenise(v, key, 'opaque')]),
    );
  return value;
}

function hides(m: Minimisation): boolean {
  return m.drop.length > 0 || m.pseudonymise.length > 0 || m.ipv4Prefix < 32 || m.ipv6Prefix < 128;
}

function remapRef(r: unknown, key: PseudonymKey): unknown {
  if (typeof r !== 'string') return r;
  const t = idType(r);
  return t !== undefined && isScoType(t) ? pseudonymousScoId(key, t, r) : r;
}

/**
 * Replaces SCO ids in every `*_ref` / `*_refs` of `node`, IN PLACE: `node` is minimise's own
 * copy. Runs on every released object: no closure per key, scalars left as they are.
 */
function remapScoRefs(node: unknown, key: PseudonymKey): void {
  if (Array.isArray(node)) {
    for (const item of node) if (typeof item === 'object' && item !== null) remapScoRefs(item, key);
    return;
  }
  if (!isObj(node)) return;
  for (const k of Object.keys(node)) {
    const v = node[k];
    if (k.endsWith('_ref')) node[k] = remapRef(v, key);
    else if (k.endsWith('_refs') && Array.isArray(v))
      for (let i = 0; i < v.length; i++) v[i] = remapRef(v[i], key);
    else if (typeof v === 'object' && v !== null) remapScoRefs(v, key);
  }
}

/**
 * A deep copy of JSON data (what `structuredClone` gives for it, several times faster). Values
 * that are not plain JSON (a `Date`, a `Map`, ...) are copied by `structuredClone`. An own
 * `__proto__` member (JSON.parse makes one) stays an own member, never a prototype.
 */
function cloneJson(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const list: unknown[] = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) list[i] = cloneJson(v[i]);
    return list;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Json = {};
  for (const k of Object.keys(v)) {
    const item = cloneJson((v as Json)[k]);
    if (k === '__proto__')
      Object.defineProperty(out, k, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[k] = item;
  }
  return out;
}

function resolves(object: Json, selector: string): boolean {
  let node: unknown = object;
  for (const seg of selector.split('.')) {
    const idx = /^\[(\d+)\]$/.exec(seg);
    if (idx !== null) {
      if (!Array.isArray(node) || Number(idx[1]) >= node.length) return false;
      node = node[Number(idx[1])];
    } else {
      if (!isObj(node) || !(seg in node)) return false;
      node = node[seg];
    }
  }
  return true;
}

/** What a minimisation does to objects of one type, worked out once (see {@link planFor}). */
interface TypePlan {
  readonly spec: SensitiveSpec;
  readonly required: ReadonlySet<string>;
  readonly drop: readonly (readonly string[])[];
  /** Paths to pseudonymise (required ones among the dropped included), with token shapes. */
  readonly pseudonymise: readonly {
    readonly path: readonly string[];
    readonly shape: TokenShape;
  }[];
  /** `type.prop` and `*.prop` paths that hide a value (pattern literals compared with them). */
  readonly hidden: ReadonlySet<string>;
  readonly hides: boolean;
}

/** Plans per minimisation (by identity: compiled engines share one per obligation shape). */
const plans = new WeakMap<Minimisation, Map<string, TypePlan>>();
const MAX_TYPES_PER_PLAN = 512;

function shapeOf(type: string, prop: string): TokenShape {
  return sensitiveSpecOf(type).tokenShape?.[prop] ?? 'opaque';
}

function planFor(m: Minimisation, type: string): TypePlan {
  let byType = plans.get(m);
  if (byType === undefined) plans.set(m, (byType = new Map()));
  const known = byType.get(type);
  if (known !== undefined) return known;
  const required = schemaRequiredProperties(type);
  // drop (a required top-level property is pseudonymised instead)
  const toPseudonymise = pathsFor(m.pseudonymise, type);
  const drop: string[][] = [];
  for (const path of pathsFor(m.drop, type)) {
    if (path.length === 1 && required.has(path[0] as string)) toPseudonymise.push(path);
    else drop.push(path);
  }
  const plan: TypePlan = {
    spec: sensitiveSpecOf(type),
    required,
    drop,
    pseudonymise: toPseudonymise.map((path) => ({
      path,
      shape: shapeOf(type, path[path.length - 1] as string),
    })),
    hidden: new Set([...m.drop, ...m.pseudonymise]),
    hides: hides(m),
  };
  if (byType.size < MAX_TYPES_PER_PLAN) byType.set(type, plan);
  return plan;
}

/** Rewrites the literals of a STIX pattern (hidden paths → tokens, IPs coarsened). */
function minimisePattern(
  pattern: string,
  language: unknown,
  m: Minimisation,
  hidden: ReadonlySet<string>,
  key: PseudonymKey,
): string {
  if (language !== undefined && language !== 'stix')
    return coarsenLiteral(pattern, m.ipv4Prefix, m.ipv6Prefix);
  return rewritePatternLiterals(pattern, (t, p, value) =>
    hidden.has(`${t}.${p}`) || hidden.has(`*.${p}`)
      ? pseudonymToken(key, value, shapeOf(t, p))
      : coarsenLiteral(value, m.ipv4Prefix, m.ipv6Prefix),
  );
}

function coarsenProps(
  out: Json,
  props: readonly string[] | undefined,
  f: (v: string, prefix: number) => string | undefined,
  prefix: number,
): void {
  for (const p of props ?? []) {
    const v = out[p];
    if (typeof v === 'string') out[p] = f(v, prefix) ?? v;
  }
}

/**
 * Minimises one STIX object for release under an agreement. Returns a new object; the input
 * is not modified. Throws `ERR_KEY_INVALID` if the pseudonym key is unusable.
 */
export function minimise(
  object: Readonly<Json>,
  minimisation: Minimisation,
  key: PseudonymKey,
): Json {
  checkPseudonymKey(key);
  const out = cloneJson(object) as Json;
  const type = typeof out.type === 'string' ? out.type : '';
  const plan = planFor(minimisation, type);
  const { spec, required } = plan;

  for (const path of plan.drop) atPath(out, path, (parent, k) => Reflect.deleteProperty(parent, k));
  for (const { path, shape } of plan.pseudonymise)
    atPath(out, path, (parent, k) => {
      parent[k] = tokenise(parent[k], key, shape);
    });
  // coarsen IP properties
  if (minimisation.ipv4Prefix < 32)
    coarsenProps(out, spec.ipv4, coarsenIpv4, minimisation.ipv4Prefix);
  if (minimisation.ipv6Prefix < 128)
    coarsenProps(out, spec.ipv6, coarsenIpv6, minimisation.ipv6Prefix);
  // patterns
  if (spec.patterns !== undefined)
    for (const prop of Object.keys(spec.patterns)) {
      const pattern = out[prop];
      if (typeof pattern !== 'string') continue;
      const language = out[spec.patterns[prop] as string];
      out[prop] = minimisePattern(pattern, language, minimisation, plan.hidden, key);
    }
  // timestamps
  if (minimisation.timePrecisionMs > 0) {
    const step = minimisation.timePrecisionMs;
    for (const p of schemaTimestampProperties()) {
      const v = out[p];
      const t = typeof v === 'string' ? parseStixTimestamp(v) : undefined;
      if (t === undefined) continue;
      const exact = t.ms % step === 0 && t.subMsNanos === 0;
      const down = t.ms - (((t.ms % step) + step) % step);
      out[p] = formatStixTimestamp(END_TIMESTAMPS.has(p) && !exact ? down + step : down);
    }
  }
  // source-identifying references
  let externalFiltered = false;
  if (minimisation.stripSourceRefs) {
    for (const p of spec.sourceRefs ?? []) if (!required.has(p)) Reflect.deleteProperty(out, p);
    for (const k of Object.keys(out)) if (k.startsWith('x_')) Reflect.deleteProperty(out, k);
    const refs = out.external_references;
    if (Array.isArray(refs)) {
      const kept = refs
        .filter((r) => isObj(r) && PUBLIC_REFERENCE_SOURCES.includes(String(r.source_name)))
        .map((r) =>
          Object.fromEntries(Object.entries(r as Json).filter(([k]) => k !== 'description')),
        );
      externalFiltered =
        kept.length !== refs.length || refs.some((r) => isObj(r) && 'description' in r);
      if (kept.length > 0) out.external_references = kept;
      else delete out.external_references;
    }
  }
  // SCO ids
  const result = out;
  if (plan.hides) {
    remapScoRefs(result, key);
    if (isScoType(type) && typeof result.id === 'string')
      result.id = pseudonymousScoId(key, type, result.id);
  }
  // granular markings
  const gms = result.granular_markings;
  if (Array.isArray(gms)) {
    const kept = gms
      .map((gm) => {
        if (!isObj(gm) || !Array.isArray(gm.selectors)) return gm;
        const selectors = gm.selectors.filter(
          (s) =>
            typeof s === 'string' &&
            resolves(result, s) &&
            !(externalFiltered && s.startsWith('external_references')),
        );
        return selectors.length === 0 ? undefined : { ...gm, selectors };
      })
      .filter((gm) => gm !== undefined);
    if (kept.length > 0) result.granular_markings = kept;
    else delete result.granular_markings;
  }
  return result;
}
