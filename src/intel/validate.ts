/**
 * STIX 2.1 validation of bundles and single objects: the official OASIS schemas, then the
 * rules the schemas cannot express (id shape and type, RFC 4122 UUIDs, timestamp reality and
 * order, custom-property naming, marking resolution). Every issue is collected.
 */
import { checkId, type IdProblem } from './ids.js';
import { idProblemFast } from './id-fast.js';
import {
  pointer,
  validationResult,
  type StixIssue,
  type StixIssueCode,
  type StixValidation,
} from './issues.js';
import { checkLimits, DEFAULT_STIX_LIMITS, type StixLimits } from './limits.js';
import {
  schemaDeclaredProperties,
  schemaIssues,
  schemaTimestampProperties,
} from './schema-validator.js';
import { isSpecType } from './stix-types.js';
import { compareInstants, parseStixTimestamp, type StixInstant } from './timestamps.js';
import { isStandardTlpMarking } from './tlp.js';

/** Options of a validation. */
export interface StixValidationOptions {
  /** Size and depth limits (defaults: `DEFAULT_STIX_LIMITS`). */
  readonly limits?: StixLimits;
  /**
   * Marking-definition ids known to the caller besides the standard TLP ones and those in the
   * bundle (markings it already holds). Used only by bundle validation.
   */
  readonly knownMarkings?: readonly string[];
}

type Json = Record<string, unknown>;

interface Context {
  /** Extension definitions in the same bundle, by id. */
  readonly extensionDefinitions: ReadonlyMap<string, Json>;
  /** Marking ids that resolve, or undefined when unresolved markings are not checked. */
  readonly markings?: ReadonlySet<string>;
  /** {@link schemaTimestampProperties}, looked up once per validation. */
  readonly timestamps: ReadonlySet<string>;
}

const ID_CODES: Record<IdProblem, StixIssueCode> = {
  'not-a-string': 'id-malformed',
  malformed: 'id-malformed',
  'non-ascii': 'id-non-ascii',
  'not-rfc4122': 'id-not-rfc4122',
  uppercase: 'id-not-lowercase',
  'type-mismatch': 'id-type-mismatch',
};

const ID_MESSAGES: Record<IdProblem, string> = {
  'not-a-string': 'must be an identifier string `type--UUID`',
  malformed: 'must be `type--UUID` (STIX 2.1 §2.9)',
  'non-ascii': 'contains non-ASCII, invisible or whitespace characters',
  'not-rfc4122': 'the UUID lacks the RFC 4122 version and variant bits',
  uppercase: 'the UUID must be lowercase (RFC 4122 §3)',
  'type-mismatch': 'names the wrong object type',
};

// STIX 2.1: references whose target type is fixed by the specification.
const REF_TARGET: Readonly<Record<string, string>> = {
  created_by_ref: 'identity',
  object_marking_refs: 'marking-definition',
  marking_ref: 'marking-definition',
};

// STIX 2.1: pairs that must be ordered (earlier, later, whether equality is allowed).
const ORDERED: readonly (readonly [string, string, boolean])[] = [
  ['first_seen', 'last_seen', true], // §4.4 campaign, §4.10 intrusion-set, §5.2 sighting …
  ['first_observed', 'last_observed', true], // §4.13 observed-data
  ['valid_from', 'valid_until', false], // §4.7 indicator: valid_until MUST be greater
  ['start', 'end', true], // §6.12 network-traffic
];

// STIX 2.1 §11.2: a custom object type.
const CUSTOM_TYPE = /^x-[a-z0-9-]+$/;

function issue(
  code: StixIssueCode,
  path: string,
  message: string,
  severity: StixIssue['severity'] = 'error',
): StixIssue {
  return { code, path, message, severity };
}

// RFC 4122 §3: UUIDs are case-insensitive on input, lowercase on output. An uppercase UUID is
// a warning (the official example cti-stix2-json-schemas/infrastructure.json has one).
function idSeverity(problem: IdProblem, custom: boolean): StixIssue['severity'] {
  return custom || problem === 'uppercase' ? 'warning' : 'error';
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The JSON Pointer of `tokens` below `trail` below `base` (built only for an issue). */
function at(base: string, trail: readonly (string | number)[], ...tokens: (string | number)[]) {
  return pointer(base, ...trail, ...tokens);
}

function checkRef(
  value: unknown,
  expected: string | undefined,
  base: string,
  trail: readonly (string | number)[],
  key: string,
  index: number | undefined,
  custom: boolean,
  out: StixIssue[],
): void {
  const problem = idProblemFast(value, expected);
  if (problem !== undefined)
    out.push(
      issue(
        ID_CODES[problem],
        index === undefined ? at(base, trail, key) : at(base, trail, key, index),
        `reference ${ID_MESSAGES[problem]}`,
        idSeverity(problem, custom),
      ),
    );
}

/**
 * Walks an object for references, timestamps and markings (depth already bounded). Inside
 * custom content (`x_` properties, custom object types) STIX 2.1 §11 gives no semantics, so
 * malformed references there are warnings (ATT&CK ICS 18.1 has `x_mitre_data_source_ref: ""`).
 * The JSON Pointer of a value is built only when an issue needs it: `trail` holds the tokens
 * below `base`.
 */
function walk(
  value: unknown,
  base: string,
  trail: (string | number)[],
  ctx: Context,
  custom: boolean,
  out: StixIssue[],
): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      // Scalars in arrays carry nothing to check (references are checked from their key).
      if (item === null || typeof item !== 'object') continue;
      trail.push(i);
      walk(item, base, trail, ctx, custom, out);
      trail.pop();
    }
    return;
  }
  if (!isObject(value)) return;
  const timestamps = ctx.timestamps;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (typeof v === 'string') {
      if (key.endsWith('_ref')) {
        const inCustom = custom || key.startsWith('x_');
        checkRef(v, REF_TARGET[key], base, trail, key, undefined, inCustom, out);
        if (key === 'marking_ref') checkMarking(v, base, trail, key, undefined, ctx, out);
      } else if (timestamps.has(key) && parseStixTimestamp(v) === undefined)
        out.push(
          issue(
            'timestamp-invalid',
            at(base, trail, key),
            'must be an RFC 3339 UTC timestamp of a real instant',
          ),
        );
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    const inCustom = custom || key.startsWith('x_');
    if (key.endsWith('_refs') && Array.isArray(v)) {
      const target = REF_TARGET[key];
      for (let i = 0; i < v.length; i++) {
        const r: unknown = v[i];
        if (typeof r !== 'string') continue;
        checkRef(r, target, base, trail, key, i, inCustom, out);
        if (key === 'object_marking_refs') checkMarking(r, base, trail, key, i, ctx, out);
      }
    }
    trail.push(key);
    walk(v, base, trail, ctx, inCustom, out);
    trail.pop();
  }
}

function checkMarking(
  ref: string,
  base: string,
  trail: readonly (string | number)[],
  key: string,
  index: number | undefined,
  ctx: Context,
  out: StixIssue[],
): void {
  if (ctx.markings === undefined || isStandardTlpMarking(ref) || ctx.markings.has(ref)) return;
  out.push(
    issue(
      'marking-unresolved',
      index === undefined ? at(base, trail, key) : at(base, trail, key, index),
      'marking is neither a standard TLP marking nor defined in the bundle',
    ),
  );
}

function declaresExtensionType(object: Json, kinds: readonly string[]): string[] {
  const ext = object.extensions;
  if (!isObject(ext)) return [];
  return Object.entries(ext)
    .filter(([, e]) => isObject(e) && kinds.includes(String(e.extension_type)))
    .map(([id]) => id);
}

function typeIssues(object: Json, base: string, out: StixIssue[]): void {
  const type = object.type;
  if (typeof type !== 'string' || isSpecType(type)) return;
  // STIX 2.1 §7.3: a new object type is declared by a `new-sdo`/`new-sco`/`new-sro` extension.
  if (declaresExtensionType(object, ['new-sdo', 'new-sco', 'new-sro']).length > 0) return;
  if (CUSTOM_TYPE.test(type)) {
    // STIX 2.1 §11.2: custom objects are deprecated in favour of extensions, but allowed.
    out.push({
      code: 'custom-object-type',
      path: pointer(base, 'type'),
      message: 'custom object type (STIX 2.1 §11.2, deprecated: use an extension definition)',
      severity: 'warning',
    });
    return;
  }
  out.push(
    issue(
      'unknown-type',
      pointer(base, 'type'),
      'is not a STIX 2.1 type, an `x-` custom type, nor declared by a new-object extension',
    ),
  );
}

function customPropertyIssues(object: Json, base: string, ctx: Context, out: StixIssue[]): void {
  const type = object.type;
  if (typeof type !== 'string' || !isSpecType(type)) return;
  const declared = schemaDeclaredProperties(type);
  // STIX 2.1 §7.3: a toplevel-property-extension adds properties at the top level; its
  // definition's `extension_properties` names them when the definition is at hand.
  const toplevel =
    object.extensions === undefined
      ? []
      : declaresExtensionType(object, ['toplevel-property-extension']);
  // Most objects declare no extension: no set to build.
  const allowed: Set<string> | undefined = toplevel.length === 0 ? undefined : new Set<string>();
  let unknownDefinition = false;
  for (const id of toplevel) {
    const def = ctx.extensionDefinitions.get(id);
    const props = def?.extension_properties;
    if (Array.isArray(props)) props.forEach((p) => allowed?.add(String(p)));
    else unknownDefinition = true;
  }
  for (const key of Object.keys(object)) {
    if (
      declared.has(key) ||
      key.startsWith('x_') ||
      allowed?.has(key) === true ||
      unknownDefinition
    )
      continue;
    // STIX 2.1 §11.1: custom property names SHOULD start with `x_`. Concordat requires it, so
    // that a misspelt standard property (`valid_form`) is an error, not a silent custom one.
    out.push(
      issue(
        'custom-property-name',
        pointer(base, key),
        `\`${key}\` is not a property of \`${type}\`; custom properties start with \`x_\` or belong to a declared extension`,
      ),
    );
  }
}

/** The instant in `object[key]`, if it holds a valid STIX timestamp. */
function instantAt(object: Json, key: string): StixInstant | undefined {
  const v = object[key];
  return typeof v === 'string' ? parseStixTimestamp(v) : undefined;
}

function orderIssues(object: Json, base: string, out: StixIssue[]): void {
  const created = instantAt(object, 'created');
  const modified = instantAt(object, 'modified');
  // STIX 2.1 §3.2: modified MUST be later than or equal to created.
  if (created !== undefined && modified !== undefined && compareInstants(modified, created) < 0)
    out.push(
      issue('modified-before-created', pointer(base, 'modified'), 'is earlier than `created`'),
    );
  for (const [early, late, equalOk] of ORDERED) {
    // Most objects carry neither: skip the pair before parsing.
    if (object[late] === undefined) continue;
    const a = instantAt(object, early);
    const b = instantAt(object, late);
    if (a === undefined || b === undefined) continue;
    const c = compareInstants(b, a);
    if (c < 0 || (c === 0 && !equalOk))
      out.push(
        issue(
          'time-order',
          pointer(base, late),
          `must be later than ${equalOk ? 'or equal to ' : ''}\`${early}\``,
        ),
      );
  }
}

function objectIssues(object: unknown, base: string, ctx: Context): StixIssue[] {
  if (!isObject(object)) return [issue('not-an-object', base, 'must be a STIX object')];
  const out: StixIssue[] = [];
  typeIssues(object, base, out);
  out.push(...schemaIssues(object, base));
  if (typeof object.type === 'string') {
    const problem = idProblemFast(object.id, object.type);
    if (problem !== undefined && object.id !== undefined)
      out.push(
        issue(
          ID_CODES[problem],
          pointer(base, 'id'),
          `id ${ID_MESSAGES[problem]}`,
          idSeverity(problem, false),
        ),
      );
  }
  walk(object, base, [], ctx, typeof object.type !== 'string' || !isSpecType(object.type), out);
  orderIssues(object, base, out);
  customPropertyIssues(object, base, ctx, out);
  return out;
}

function limitIssue(input: unknown, options: StixValidationOptions): StixValidation | undefined {
  const hit = checkLimits(input, options.limits ?? DEFAULT_STIX_LIMITS);
  return hit === undefined ? undefined : validationResult([hit]);
}

/**
 * Validates one STIX 2.1 object (SDO, SCO, SRO, marking definition, extension definition,
 * language content, or a custom object). Marking references are not resolved (there is no
 * bundle to resolve them in).
 */
export function validateStixObject(
  object: unknown,
  options: StixValidationOptions = {},
): StixValidation {
  const limited = limitIssue(object, options);
  if (limited !== undefined) return limited;
  return validationResult(
    objectIssues(object, '', {
      extensionDefinitions: new Map(),
      timestamps: schemaTimestampProperties(),
    }),
  );
}

/**
 * Records object versions and says whether one was recorded before. An object version is the
 * text `<id>|<version>`; when no id in the bundle contains `|`, the first `|` of that text ends
 * the id, so two versions are the same text exactly when id and version are both the same, and
 * they are kept by id without building the text (the text and its hash cost more than the rest
 * of the check). Otherwise the texts themselves are kept.
 */
function versionRecorder(pipedIds: boolean): (id: string, version: string) => boolean {
  if (pipedIds) {
    const texts = new Set<string>();
    return (id, version) => {
      const key = `${id}|${version}`;
      const seen = texts.has(key);
      texts.add(key);
      return seen;
    };
  }
  const byId = new Map<string, string | Set<string>>();
  return (id, version) => {
    const known = byId.get(id);
    if (known === undefined) {
      byId.set(id, version);
      return false;
    }
    if (typeof known === 'string') {
      if (known === version) return true;
      byId.set(id, new Set([known, version]));
      return false;
    }
    if (known.has(version)) return true;
    known.add(version);
    return false;
  };
}

/**
 * A bundle's validation in pieces (issue 3's ingest workers validate chunk by chunk while the
 * writer stores earlier chunks): `stop` is the whole verdict when validation cannot go into
 * the objects (a size limit, not an object); otherwise `head` holds the bundle's own issues and
 * `range(from, to)` each object's, to be called over consecutive ranges from 0 up to `count`.
 * {@link validateStixBundle} is `head` followed by every range.
 */
export interface BundleValidation {
  readonly stop?: StixValidation;
  readonly head: readonly StixIssue[];
  readonly count: number;
  range(from: number, to: number): StixIssue[];
}

/** Starts a {@link BundleValidation} of `bundle`; see {@link validateStixBundle} for the rules. */
export function bundleValidation(
  bundle: unknown,
  options: StixValidationOptions = {},
): BundleValidation {
  const limited = limitIssue(bundle, options);
  if (limited !== undefined) return { stop: limited, head: [], count: 0, range: () => [] };
  if (!isObject(bundle))
    return {
      stop: validationResult([issue('not-an-object', '', 'must be a bundle')]),
      head: [],
      count: 0,
      range: () => [],
    };
  const head: StixIssue[] = [];
  if (bundle.type !== 'bundle')
    head.push(
      bundle.type === undefined
        ? issue('missing-property', '/type', 'required property `type` is missing')
        : issue('schema-violation', '/type', 'must be `bundle`'),
    );
  const id = checkId(bundle.id, 'bundle');
  if (!id.ok)
    head.push(
      bundle.id === undefined
        ? issue('missing-property', '/id', 'required property `id` is missing')
        : issue(
            ID_CODES[id.problem],
            '/id',
            `id ${ID_MESSAGES[id.problem]}`,
            idSeverity(id.problem, false),
          ),
    );
  const objects = bundle.objects;
  if (objects !== undefined && !Array.isArray(objects))
    head.push(issue('schema-violation', '/objects', 'must be an array of STIX objects'));
  const list: unknown[] = Array.isArray(objects) ? objects : [];
  const definitions = new Map<string, Json>();
  const markings = new Set(options.knownMarkings ?? []);
  let pipedIds = false;
  for (const o of list) {
    if (!isObject(o) || typeof o.id !== 'string') continue;
    if (o.type === 'extension-definition') definitions.set(o.id, o);
    if (o.type === 'marking-definition') markings.add(o.id);
    if (o.id.includes('|')) pipedIds = true;
  }
  const ctx: Context = {
    extensionDefinitions: definitions,
    markings,
    timestamps: schemaTimestampProperties(),
  };
  const seenBefore = versionRecorder(pipedIds);
  return {
    head,
    count: list.length,
    range(from, to) {
      const out: StixIssue[] = [];
      for (let i = from; i < to; i++) {
        const o = list[i];
        // `/objects/<index>`: an index needs no RFC 6901 escaping.
        const base = `/objects/${i}`;
        for (const found of objectIssues(o, base, ctx)) out.push(found);
        if (isObject(o) && typeof o.id === 'string') {
          if (seenBefore(o.id, String(o.modified ?? o.created ?? '')))
            out.push({
              code: 'duplicate-object',
              path: pointer(base, 'id'),
              message: 'the same object version appears earlier in the bundle',
              severity: 'warning',
            });
        }
      }
      return out;
    },
  };
}

/**
 * Validates a STIX 2.1 bundle (STIX 2.1 §8) and every object in it. Marking references must
 * resolve to a standard TLP marking, a marking definition in the bundle, or `knownMarkings`.
 */
export function validateStixBundle(
  bundle: unknown,
  options: StixValidationOptions = {},
): StixValidation {
  const v = bundleValidation(bundle, options);
  if (v.stop !== undefined) return v.stop;
  return validationResult([...v.head, ...v.range(0, v.count)]);
}

/** Validates a bundle or a single object, whichever `input` is (by its `type`). */
export function validateStix(input: unknown, options: StixValidationOptions = {}): StixValidation {
  return isObject(input) && input.type === 'bundle'
    ? validateStixBundle(input, options)
    : validateStixObject(input, options);
}
