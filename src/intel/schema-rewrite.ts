/**
 * Verdict-preserving rewrites of the OASIS STIX 2.1 schemas, for the validator that only
 * decides valid-or-not (`schema-validator.ts`, `allErrors: false`). The validator that lists
 * every error still compiles the schemas exactly as vendored, so issue codes, paths and
 * messages are unchanged; this one only has to reach the same verdict, faster.
 *
 * Why: ajv evaluates every branch of an `anyOf` and allocates an error object (with a JSON
 * Pointer built by two `replace` calls) for each failing branch, even when it stops at the
 * first error. `common/properties.json` applies a six-branch `anyOf` of single types to EVERY
 * property of every SDO and SCO, so a 12-property indicator paid for ~60 discarded error
 * objects — the largest single cost of ingest validation.
 *
 * Each rewrite is an equivalence of JSON Schema 2020-12 semantics, argued at the rewrite and
 * checked by test/intel/schema-rewrite.test.ts, which compares the verdicts of the rewritten
 * and the vendored schemas on every OASIS example, every named damage and random mutations.
 */

type Node = Record<string, unknown>;

/** The JSON Schema 2020-12 `type` names a branch may test. */
const TYPES: ReadonlySet<string> = new Set([
  'array',
  'boolean',
  'integer',
  'null',
  'number',
  'object',
  'string',
]);

/** Keywords that change nothing about a verdict. */
const ANNOTATIONS: ReadonlySet<string> = new Set(['description', 'title', '$comment']);

/** Keywords whose values are JSON data rather than subschemas. */
const LITERALS: ReadonlySet<string> = new Set(['const', 'default', 'enum', 'examples']);

function isNode(v: unknown): v is Node {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * `anyOf` of branches that each only test one `type` (and, on the one `array` branch, an
 * item-count bound) → one `type` list with that bound:
 *
 *   anyOf: [{type: array, minItems: 1}, {type: string}, {type: integer}, ...]
 *   ≡ type: [array, string, integer, ...], minItems: 1
 *
 * A value satisfies the `anyOf` iff its JSON type is one of the listed types and, if it is an
 * array, it satisfies the array branch's bound. `minItems`/`maxItems` constrain arrays only
 * (2020-12 §6.4), so on the merged schema they hold vacuously for every other type: the two
 * accept exactly the same values. Only applied when the node has no `type`, `minItems` or
 * `maxItems` of its own (which the merge would overwrite).
 */
function mergeTypeAnyOf(node: Node): void {
  const branches = node.anyOf;
  if (!Array.isArray(branches) || branches.length < 2) return;
  if ('type' in node || 'minItems' in node || 'maxItems' in node) return;
  const types: string[] = [];
  const bounds: Node = {};
  let arrays = 0;
  for (const b of branches) {
    if (!isNode(b) || typeof b.type !== 'string' || !TYPES.has(b.type)) return;
    for (const key of Object.keys(b)) {
      if (key === 'type' || ANNOTATIONS.has(key)) continue;
      if (b.type !== 'array' || (key !== 'minItems' && key !== 'maxItems')) return;
      if (typeof b[key] !== 'number') return;
      bounds[key] = b[key];
    }
    if (b.type === 'array') arrays += 1;
    types.push(b.type);
  }
  // Two array branches with different bounds would be a union of bounds: not merged.
  if (arrays > 1) return;
  delete node.anyOf;
  node.type = types;
  Object.assign(node, bounds);
}

function rewriteNode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteNode);
  if (!isNode(value)) return value;
  const out: Node = {};
  // Literal values are data, not schemas: copied as they are.
  for (const [k, v] of Object.entries(value)) out[k] = LITERALS.has(k) ? v : rewriteNode(v);
  mergeTypeAnyOf(out);
  return out;
}

/**
 * A rewritten deep copy of `schema` (the input is not touched): same `$id`s and `$ref`s, same
 * verdict on every value, cheaper to evaluate. See the module comment.
 */
export function rewriteSchemaForVerdict(schema: object): object {
  return rewriteNode(schema) as object;
}
