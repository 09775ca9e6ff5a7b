/**
 * The canonical form of an agreement document: RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * The canonical form is what is digested and signed, so two sources that differ only in
 * whitespace, key order, YAML vs JSON syntax or number spelling (`1.0` vs `1`) have one
 * identity. JCS itself comes from the `canonicalize` package; this module makes sure that what
 * reaches it is JSON data and nothing else, because the package (like `JSON.stringify`)
 * silently drops `undefined`, turns it into `null` inside arrays and calls `toJSON` methods —
 * each of which would let two different inputs share one signature.
 */
import canonicalize from 'canonicalize';
import { ConcordatError } from '../core/index.js';

/** Nesting deeper than this is refused rather than risking a stack overflow. */
const MAX_DEPTH = 256;

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'bigint') return 'a bigint';
  if (typeof value === 'object' && value !== null) {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)
      ?.constructor?.name;
    return typeof name === 'string' && name !== '' ? `a ${name} object` : 'a non-plain object';
  }
  return typeof value;
}

function notJson(path: string, what: string): ConcordatError {
  return new ConcordatError('ERR_INPUT_SYNTAX', `value at \`${path}\` is not json data: ${what}`, {
    details: { path },
  });
}

function hasLoneSurrogate(text: string): boolean {
  // RFC 8785 §3.2.2.2 serialises strings as I-JSON (RFC 7493 §2.1): no lone surrogates.
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) return true;
  }
  return false;
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function child(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)
    ? `${path}.${key}`
    : `${path}[${JSON.stringify(key)}]`;
}

function assertJson(value: unknown, path: string, depth: number, open: Set<object>): void {
  switch (typeof value) {
    case 'string':
      if (hasLoneSurrogate(value)) throw notJson(path, 'a string with a lone surrogate');
      return;
    case 'number':
      // RFC 8785 §3.2.2.3: NaN and Infinity have no JSON form.
      if (!Number.isFinite(value)) throw notJson(path, describe(value));
      return;
    case 'boolean':
      return;
    case 'object':
      break;
    default:
      throw notJson(path, describe(value));
  }
  if (value === null) return;
  if (depth >= MAX_DEPTH) throw notJson(path, `nesting deeper than ${MAX_DEPTH}`);
  if (open.has(value)) throw notJson(path, 'a circular reference');
  if (Object.getOwnPropertySymbols(value).length > 0) throw notJson(path, 'symbol-keyed property');
  open.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw notJson(`${path}[${i}]`, 'a hole in an array');
      assertJson(value[i], `${path}[${i}]`, depth + 1, open);
    }
  } else {
    if (!isPlainObject(value)) throw notJson(path, describe(value));
    for (const [key, member] of Object.entries(value)) {
      if (hasLoneSurrogate(key)) throw notJson(path, 'a key with a lone surrogate');
      assertJson(member, child(path, key), depth + 1, open);
    }
  }
  open.delete(value);
}

/**
 * The RFC 8785 (JCS) canonical JSON text of `document`: object members sorted by the UTF-16
 * code units of their names, no insignificant whitespace, numbers in their shortest
 * ECMAScript form, strings with only the mandatory escapes.
 *
 * @param document - JSON data: `null`, booleans, finite numbers, strings, arrays and plain
 *   objects, nested at most 256 deep.
 * @throws ConcordatError `ERR_INPUT_SYNTAX` when any value is not JSON data (`NaN`,
 *   `Infinity`, `undefined`, a function, symbol or bigint, a `Date`, `Map` or class instance,
 *   a sparse array, a circular reference, a lone surrogate); `details.path` names it.
 */
export function canonicalJson(document: unknown): string {
  assertJson(document, '$', 0, new Set());
  let text: string | undefined;
  try {
    text = canonicalize(document);
  } catch (cause) {
    throw new ConcordatError('ERR_INTERNAL', 'canonicalisation failed on checked json data', {
      cause,
    });
  }
  if (text === undefined)
    throw new ConcordatError('ERR_INTERNAL', 'canonicalisation produced no text');
  return text;
}
