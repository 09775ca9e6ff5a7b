import { ConcordatError } from '../core/index.js';

/** Limits a canonical document must respect; checked during the same walk that encodes. */
export interface CanonicalLimits {
  /** Longest string value. */
  readonly maxString: number;
  /** Deepest nesting below the top object. */
  readonly maxDepth: number;
  /** Most values in total. */
  readonly maxNodes: number;
  /** Object keys (lowercased) that may not appear anywhere. */
  readonly forbiddenKeys: ReadonlySet<string>;
}

// RFC 8785 §3.2.2.2: strings must be valid Unicode; a lone surrogate has no canonical form.
const LONE_SURROGATE = /\p{Surrogate}/u;
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function fail(path: string, why: string): never {
  throw new ConcordatError(
    'ERR_LEDGER_ENTRY_INVALID',
    `ledger entry at \`${path}\` ${why}; record hashes and ids, never content`,
    { details: { path } },
  );
}

/**
 * RFC 8785 (JCS) serialisation of a plain JSON value, checking `limits` on the way: object
 * members sorted by UTF-16 code units (§3.2.3, which is what `Array#sort` does on strings),
 * no whitespace, strings and numbers exactly as ECMAScript `JSON.stringify` writes them
 * (§3.2.2.2, §3.2.2.3). Written here rather than taken from the `canonicalize` package because
 * the ledger verifier encodes a million entries in one go; the package is the oracle this
 * encoder is differential-tested against. Throws `ERR_LEDGER_ENTRY_INVALID` naming the path.
 */
export function canonicalJson(value: unknown, limits: CanonicalLimits): string {
  return canonicalJsonAt(value, -1, 0, limits, []);
}

/**
 * {@link canonicalJson} of a value nested `depth + 1` levels down a document in which `nodes`
 * values were already counted: how an entry encoder writes the body of a fixed-shape envelope
 * without walking the envelope (`trail`: the value's path in it, for error messages). Same
 * output, same limits, same errors as encoding the whole document.
 */
export function canonicalJsonAt(
  value: unknown,
  depth: number,
  nodes: number,
  limits: CanonicalLimits,
  trail: readonly (string | number)[],
): string {
  // The fast walk keeps no path and stops at the first problem; the path-keeping walk then
  // runs only to say where (and is the behavioural reference: both check the same limits).
  const text = fast(value, depth, { limits, nodes });
  if (text !== undefined) return text;
  return walk(value, depth, { limits, nodes, trail: [...trail] });
}

/** Fast-walk state, one per call (a getter in the value could re-enter the encoder). */
interface FastWalk {
  readonly limits: CanonicalLimits;
  nodes: number;
}

/**
 * Keys already checked against a limits object's `forbiddenKeys`: the same few dozen field
 * names recur in every entry, and lowercasing them each time was measurable in verification.
 */
const allowedKeys = new WeakMap<CanonicalLimits, Set<string>>();
const MAX_REMEMBERED_KEYS = 4096;

function keyAllowed(key: string, limits: CanonicalLimits): boolean {
  let known = allowedKeys.get(limits);
  if (known === undefined) allowedKeys.set(limits, (known = new Set()));
  if (known.has(key)) return true;
  if (limits.forbiddenKeys.has(key.toLowerCase())) return false;
  if (known.size >= MAX_REMEMBERED_KEYS) known.clear();
  known.add(key);
  return true;
}

/** The canonical text, or `undefined` at the first limit or non-JSON value (see `walk`). */
function fast(v: unknown, depth: number, state: FastWalk): string | undefined {
  const { limits } = state;
  if (++state.nodes > limits.maxNodes) return undefined;
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return Number.isFinite(v) ? String(v) : undefined;
    case 'string':
      return v.length > limits.maxString ? undefined : fastQuote(v);
    case 'object': {
      if (v === null) return 'null';
      if (depth >= limits.maxDepth) return undefined;
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          const item = fast(v[i], depth + 1, state);
          if (item === undefined) return undefined;
          out += i === 0 ? item : `,${item}`;
        }
        return `${out}]`;
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return undefined;
      const record = v as Record<string, unknown>;
      const keys = sortedKeys(record);
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        if (!keyAllowed(key, limits)) return undefined;
        const name = fastQuote(key);
        if (name === undefined) return undefined;
        const member = fast(record[key], depth + 1, state);
        if (member === undefined) return undefined;
        out += `${i === 0 ? '' : ','}${name}:${member}`;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
}

/**
 * RFC 8785 §3.2.3 member order (UTF-16 code units, which is how `<` and `Array#sort` compare
 * strings). Parsed canonical text and most literals are already in order: check before sorting.
 */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++)
    if (!((keys[i - 1] as string) < (keys[i] as string))) return keys.sort();
  return keys;
}

function fastQuote(text: string): string | undefined {
  if (PLAIN.test(text)) return `"${text}"`;
  if (LONE_SURROGATE.test(text)) return undefined;
  return JSON.stringify(text);
}

/** Walk state, kept in one object so no closure is created per call (this runs per entry). */
interface Walk {
  readonly limits: CanonicalLimits;
  nodes: number;
  /** The path to the value being encoded, materialised only when something fails. */
  readonly trail: (string | number)[];
}

function where(state: Walk): string {
  let path = 'entry';
  for (const part of state.trail) {
    path += typeof part === 'number' ? `[${String(part)}]` : `.${part}`;
  }
  return path;
}

function walk(v: unknown, depth: number, state: Walk): string {
  const { limits } = state;
  if (++state.nodes > limits.maxNodes) {
    fail(where(state), `has more than ${String(limits.maxNodes)} values`);
  }
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) fail(where(state), 'is not a finite number');
      // RFC 8785 §3.2.2.3: the ECMAScript Number-to-String rules (and -0 becomes 0).
      return String(v);
    case 'string':
      if (v.length > limits.maxString) {
        fail(where(state), `is a string longer than ${String(limits.maxString)} characters`);
      }
      return quote(v, state);
    case 'object': {
      if (v === null) return 'null';
      if (depth >= limits.maxDepth) {
        fail(where(state), `nests deeper than ${String(limits.maxDepth)}`);
      }
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          state.trail.push(i);
          out += (i === 0 ? '' : ',') + walk(v[i], depth + 1, state);
          state.trail.pop();
        }
        return `${out}]`;
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) break;
      const record = v as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        state.trail.push(key);
        if (limits.forbiddenKeys.has(key.toLowerCase())) fail(where(state), 'is a content field');
        out += `${i === 0 ? '' : ','}${quote(key, state)}:${walk(record[key], depth + 1, state)}`;
        state.trail.pop();
      }
      return `${out}}`;
    }
    default:
      break;
  }
  return fail(
    where(state),
    'is not json (only objects, arrays, strings, finite numbers, booleans, null)',
  );
}

function quote(text: string, state: Walk): string {
  // Printable ASCII without `"` or `\\` needs no escaping: the common case, done without
  // JSON.stringify's per-call overhead.
  if (PLAIN.test(text)) return `"${text}"`;
  if (LONE_SURROGATE.test(text)) fail(where(state), 'is a string with a lone surrogate');
  return JSON.stringify(text);
}

/**
 * Whether `text` from `start` begins with exactly {@link canonicalJsonAt}'s output for `value`
 * (same limits): the position after it, or -1 when it does not or when `value` breaks a limit.
 * The verifier's check that stored bytes are canonical, without building the canonical text:
 * no string is allocated for the common (printable ASCII) case.
 */
export function matchCanonicalJsonAt(
  text: string,
  start: number,
  value: unknown,
  depth: number,
  nodes: number,
  limits: CanonicalLimits,
): number {
  return match(text, start, value, depth, { limits, nodes });
}

function matchLiteral(text: string, at: number, literal: string): number {
  return text.startsWith(literal, at) ? at + literal.length : -1;
}

function match(text: string, at: number, v: unknown, depth: number, state: FastWalk): number {
  const { limits } = state;
  if (++state.nodes > limits.maxNodes) return -1;
  switch (typeof v) {
    case 'boolean':
      return matchLiteral(text, at, v ? 'true' : 'false');
    case 'number':
      return Number.isFinite(v) ? matchLiteral(text, at, String(v)) : -1;
    case 'string':
      return v.length > limits.maxString ? -1 : matchString(text, at, v);
    case 'object': {
      if (v === null) return matchLiteral(text, at, 'null');
      if (depth >= limits.maxDepth) return -1;
      if (Array.isArray(v)) {
        if (text.charCodeAt(at) !== 0x5b) return -1; // [
        let p = at + 1;
        for (let i = 0; i < v.length; i++) {
          if (i > 0) {
            if (text.charCodeAt(p) !== 0x2c) return -1; // ,
            p++;
          }
          p = match(text, p, v[i], depth + 1, state);
          if (p < 0) return -1;
        }
        return text.charCodeAt(p) === 0x5d ? p + 1 : -1; // ]
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return -1;
      const record = v as Record<string, unknown>;
      const keys = sortedKeys(record);
      if (text.charCodeAt(at) !== 0x7b) return -1; // {
      let p = at + 1;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        if (!keyAllowed(key, limits)) return -1;
        if (i > 0) {
          if (text.charCodeAt(p) !== 0x2c) return -1;
          p++;
        }
        p = matchString(text, p, key);
        if (p < 0 || text.charCodeAt(p) !== 0x3a) return -1; // :
        p = match(text, p + 1, record[key], depth + 1, state);
        if (p < 0) return -1;
      }
      return text.charCodeAt(p) === 0x7d ? p + 1 : -1; // }
    }
    default:
      return -1;
  }
}

function matchString(text: string, at: number, s: string): number {
  if (PLAIN.test(s)) {
    if (text.charCodeAt(at) !== 0x22 || !text.startsWith(s, at + 1)) return -1;
    const end = at + 1 + s.length;
    return text.charCodeAt(end) === 0x22 ? end + 1 : -1;
  }
  const quoted = fastQuote(s);
  return quoted === undefined ? -1 : matchLiteral(text, at, quoted);
}
