/**
 * The RFC 8785 (JCS) text of a STIX object, as stored and hashed at ingest: the same text as
 * the agreement module's `canonicalJson` (the `canonicalize` package behind a JSON-data
 * check), written in one pass for the plain JSON data a parsed bundle is. Anything else — a lone
 * surrogate, `undefined`, a non-plain object, a symbol key, nesting past 256 — goes to
 * `canonicalJson`, which throws `ERR_INPUT_SYNTAX` naming the path. Differential-tested against
 * `canonicalize` and `canonicalJson` in test/intel/canonical-json.test.ts.
 *
 * Measured against `JSON.stringify` of the same objects, this writer costs about as much: a
 * first path that handed already-sorted objects to `JSON.stringify` (checking them first) was
 * no faster, and sorted copies for the rest were slower, so there is one path.
 */
import { canonicalJson } from '../agreement/index.js';

/** agreement/canonical.ts MAX_DEPTH: deeper nesting is refused there. */
const MAX_DEPTH = 256;
// Printable ASCII without `"` or `\`: JSON.stringify (and JCS, RFC 8785 §3.2.2.2) escapes none.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const SURROGATE = /\p{Surrogate}/u;

/** The canonical JSON text of `value` (see the module comment). */
export function canonicalStixJson(value: unknown): string {
  return write(value, 0) ?? canonicalJson(value);
}

function quote(text: string): string | undefined {
  if (PLAIN.test(text)) return `"${text}"`;
  const quoted = JSON.stringify(text);
  // JSON.stringify escapes a lone surrogate as `\udXXX`, so a text without `\ud` has none (a
  // well-formed pair stays as it is): the search for one runs only on that hint.
  return quoted.includes('\\ud') && SURROGATE.test(text) ? undefined : quoted;
}

/**
 * `"name":` for member names seen before: a bundle repeats the same few dozen names in every
 * object. Pure (the text depends only on the name); bounded, cleared when full.
 */
const memberPrefixes = new Map<string, string>();
const PREFIX_MAX_ENTRIES = 4096;

function memberPrefix(key: string): string | undefined {
  let prefix = memberPrefixes.get(key);
  if (prefix === undefined) {
    const name = quote(key);
    if (name === undefined) return undefined;
    prefix = `${name}:`;
    if (memberPrefixes.size >= PREFIX_MAX_ENTRIES) memberPrefixes.clear();
    memberPrefixes.set(key, prefix);
  }
  return prefix;
}

/**
 * Sorts `keys` in place by UTF-16 code units (RFC 8785 §3.2.3), as `sort()` does: an insertion
 * sort (objects have a few dozen members at most) that compares first code units as numbers
 * and whole strings only when those are equal.
 */
function sortKeys(keys: string[]): string[] {
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    const c = key.length === 0 ? -1 : key.charCodeAt(0);
    let j = i - 1;
    for (; j >= 0; j--) {
      const other = keys[j] as string;
      const d = other.length === 0 ? -1 : other.charCodeAt(0);
      if (d < c || (d === c && other <= key)) break;
      keys[j + 1] = other;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/**
 * The last member names seen in each count, with their sorted order: the objects of a bundle
 * mostly repeat a few member lists in the same order (one per producer and type), and
 * comparing a list with the last one of its length costs far less than sorting it.
 */
const recentKeys: ({ readonly keys: readonly string[]; readonly sorted: string[] } | undefined)[] =
  [];
const RECENT_MAX_KEYS = 64;

/** The member names of `record` in sorted order (the returned array is not to be changed). */
function sortedKeys(record: Record<string, unknown>): readonly string[] {
  const keys = Object.keys(record);
  const n = keys.length;
  if (n < 2 || n > RECENT_MAX_KEYS) return n < 2 ? keys : sortKeys(keys);
  const recent = recentKeys[n];
  if (recent !== undefined) {
    let i = 0;
    while (i < n && recent.keys[i] === keys[i]) i++;
    if (i === n) return recent.sorted;
  }
  const sorted = sortKeys(keys.slice());
  recentKeys[n] = { keys, sorted };
  return sorted;
}

/** The canonical text, or `undefined` for anything the reference path should judge. */
function write(v: unknown, depth: number): string | undefined {
  switch (typeof v) {
    case 'string':
      return quote(v);
    case 'number':
      // RFC 8785 §3.2.2.3: ECMAScript Number-to-String (-0 becomes 0).
      return Number.isFinite(v) ? String(v) : undefined;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      if (depth >= MAX_DEPTH) return undefined;
      if (Array.isArray(v)) {
        if (v.length === 0) return '[]';
        let out = write(v[0], depth + 1);
        if (out === undefined) return undefined;
        for (let i = 1; i < v.length; i++) {
          const item = write(v[i], depth + 1);
          if (item === undefined) return undefined;
          out += `,${item}`;
        }
        return `[${out}]`;
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return undefined;
      if (Object.getOwnPropertySymbols(v).length > 0) return undefined;
      const record = v as Record<string, unknown>;
      const keys = sortedKeys(record);
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        const name = memberPrefix(key);
        const member = name === undefined ? undefined : write(record[key], depth + 1);
        if (member === undefined) return undefined;
        out += i === 0 ? name + member : `,${name as string}${member}`;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
}
