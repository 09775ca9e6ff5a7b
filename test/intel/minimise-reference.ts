/**
 * TEST ORACLE: the straightforward minimise() as it was before the planned, copy-once version
 * in src/intel/minimise.ts; the differential test holds the two equal. Do not optimise.
 *
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
import type { Minimisation } from '../../src/agreement/index.js';
import { idType } from '../../src/intel/ids.js';
import { coarsenIpv4, coarsenIpv6 } from '../../src/intel/ip.js';
import { coarsenLiteral, rewritePatternLiterals } from '../../src/intel/pattern.js';
import {
  checkPseudonymKey,
  pseudonymousScoId,
  pseudonymToken,
  type PseudonymKey,
} from '../../src/intel/pseudonym.js';
import {
  schemaRequiredProperties,
  schemaTimestampProperties,
} from '../../src/intel/schema-validator.js';
import { sensitiveSpecOf, type TokenShape } from '../../src/intel/sensitive-properties.js';
import { isScoType } from '../../src/intel/stix-types.js';
import { formatStixTimestamp, parseStixTimestamp } from '../../src/intel/timestamps.js';

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
const PUBLIC_REFERENCE_SOURCES: readonly string[] = [
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

// Runs on every released object: no closure per key, and scalars are returned as they are.
function remapScoRefs(node: unknown, key: PseudonymKey): unknown {
  if (Array.isArray(node)) {
    const list: unknown[] = new Array<unknown>(node.length);
    for (let i = 0; i < node.length; i++) list[i] = remapScoRefs(node[i], key);
    return list;
  }
  if (!isObj(node)) return node;
  const out: Json = {};
  for (const k of Object.keys(node)) {
    const v = node[k];
    if (k.endsWith('_ref')) out[k] = remapRef(v, key);
    else if (k.endsWith('_refs') && Array.isArray(v)) {
      const refs: unknown[] = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) refs[i] = remapRef(v[i], key);
      out[k] = refs;
    } else out[k] = typeof v === 'object' && v !== null ? remapScoRefs(v, key) : v;
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

/**
 * Minimises one STIX object for release under an agreement. Returns a new object; the input
 * is not modified. Throws `ERR_KEY_INVALID` if the pseudonym key is unusable.
 */
export function minimiseReference(
  object: Readonly<Json>,
  minimisation: Minimisation,
  key: PseudonymKey,
): Json {
  checkPseudonymKey(key);
  const out = structuredClone(object) as Json;
  const type = typeof out.type === 'string' ? out.type : '';
  const spec = sensitiveSpecOf(type);
  const required = schemaRequiredProperties(type);
  const shapeOf = (t: string, prop: string): TokenShape =>
    sensitiveSpecOf(t).tokenShape?.[prop] ?? 'opaque';

  // drop (a required top-level property is pseudonymised instead)
  const toPseudonymise = pathsFor(minimisation.pseudonymise, type);
  for (const path of pathsFor(minimisation.drop, type)) {
    if (path.length === 1 && required.has(path[0] as string)) toPseudonymise.push(path);
    else atPath(out, path, (parent, k) => Reflect.deleteProperty(parent, k));
  }
  // pseudonymise
  for (const path of toPseudonymise)
    atPath(out, path, (parent, k) => {
      parent[k] = tokenise(parent[k], key, shapeOf(type, path[path.length - 1] as string));
    });
  // coarsen IP properties
  const coarsen = (props: readonly string[] | undefined, f: (v: string) => string | undefined) => {
    for (const p of props ?? []) {
      const v = out[p];
      if (typeof v === 'string') out[p] = f(v) ?? v;
    }
  };
  if (minimisation.ipv4Prefix < 32)
    coarsen(spec.ipv4, (v) => coarsenIpv4(v, minimisation.ipv4Prefix));
  if (minimisation.ipv6Prefix < 128)
    coarsen(spec.ipv6, (v) => coarsenIpv6(v, minimisation.ipv6Prefix));
  // patterns
  const hidden = [...minimisation.drop, ...minimisation.pseudonymise];
  for (const [prop, languageProp] of Object.entries(spec.patterns ?? {})) {
    const pattern = out[prop];
    if (typeof pattern !== 'string') continue;
    const language = out[languageProp];
    out[prop] =
      language === undefined || language === 'stix'
        ? rewritePatternLiterals(pattern, (t, p, value) =>
            hidden.includes(`${t}.${p}`) || hidden.includes(`*.${p}`)
              ? pseudonymToken(key, value, shapeOf(t, p))
              : coarsenLiteral(value, minimisation.ipv4Prefix, minimisation.ipv6Prefix),
          )
        : coarsenLiteral(pattern, minimisation.ipv4Prefix, minimisation.ipv6Prefix);
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
  let result = out;
  if (hides(minimisation)) {
    result = remapScoRefs(out, key) as Json;
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
