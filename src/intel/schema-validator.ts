/**
 * Validation against the official OASIS STIX 2.1 JSON schemas (draft 2020-12) with ajv.
 * Compiled lazily, once, on first use: importing this module does no work (STYLE.md).
 *
 * Each object is validated against the schema of its own type rather than through
 * `bundle.json`, whose `anyOf`/`oneOf` over every type buries the one relevant error under
 * thirty irrelevant ones (and which omits grouping, incident, location, note and opinion from
 * its list, letting them through only as "custom" objects).
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { STIX_SCHEMAS } from './stix-schemas.js';
import { rewriteSchemaForVerdict } from './schema-rewrite.js';
import { safeRegExp } from './safe-regexp.js';
import { pointer, type StixIssue } from './issues.js';
import { isSpecType } from './stix-types.js';

const SCHEMA_BASE =
  'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

/** The schema `$id` for a spec-defined type, by directory. */
function schemaIdFor(type: string): string | undefined {
  for (const schema of STIX_SCHEMAS) {
    const id = (schema as { $id?: unknown }).$id;
    if (typeof id === 'string' && id.endsWith(`/${type}.json`) && !id.includes('/common/core'))
      return id;
  }
  return undefined;
}

/** One ajv instance with the schemas, and the validators taken from it. */
interface Validators {
  readonly ajv: Ajv2020;
  readonly byType: Map<string, ValidateFunction>;
  readonly sdoCore: ValidateFunction;
  readonly scoCore: ValidateFunction;
}

interface Compiled {
  /** `allErrors: false`: stops at the first error. Decides valid or not. */
  readonly fast: Validators;
  /** `allErrors: true`: lists every error. Compiled on the first invalid object only. */
  detailed: Validators | undefined;
  readonly declared: Map<string, ReadonlySet<string>>;
  readonly timestampProps: ReadonlySet<string>;
}

let compiled: Compiled | undefined;

type FormatsPlugin = (ajv: Ajv2020, formats: string[]) => Ajv2020;

function formatsPlugin(): FormatsPlugin {
  // ajv-formats is CommonJS; under Node ESM its default import is `module.exports`, under some
  // loaders it is `{ default }`.
  const m = formatsModule as unknown as FormatsPlugin | { default: FormatsPlugin };
  return typeof m === 'function' ? m : m.default;
}

// RFC 5890/5891 internationalised host names: the schemas use `idn-hostname`, which
// ajv-formats does not provide. Labels of 1–63 characters, no whitespace or control
// characters, 253 at most in total.
function isIdnHostname(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false;
  return s
    .replace(/\.$/, '')
    .split('.')
    .every((l) => l.length > 0 && l.length <= 63 && !/[\s\p{Cc}]/u.test(l) && !l.startsWith('-'));
}

function byId(id: string): object | undefined {
  return STIX_SCHEMAS.find((s) => (s as { $id?: unknown }).$id === id);
}

/** Every property name a schema declares, following `$ref`, `allOf`, `oneOf`, `anyOf`. */
function declaredProperties(schemaId: string): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (node: unknown, base: string): void => {
    if (node === null || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (typeof n.$ref === 'string' && !n.$ref.startsWith('#')) {
      const target = new URL(n.$ref, base).href;
      if (!seen.has(target)) {
        seen.add(target);
        const s = byId(target);
        if (s !== undefined) visit(s, target);
      }
    }
    if (n.properties !== null && typeof n.properties === 'object')
      for (const k of Object.keys(n.properties)) out.add(k);
    for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
      const list = n[key];
      if (Array.isArray(list)) for (const item of list) visit(item, base);
    }
  };
  seen.add(schemaId);
  visit(byId(schemaId), schemaId);
  return out;
}

/** Property names whose schema is a STIX timestamp, anywhere in the schemas. */
function timestampProperties(): Set<string> {
  const out = new Set<string>();
  const isTimestamp = (s: unknown): boolean => {
    if (s === null || typeof s !== 'object') return false;
    const n = s as Record<string, unknown>;
    if (typeof n.$ref === 'string' && n.$ref.endsWith('timestamp.json')) return true;
    return Array.isArray(n.allOf) && n.allOf.some(isTimestamp);
  };
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    const n = node as Record<string, unknown>;
    if (n.properties !== null && typeof n.properties === 'object')
      for (const [k, v] of Object.entries(n.properties)) if (isTimestamp(v)) out.add(k);
    Object.values(n).forEach(walk);
  };
  STIX_SCHEMAS.forEach(walk);
  return out;
}

function validators(allErrors: boolean): Validators {
  const ajv = new Ajv2020({
    allErrors,
    strict: false,
    validateFormats: true,
    code: { regExp: safeRegExp },
  });
  formatsPlugin()(ajv, ['email', 'uri']);
  ajv.addFormat('idn-hostname', isIdnHostname);
  // The verdict-only validator compiles verdict-preserving rewrites (schema-rewrite.ts); the
  // one that lists errors compiles the schemas as vendored, so issues read the same.
  for (const schema of STIX_SCHEMAS)
    ajv.addSchema(allErrors ? schema : rewriteSchemaForVerdict(schema));
  const get = (id: string): ValidateFunction => {
    const v = ajv.getSchema(id);
    if (v === undefined) throw new Error(`schema ${id} is not registered`);
    return v;
  };
  // Per-type validators compile on first sight of the type (see `validatorFor`).
  return {
    ajv,
    byType: new Map(),
    sdoCore: get(`${SCHEMA_BASE}common/core.json`),
    scoCore: get(`${SCHEMA_BASE}common/cyber-observable-core.json`),
  };
}

function state(): Compiled {
  compiled ??= {
    fast: validators(false),
    detailed: undefined,
    declared: new Map(),
    timestampProps: timestampProperties(),
  };
  return compiled;
}

function validatorFor(s: Validators, type: string, looksLikeSdo: boolean): ValidateFunction {
  if (!isSpecType(type)) return looksLikeSdo ? s.sdoCore : s.scoCore;
  let v = s.byType.get(type);
  if (v === undefined) {
    const id = schemaIdFor(type);
    v = id === undefined ? s.sdoCore : s.ajv.getSchema(id);
    if (v === undefined) throw new Error(`schema for ${type} is not registered`);
    s.byType.set(type, v);
  }
  return v;
}

/** The properties the official schema declares for a spec-defined type (empty otherwise). */
export function schemaDeclaredProperties(type: string): ReadonlySet<string> {
  const s = state();
  let d = s.declared.get(type);
  if (d === undefined) {
    const id = isSpecType(type) ? schemaIdFor(type) : undefined;
    d = id === undefined ? new Set<string>() : declaredProperties(id);
    s.declared.set(type, d);
  }
  return d;
}

/**
 * The properties the official schema requires of a spec-defined type (through `allOf` and
 * `$ref`; alternatives under `oneOf`/`anyOf` are not unconditional and are skipped).
 */
export function schemaRequiredProperties(type: string): ReadonlySet<string> {
  // The schemas are static: walk them once per type (minimise asks for every released object).
  let cached = requiredByType.get(type);
  if (cached === undefined) {
    cached = walkRequiredProperties(type);
    if (requiredByType.size < 4096) requiredByType.set(type, cached);
  }
  return cached;
}

const requiredByType = new Map<string, ReadonlySet<string>>();

function walkRequiredProperties(type: string): ReadonlySet<string> {
  const out = new Set<string>();
  const id = isSpecType(type) ? schemaIdFor(type) : undefined;
  const seen = new Set<string>();
  const visit = (node: unknown, base: string): void => {
    if (node === null || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (Array.isArray(n.required)) for (const r of n.required) out.add(String(r));
    if (typeof n.$ref === 'string' && !n.$ref.startsWith('#')) {
      const target = new URL(n.$ref, base).href;
      if (!seen.has(target)) {
        seen.add(target);
        visit(byId(target), target);
      }
    }
    if (Array.isArray(n.allOf)) for (const item of n.allOf) visit(item, base);
  };
  if (id !== undefined) visit(byId(id), id);
  else out.add('type').add('id');
  return out;
}

/** Property names the schemas type as STIX timestamps (`created`, `valid_from`, ...). */
export function schemaTimestampProperties(): ReadonlySet<string> {
  return state().timestampProps;
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `required property \`${String(p.missingProperty)}\` is missing`;
    case 'additionalProperties':
      return `property \`${String(p.additionalProperty)}\` is not allowed here`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`;
    case 'pattern':
      return `does not match the schema pattern (\`${String(p.pattern).slice(0, 80)}\`)`;
    default:
      return `${e.keyword}: ${e.message ?? 'invalid'}`;
  }
}

/**
 * The schema verdict on one object from each of the two validators: `fast` compiles the
 * verdict-preserving rewrites (schema-rewrite.ts), `vendored` the schemas exactly as vendored.
 * They must always agree; test/intel/schema-rewrite.test.ts checks that they do.
 */
export function schemaVerdicts(object: Record<string, unknown>): {
  readonly fast: boolean;
  readonly vendored: boolean;
} {
  const type = typeof object.type === 'string' ? object.type : '';
  const looksLikeSdo = 'created' in object || 'modified' in object;
  const s = state();
  s.detailed ??= validators(true);
  return {
    fast: validatorFor(s.fast, type, looksLikeSdo)(object),
    vendored: validatorFor(s.detailed, type, looksLikeSdo)(object),
  };
}

/**
 * Validates one object against the official schema for its type (custom types against the
 * common core for SDO-like or SCO-like objects) and returns the issues, located under `base`.
 */
export function schemaIssues(object: Record<string, unknown>, base: string): StixIssue[] {
  const type = typeof object.type === 'string' ? object.type : '';
  const looksLikeSdo = 'created' in object || 'modified' in object;
  // The verdict comes from the validator that stops at the first error (the same schemas, so
  // the same verdict); only an invalid object pays for collecting every error.
  const s = state();
  const fast = validatorFor(s.fast, type, looksLikeSdo);
  if (fast(object)) return [];
  const first = fast.errors ?? [];
  s.detailed ??= validators(true);
  const validate = validatorFor(s.detailed, type, looksLikeSdo);
  // INVARIANT: both validators compile the same schemas, so they agree; were they ever not to,
  // the object stays invalid with the first error.
  const errors = validate(object) ? first : (validate.errors ?? []);
  const seen = new Set<string>();
  const issues: StixIssue[] = [];
  for (const e of errors) {
    // Composite keywords only summarise the errors of their branches, already listed.
    if (['oneOf', 'anyOf', 'allOf', 'if', 'then'].includes(e.keyword)) continue;
    const isRequired = e.keyword === 'required';
    const path = isRequired
      ? pointer(
          base + e.instancePath,
          String((e.params as { missingProperty: unknown }).missingProperty),
        )
      : base + e.instancePath;
    const issue: StixIssue = {
      code: isRequired ? 'missing-property' : 'schema-violation',
      path,
      message: describe(e),
      severity: 'error',
    };
    const key = `${issue.code}|${issue.path}|${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  if (issues.length === 0)
    issues.push({
      code: 'schema-violation',
      path: base,
      message: 'the object matches none of the schema alternatives',
      severity: 'error',
    });
  return issues;
}
