/**
 * The RFC 8785 (JCS) text of a STIX object, as stored and hashed at ingest: the same text as
 * the agreement module's `canonicalJson` (the `canonicalize` package behind a JSON-data
 * check), written in one pass for the plain JSON data a parsed bundle is. Anything else — a
 * lone surrogate, `undefined`, a non-plain object, a symbol key, nesting past 256 — goes to
 * `canonicalJson`, which throws `ERR_INPUT_SYNTAX` naming the path. Differential-tested against
 * `canonicalize` and `canonicalJson` in test/intel/canonical-json.test.ts.
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
  // A well-formed pair is not a lone surrogate, but the reference path tells them apart.
  if (SURROGATE.test(text)) return undefined;
  return JSON.stringify(text);
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
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          const item = write(v[i], depth + 1);
          if (item === undefined) return undefined;
          out += i === 0 ? item : `,${item}`;
        }
        return `${out}]`;
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return undefined;
      if (Object.getOwnPropertySymbols(v).length > 0) return undefined;
      const record = v as Record<string, unknown>;
      // RFC 8785 §3.2.3: members sorted by UTF-16 code units, which is what `sort` compares.
      const keys = Object.keys(record).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        const name = quote(key);
        const member = name === undefined ? undefined : write(record[key], depth + 1);
        if (member === undefined) return undefined;
        out += `${i === 0 ? '' : ','}${name as string}:${member}`;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
}
