/**
 * `personalDataOf` and `objectMeta` against the straightforward implementation they replaced
 * (kept here as the reference, STYLE.md), on random objects of every type the sensitive
 * property table names: present, empty and pseudonymised values, patterns and labels.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PERSONAL_DATA_CATEGORIES, RSIT_CLASSES } from '../../src/agreement/index.js';
import type { PersonalData, RsitClass } from '../../src/agreement/index.js';
import { objectMeta, personalDataOf, rsitOf } from '../../src/intel/classification.js';
import { isPseudonymToken } from '../../src/intel/pseudonym.js';
import {
  SENSITIVE_PROPERTIES,
  personalPatternPaths,
} from '../../src/intel/sensitive-properties.js';

type StixObject = Readonly<Record<string, unknown>>;
const PD_TAG = /^concordat:personal-data="([a-z-]+)"$/;

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
}

function max(a: PersonalData, b: PersonalData): PersonalData {
  return PERSONAL_DATA_CATEGORIES.indexOf(a) >= PERSONAL_DATA_CATEGORIES.indexOf(b) ? a : b;
}

/** The implementation before the allocation-free rewrite, verbatim in behaviour. */
function referencePersonalDataOf(object: StixObject): PersonalData {
  const type = typeof object.type === 'string' ? object.type : '';
  const spec = SENSITIVE_PROPERTIES[type] ?? {};
  let category: PersonalData = 'none';
  const personal = (spec.personal ?? []).filter((p) => present(object[p]));
  if (personal.some((p) => !(typeof object[p] === 'string' && isPseudonymToken(object[p]))))
    category = 'personal';
  else if (personal.length > 0) category = 'pseudonymous';
  if (spec.patterns !== undefined)
    for (const prop of Object.keys(spec.patterns)) {
      const pattern = object[prop];
      if (typeof pattern !== 'string') continue;
      if (personalPatternPaths().some((path) => pattern.includes(path))) category = 'personal';
    }
  if (Array.isArray(object.labels))
    for (const l of object.labels) {
      const m = typeof l === 'string' ? PD_TAG.exec(l) : null;
      const declared = m?.[1];
      if (
        declared !== undefined &&
        (PERSONAL_DATA_CATEGORIES as readonly string[]).includes(declared)
      )
        category = max(category, declared as PersonalData);
    }
  return category;
}

const RSIT_TAG = /^rsit:([a-z-]+)(?:="[^"]*")?$/;

/** `rsitOf` before the `rsit:` prefix test, verbatim in behaviour. */
function referenceRsitOf(object: StixObject): RsitClass | undefined {
  const labels = object.labels;
  if (!Array.isArray(labels)) return undefined;
  for (const l of labels) {
    const m = typeof l === 'string' ? RSIT_TAG.exec(l) : null;
    const cls = m?.[1];
    if (cls !== undefined && (RSIT_CLASSES as readonly string[]).includes(cls))
      return cls as RsitClass;
  }
  return undefined;
}

const types = Object.keys(SENSITIVE_PROPERTIES);
const props = [
  ...new Set(
    Object.values(SENSITIVE_PROPERTIES).flatMap((s) => [
      ...(s.personal ?? []),
      ...Object.keys(s.patterns ?? {}),
    ]),
  ),
];
const value = fc.oneof(
  fc.constantFrom(undefined, null, '', [], ['x'], 0, 'a@b.c'),
  fc.constant('0123456789abcdef0123456789abcdef@pseudonym.invalid'),
  fc.constant('pseudonym-0123456789abcdef0123456789abcdef'),
  fc
    .constantFrom(...personalPatternPaths(), 'ipv4-addr:value', 'domain-name:value')
    .map((p) => `[${p} = 'x']`),
  fc
    .tuple(
      fc.constantFrom(...personalPatternPaths()),
      fc.nat(30),
      fc.constantFrom('', '.', '-', 'x', ':'),
    )
    .map(
      ([p, i, c]) =>
        `[ipv4-addr:value = '1.2.3.4'] OR [${p.slice(0, i)}${c}${p.slice(i + 1)} = 'x']`,
    ),
  fc.string({ maxLength: 8 }),
);
const label = fc.oneof(
  fc.constantFrom(...PERSONAL_DATA_CATEGORIES).map((c) => `concordat:personal-data="${c}"`),
  fc.constantFrom('concordat:personal-data="bogus"', 'rsit:malicious-code', 'tlp:green', 'x'),
  fc.constantFrom(...RSIT_CLASSES).map((c) => `rsit:${c}="some-type"`),
  fc.constantFrom('rsit:bogus', 'rsit:intrusions=""', 'xrsit:malicious-code', 'rsit:', 'rsit:A'),
  fc.string({ maxLength: 6 }),
);
const object = fc
  .tuple(
    fc.oneof(fc.constantFrom(...types), fc.constantFrom('x-custom', 'constructor', '')),
    fc.dictionary(fc.constantFrom(...props), value, { maxKeys: 4 }),
    fc.option(fc.array(label, { maxLength: 3 }), { nil: undefined }),
    fc.option(fc.oneof(fc.integer({ min: -5, max: 105 }), fc.constant(50.5)), { nil: undefined }),
  )
  .map(([type, fields, labels, confidence]) => ({
    type,
    ...fields,
    ...(labels === undefined ? {} : { labels }),
    ...(confidence === undefined ? {} : { confidence }),
  }));

describe('personal-data classification', () => {
  it('agrees with the reference implementation on random objects', () => {
    const seen = new Set<PersonalData>();
    fc.assert(
      fc.property(object, (o) => {
        const got = personalDataOf(o);
        expect(got).toBe(referencePersonalDataOf(o));
        seen.add(got);
      }),
      { numRuns: 4000 },
    );
    // Every category occurred, so the comparison covered each branch.
    expect([...seen].sort()).toEqual([...PERSONAL_DATA_CATEGORIES].sort());
  });

  it('agrees with the reference on every personal pattern path, whole and damaged', () => {
    for (const path of personalPatternPaths())
      for (let i = 0; i <= path.length; i++)
        for (const pattern of [
          `[${path} = 'x']`,
          `[${path.slice(0, i)}${path.slice(i + 1)} = 'x']`,
          `[${path.slice(0, i)}.${path.slice(i)} = 'x']`,
        ]) {
          const o = { type: 'indicator', pattern, pattern_type: 'stix' };
          expect(personalDataOf(o)).toBe(referencePersonalDataOf(o));
        }
  });

  it('objectMeta carries rsit and confidence only when present and valid, in a fixed key order', () => {
    fc.assert(
      fc.property(object, (o) => {
        const meta = objectMeta(o, 'ARV');
        expect(Object.keys(meta).slice(0, 4)).toEqual(['type', 'tlp', 'personalData', 'producer']);
        const c = (o as { confidence?: unknown }).confidence;
        const valid = typeof c === 'number' && Number.isInteger(c) && c >= 0 && c <= 100;
        expect('confidence' in meta).toBe(valid);
        if (valid) expect(meta.confidence).toBe(c);
        expect(meta.personalData).toBe(referencePersonalDataOf(o));
        expect(meta.rsit).toBe(referenceRsitOf(o));
        expect(rsitOf(o)).toBe(referenceRsitOf(o));
      }),
      { numRuns: 1000 },
    );
  });
});
