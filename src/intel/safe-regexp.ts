/**
 * The regular-expression engine handed to ajv for the OASIS schemas' `pattern` and
 * `patternProperties`. Two schema patterns are exponential on hostile input
 * (`^([a-z][a-z0-9]*)+…`: 30 letters and a `!` take minutes), and partner input is hostile
 * by assumption (DESIGN.md invariant 7: bad input gets a clear error, never a hang).
 *
 * - Known catastrophic sub-patterns are rewritten to equivalent linear ones. `([a-z][a-z0-9]*)+`
 *   matches exactly the strings `[a-z][a-z0-9]*` matches (a letter, then letters and digits:
 *   any such string is one repetition), so the rewrite changes no verdict. The hottest pattern
 *   (identifiers) is rewritten to a cheaper one with the same verdicts.
 * - Strings longer than `MAX_PATTERN_INPUT` never match a pattern, bounding the work of the
 *   polynomial ones (the CPE and IPv6 patterns). No STIX value that a pattern constrains
 *   (types, ids, hashes, CPEs, addresses) is anywhere near that long.
 * - Cheaper exact answers where the pattern allows one: plain ids (id-fast.ts) match the
 *   identifier pattern; a literal pattern (`^indicator--`, `^cve$`) is a prefix or equality
 *   test. test/intel/schemas.test.ts compares each with the expression.
 * - Patterns compile without the `u` flag: the OASIS patterns use `\-` outside classes, which
 *   unicode mode rejects. Non-ASCII in ids is caught separately (`ids.ts`).
 */
import type { RegExpEngine } from 'ajv/dist/types/index.js';
import { isPlainId } from './id-fast.js';

/** Longest string a schema pattern is tested against; longer never matches. */
export const MAX_PATTERN_INPUT = 4096;

const REWRITES: readonly (readonly [string, string])[] = [
  ['([a-z][a-z0-9]*)+', '(?:[a-z][a-z0-9]*)'],
  // common/identifier.json, tested on every id and reference: greedy, `[a-z0-9-]+` first runs
  // over the whole UUID (its digits and hyphens are in the class) and backtracks to the `--`;
  // lazy, it stops there. Whether a match exists does not depend on greediness (`test` asks
  // only that), so the verdict is the same; the lazy form costs about half as much.
  ['^[a-z][a-z0-9-]+[a-z0-9]--', '^[a-z][a-z0-9-]+?[a-z0-9]--'],
];

/** Applies the equivalence-preserving rewrites to one schema pattern. */
export function rewritePattern(pattern: string): string {
  let out = pattern;
  for (const [from, to] of REWRITES) out = out.split(from).join(to);
  return out;
}

/**
 * Verdicts on short strings are remembered per pattern: the same property names, types and
 * timestamps are tested against the same patterns for every object of a bundle (the OASIS
 * `properties.json` tests every property name against three patterns). Pure: a verdict
 * depends only on the pattern and the string. Bounded, and cleared when full.
 */
const MEMO_MAX_INPUT = 40;
const MEMO_MAX_ENTRIES = 1024;

/** `common/identifier.json`: tested on every id and reference. */
export const IDENTIFIER_PATTERN =
  '^[a-z][a-z0-9-]+[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$';

function engine(pattern: string): { test: (s: string) => boolean; toString: () => string } {
  const re = new RegExp(rewritePattern(pattern));
  const memo = new Map<string, boolean>();
  // A plain id (id-fast.ts) matches the identifier pattern; validation then checks the same
  // string again as an id, and finds the verdict remembered.
  const plain = pattern === IDENTIFIER_PATTERN;
  // `^indicator--`, `^cve$`: letters, digits, `_` and `-` are literal outside a class.
  const literal = /^\^[A-Za-z0-9_-]+\$?$/.test(pattern)
    ? pattern.replace(/^\^|\$$/g, '')
    : undefined;
  const whole = pattern.endsWith('$');
  if (literal !== undefined)
    return {
      test: (s: string) =>
        s.length <= MAX_PATTERN_INPUT && (whole ? s === literal : s.startsWith(literal)),
      toString: () => `safeRegExp(${re.toString()})`,
    };
  return {
    test: (s: string) => {
      if (plain && s.length <= MAX_PATTERN_INPUT && isPlainId(s)) return true;
      if (s.length > MEMO_MAX_INPUT) return s.length <= MAX_PATTERN_INPUT && re.test(s);
      let verdict = memo.get(s);
      if (verdict === undefined) {
        verdict = re.test(s);
        if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
        memo.set(s, verdict);
      }
      return verdict;
    },
    // ajv caches compiled patterns by `toString()`: it must differ between patterns.
    toString: () => `safeRegExp(${re.toString()})`,
  };
}

/** The engine, in the shape ajv's `code.regExp` option expects. */
export const safeRegExp: RegExpEngine = Object.assign(engine, {
  code: 'safeRegExp',
});
