/**
 * The RFC 8785 (JCS) text of a STIX object, as stored and hashed at ingest: the same text as
 * the agreement module's `canonicalJson` (the `canonicalize` package behind a JSON-data
 * check), written for the plain JSON data a parsed bundle is. Anything else — a lone
 * surrogate, `undefined`, a non-plain object, a symbol key, nesting past 256 — goes to
 * `canonicalJson`, which throws `ERR_INPUT_SYNTAX` naming the path. Differential-tested against
 * `canonicalize` and `canonicalJson` in test/intel/canonical-json.test.ts.
 *
 * Two paths, the first tried first:
 *
 * - `JSON.stringify` of the value with every object's members in sorted order. RFC 8785 is
 *   defined by ECMAScript's own serialisation (§3.2.2: JSON.stringify's strings, Number-to-String
 *   numbers, literals) plus sorted members (§3.2.3), so on JSON data the two texts are the same
 *   except for lone surrogates, which JSON.stringify escapes (`\udXXX`) and JCS refuses: a text
 *   with `\ud` in it takes the second path. Only for values whose members are all already in
 *   sorted order (a sorted copy costs more than the writer below).
 * - A member-by-member writer that sorts members and judges every string itself.
 */
import { canonicalJson } from '../agreement/index.js';

/** agreement/canonical.ts MAX_DEPTH: deeper nesting is refused there. */
const MAX_DEPTH = 256;
// Printable ASCII without `"` or `\`: JSON.stringify (and JCS, RFC 8785 §3.2.2.2) escapes none.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const SURROGATE = /\p{Surrogate}/u;

/** The canonical JSON text of `value` (see the module comment). */
export function canonicalStixJson(value: unknown): string {
  if (noInheritedToJson()) {
    if (sortedJson(value, 0)) {
      const text = JSON.stringify(value);
      // JSON.stringify writes a lone surrogate as `\udXXX` where JCS refuses it; a false alarm
      // (a literal backslash before `ud`) only costs the slower path.
      if (!text.includes('\\ud')) return text;
    }
  }
  return write(value, 0) ?? canonicalJson(value);
}

/**
 * JSON.stringify calls an inherited `toJSON` (a polluted prototype) where JCS of JSON data does
 * not: the first path is only taken while no prototype JSON data reaches has one.
 */
function noInheritedToJson(): boolean {
  return (
    !('toJSON' in Object.prototype) &&
    !('toJSON' in Array.prototype) &&
    !('toJSON' in String.prototype) &&
    !('toJSON' in Number.prototype) &&
    !('toJSON' in Boolean.prototype)
  );
}

/**
 * True when `v` is JSON data whose objects all have their members in sorted order, so that
 * JSON.stringify writes its JCS text (strings are judged afterwards, on the text). Stops at the
 * first member out of order.
 */
function sortedJson(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v);
    case 'object': {
      if (v === null) return true;
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!sortedJson(v[i], depth + 1)) return false;
        return true;
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      if (Object.getOwnPropertySymbols(v).length > 0) return false;
      const record = v as Record<string, unknown>;
      let prev = '';
      let first = true;
      for (const key in record) {
        // RFC 8785 §3.2.3: members sorted by UTF-16 code units, which is what `<` compares.
        if (!first && !(prev < key)) return false;
        if (!Object.hasOwn(record, key)) return false;
        first = false;
        prev = key;
        if (!sortedJson(record[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

function quote(text: string): string | undefined {
  if (PLAIN.test(text)) return `"${text}"`;
  // A well-formed pair is not a lone surrogate, but the reference path tells them apart.
  if (SURROGATE.test(text)) return undefined;
  return JSON.stringify(text);
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
      const keys = sortKeys(Object.keys(record));
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
