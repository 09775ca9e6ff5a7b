/**
 * How a STIX object carries its RSIT class and personal-data category, and the `ObjectMeta`
 * the policy engine decides on.
 *
 * - **RSIT**: MISP taxonomy machine tags in `labels` (MISP's STIX export puts tags there):
 *   `rsit:<class>="<type>"` or `rsit:<class>`, e.g. `rsit:intrusions="privileged-account-compromise"`.
 *   Several classes: the first in `labels` order wins.
 * - **Personal data**: derived from the sensitive properties present (`SENSITIVE_PROPERTIES`),
 *   including object paths of personal types inside STIX patterns; a label
 *   `concordat:personal-data="<category>"` may *raise* the category (e.g. to
 *   `special-category`) but never lower it: deny by default.
 * - **TLP**: `object_marking_refs` (see `tlpOf`); unmarked objects default to `amber`.
 */
import type { PersonalData, RsitClass, Tlp } from '../agreement/index.js';
import { PERSONAL_DATA_CATEGORIES, RSIT_CLASSES } from '../agreement/index.js';
import type { ObjectMeta } from '../policy/index.js';
import { isPseudonymToken } from './pseudonym.js';
import { SENSITIVE_PROPERTIES, personalPatternPaths } from './sensitive-properties.js';
import { tlpOf, type MarkingDefinition } from './tlp.js';

/**
 * TLP assumed for an object with no TLP marking. `amber`: the most restrictive label that
 * still allows need-to-know sharing beyond the producer's organisation, which is what a
 * release under an agreement is. `red` would make every unmarked object unreleasable (core
 * `never_release: red`), silently stopping sharing; `green`/`clear` would assume a consent the
 * producer never gave. Callers may choose another default per node.
 */
export const DEFAULT_UNMARKED_TLP: Tlp = 'amber';

type StixObject = Readonly<Record<string, unknown>>;

const RSIT_TAG = /^rsit:([a-z-]+)(?:="[^"]*")?$/;
const PD_TAG = /^concordat:personal-data="([a-z-]+)"$/;

/** The RSIT class an object's labels carry (`rsit:<class>…` MISP machine tags), if any. */
export function rsitOf(object: StixObject): RsitClass | undefined {
  const labels = object.labels;
  if (!Array.isArray(labels)) return undefined;
  for (const l of labels) {
    // Most labels are not machine tags: skip the regular expression for them.
    const m = typeof l === 'string' && l.startsWith('rsit:') ? RSIT_TAG.exec(l) : null;
    const cls = m?.[1];
    if (cls !== undefined && (RSIT_CLASSES as readonly string[]).includes(cls))
      return cls as RsitClass;
  }
  return undefined;
}

/** The `rsit:` label for a class and optional type, as MISP writes it. */
export function rsitLabel(cls: RsitClass, type?: string): string {
  return type === undefined ? `rsit:${cls}` : `rsit:${cls}="${type}"`;
}

function max(a: PersonalData, b: PersonalData): PersonalData {
  return PERSONAL_DATA_CATEGORIES.indexOf(a) >= PERSONAL_DATA_CATEGORIES.indexOf(b) ? a : b;
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
}

let personalPath: RegExp | undefined;

/**
 * Matches a text that contains any of `personalPatternPaths()` (one alternation scans a pattern
 * once, where a search per path scanned it fifteen times). Built on first use.
 */
function personalPathIn(): RegExp {
  personalPath ??= new RegExp(
    personalPatternPaths()
      .map((p) => p.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&'))
      .join('|'),
  );
  return personalPath;
}

/**
 * The personal-data category of an object: `personal` when a property the table declares
 * personal is present (or a pattern compares a personal type's property), `pseudonymous` when
 * every such property holds a Concordat pseudonym token, else `none`; raised (never lowered) by a `concordat:personal-data="…"` label.
 */
export function personalDataOf(object: StixObject): PersonalData {
  const type = typeof object.type === 'string' ? object.type : '';
  // The type's own row: `personal` and `patterns` have no common part (see sensitiveSpecOf).
  const spec = SENSITIVE_PROPERTIES[type];
  let category: PersonalData = 'none';
  if (spec?.personal !== undefined) {
    let present_ = 0;
    let tokens = 0;
    for (const p of spec.personal) {
      const v = object[p];
      if (!present(v)) continue;
      present_++;
      // A value minimise() replaced by a keyed token is pseudonymous data (GDPR art. 4(5)).
      if (typeof v === 'string' && isPseudonymToken(v)) tokens++;
    }
    if (tokens < present_) category = 'personal';
    else if (present_ > 0) category = 'pseudonymous';
  }
  if (spec?.patterns !== undefined)
    for (const prop of Object.keys(spec.patterns)) {
      const pattern = object[prop];
      if (typeof pattern === 'string' && personalPathIn().test(pattern)) category = 'personal';
    }
  const labels = object.labels;
  if (Array.isArray(labels))
    for (const l of labels) {
      // Most labels are not declarations: skip the regular expression for them.
      if (typeof l !== 'string' || !l.startsWith('concordat:')) continue;
      const declared = PD_TAG.exec(l)?.[1];
      if (
        declared !== undefined &&
        (PERSONAL_DATA_CATEGORIES as readonly string[]).includes(declared)
      )
        category = max(category, declared as PersonalData);
    }
  return category;
}

/** Options of `objectMeta`. */
export interface ObjectMetaOptions {
  /** Marking definitions travelling with the object (its bundle). */
  readonly bundleMarkings?: readonly MarkingDefinition[];
  /** TLP of an unmarked object (default `DEFAULT_UNMARKED_TLP`). */
  readonly defaultTlp?: Tlp;
}

/**
 * What the policy engine needs to know about a STIX object (never its content): type, TLP,
 * personal-data category, producer, RSIT class and confidence.
 */
export function objectMeta(
  object: StixObject,
  producer: string,
  options: ObjectMetaOptions = {},
): ObjectMeta {
  const rsit = rsitOf(object);
  const confidence = object.confidence;
  const meta: {
    type: string;
    tlp: Tlp;
    personalData: PersonalData;
    producer: string;
    rsit?: RsitClass;
    confidence?: number;
  } = {
    type: typeof object.type === 'string' ? object.type : '',
    tlp: tlpOf(object, options.bundleMarkings) ?? options.defaultTlp ?? DEFAULT_UNMARKED_TLP,
    personalData: personalDataOf(object),
    producer,
  };
  if (rsit !== undefined) meta.rsit = rsit;
  if (
    typeof confidence === 'number' &&
    Number.isInteger(confidence) &&
    confidence >= 0 &&
    confidence <= 100
  )
    meta.confidence = confidence;
  return meta;
}
