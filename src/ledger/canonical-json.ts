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
  return walk(value, -1, { limits, nodes: 0, trail: [] });
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
