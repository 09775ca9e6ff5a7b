import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STIX_LIMITS,
  validateStix,
  validateStixBundle,
  validateStixObject,
  type StixIssueCode,
} from '../../src/intel/index.js';
import { baseBundle, EMAIL, INDICATOR, oasisExamples, readShared, type Json } from './fixtures.js';

const objects = (b: Json): Json[] => b.objects as Json[];
const obj = (b: Json, i: number): Json => objects(b)[i] as Json;

describe('official OASIS examples', () => {
  const examples = oasisExamples();
  it('finds all 17 example files', () => expect(examples).toHaveLength(17));
  it.each(examples)('%s is valid', (_name, json) => {
    const r = validateStix(json);
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(r.valid).toBe(true);
  });
  it('reports the uppercase UUID in infrastructure.json as a warning only', () => {
    const r = validateStix(
      readShared('oasis-stix2.1-examples/cti-stix2-json-schemas/infrastructure.json'),
    );
    expect(r.issues).toEqual([
      expect.objectContaining({
        code: 'id-not-lowercase',
        path: '/objects/8/id',
        severity: 'warning',
      }),
    ]);
  });
});

describe('MITRE ATT&CK bundles', () => {
  it.each([
    ['ics-attack-17.1.json', 1651],
    ['ics-attack-18.1.json', 1826],
    ['mobile-attack-17.1.json', 2148],
  ])('%s: all %i objects validate; custom types and refs are warnings', (file, count) => {
    const bundle = readShared(`mitre-attack-stix2.1/${file}`) as Json;
    expect(objects(bundle)).toHaveLength(count);
    const r = validateStixBundle(bundle);
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(r.valid).toBe(true);
    const codes = new Set(r.issues.map((i) => i.code));
    // x-mitre-* object types are STIX 2.1 §11.2 custom objects: allowed, deprecated.
    expect(codes.has('custom-object-type')).toBe(true);
    for (const c of codes) expect(['custom-object-type', 'id-malformed']).toContain(c);
  });
});

interface Damage {
  readonly name: string;
  readonly damage: (b: Json) => void;
  readonly code: StixIssueCode;
  readonly path: string;
}

// Named by the damage (STYLE.md: adversarial vectors, named by the damage).
const DAMAGES: readonly Damage[] = [
  {
    name: 'missing-spec-version',
    damage: (b) => delete obj(b, 1).spec_version,
    code: 'missing-property',
    path: '/objects/1/spec_version',
  },
  {
    name: 'bad-id-prefix',
    damage: (b) => (obj(b, 1).id = 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'),
    code: 'id-type-mismatch',
    path: '/objects/1/id',
  },
  {
    name: 'modified-before-created',
    damage: (b) => (obj(b, 1).modified = '2024-03-01T10:15:30.122Z'),
    code: 'modified-before-created',
    path: '/objects/1/modified',
  },
  {
    name: 'unknown-type',
    damage: (b) => {
      obj(b, 0).type = 'identiti';
      obj(b, 0).id = 'identiti--311b2d2d-f010-4473-83ec-1edf84858f4c';
    },
    code: 'unknown-type',
    path: '/objects/0/type',
  },
  {
    name: 'tlp-ref-typo',
    damage: (b) =>
      (obj(b, 1).object_marking_refs = [
        'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b422',
      ]),
    code: 'marking-unresolved',
    path: '/objects/1/object_marking_refs/0',
  },
  {
    name: 'id-not-uuid',
    damage: (b) => (obj(b, 1).id = 'indicator--not-a-uuid'),
    code: 'id-malformed',
    path: '/objects/1/id',
  },
  {
    name: 'uuid-bad-version',
    damage: (b) => (obj(b, 1).id = 'indicator--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f'),
    code: 'id-not-rfc4122',
    path: '/objects/1/id',
  },
  {
    name: 'uuid-bad-variant',
    damage: (b) => (obj(b, 1).id = 'indicator--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f'),
    code: 'id-not-rfc4122',
    path: '/objects/1/id',
  },
  {
    name: 'id-zero-width-space',
    damage: (b) => (obj(b, 1).id = 'indicator--8e2e2d2b-17d4-4cbf-938f\u200b-98ee46b3cd3f'),
    code: 'id-non-ascii',
    path: '/objects/1/id',
  },
  {
    name: 'id-cyrillic-homoglyph',
    damage: (b) => (obj(b, 1).id = 'indic\u0430tor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'),
    code: 'id-non-ascii',
    path: '/objects/1/id',
  },
  {
    name: 'ref-homoglyph',
    damage: (b) => (obj(b, 3).source_ref = 'indic\u0430tor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'),
    code: 'id-non-ascii',
    path: '/objects/3/source_ref',
  },
  {
    name: 'created-by-ref-not-identity',
    damage: (b) => (obj(b, 1).created_by_ref = 'malware--311b2d2d-f010-4473-83ec-1edf84858f4c'),
    code: 'id-type-mismatch',
    path: '/objects/1/created_by_ref',
  },
  {
    name: 'timestamp-local-offset',
    damage: (b) => (obj(b, 1).valid_from = '2024-03-01T11:15:30.123+01:00'),
    code: 'timestamp-invalid',
    path: '/objects/1/valid_from',
  },
  {
    name: 'timestamp-impossible-date',
    damage: (b) => (obj(b, 1).valid_until = '2024-02-30T00:00:00Z'),
    code: 'timestamp-invalid',
    path: '/objects/1/valid_until',
  },
  {
    name: 'timestamp-no-millis-on-created',
    damage: (b) => (obj(b, 0).created = '2024-01-01T00:00:00Z'),
    code: 'schema-violation',
    path: '/objects/0/created',
  },
  {
    name: 'valid-until-before-valid-from',
    damage: (b) => (obj(b, 1).valid_until = '2024-01-01T00:00:00Z'),
    code: 'time-order',
    path: '/objects/1/valid_until',
  },
  {
    name: 'custom-property-without-x',
    damage: (b) => (obj(b, 1).source_country = 'ARV'),
    code: 'custom-property-name',
    path: '/objects/1/source_country',
  },
  {
    name: 'misspelt-standard-property',
    damage: (b) => (obj(b, 1).valid_form = '2024-03-01T10:15:30.123Z'),
    code: 'custom-property-name',
    path: '/objects/1/valid_form',
  },
  {
    name: 'confidence-out-of-range',
    damage: (b) => (obj(b, 1).confidence = 101),
    code: 'schema-violation',
    path: '/objects/1/confidence',
  },
  {
    name: 'indicator-without-pattern',
    damage: (b) => delete obj(b, 1).pattern,
    code: 'missing-property',
    path: '/objects/1/pattern',
  },
  {
    name: 'labels-not-array',
    damage: (b) => (obj(b, 1).labels = 'rsit:malicious-code'),
    code: 'schema-violation',
    path: '/objects/1/labels',
  },
  {
    name: 'relationship-without-target',
    damage: (b) => delete obj(b, 3).target_ref,
    code: 'missing-property',
    path: '/objects/3/target_ref',
  },
  {
    name: 'spec-version-2.2',
    damage: (b) => (obj(b, 1).spec_version = '2.2'),
    code: 'schema-violation',
    path: '/objects/1/spec_version',
  },
  {
    name: 'email-value-not-email',
    damage: (b) => (obj(b, 2).value = 'not an email'),
    code: 'schema-violation',
    path: '/objects/2/value',
  },
  {
    name: 'bundle-id-wrong-type',
    damage: (b) => (b.id = 'report--5d0092c5-5f74-4287-9642-33f4c354e56d'),
    code: 'id-type-mismatch',
    path: '/id',
  },
  {
    name: 'bundle-type-missing',
    damage: (b) => delete b.type,
    code: 'missing-property',
    path: '/type',
  },
  {
    name: 'object-not-an-object',
    damage: (b) => ((b.objects as unknown[])[4] = 'ipv4-addr'),
    code: 'not-an-object',
    path: '/objects/4',
  },
  {
    name: 'extension-key-invalid',
    damage: (b) =>
      (obj(b, 1).extensions = {
        'Extension-Definition--x': { extension_type: 'property-extension' },
      }),
    code: 'schema-violation',
    path: '/objects/1/extensions',
  },
];

describe('damaged bundles', () => {
  it('the undamaged base bundle is valid with no issues', () => {
    expect(validateStixBundle(baseBundle()).issues).toEqual([]);
  });
  it.each(DAMAGES.map((d) => [d.name, d] as const))('%s is rejected', (_name, d) => {
    const b = baseBundle();
    d.damage(b);
    const r = validateStixBundle(b);
    expect(r.valid).toBe(false);
    expect(r.issues).toContainEqual(
      expect.objectContaining({ code: d.code, path: d.path, severity: 'error' }),
    );
  });
  it('collects every issue, not the first', () => {
    const b = baseBundle();
    for (const d of DAMAGES.slice(0, 5)) d.damage(b);
    const r = validateStixBundle(b);
    for (const d of DAMAGES.slice(0, 5))
      expect(r.issues).toContainEqual(expect.objectContaining({ code: d.code, path: d.path }));
  });
});

describe('hostile input', () => {
  it('rejects over-deep nesting with one issue, no stack overflow', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    const r = validateStixObject({ ...INDICATOR, x_deep: deep });
    expect(r.valid).toBe(false);
    expect(r.issues).toEqual([expect.objectContaining({ code: 'input-too-deep' })]);
  });
  it('rejects an oversized input', () => {
    const r = validateStixObject(
      { ...INDICATOR, x_big: Array.from({ length: 1000 }, () => 'a') },
      { limits: { ...DEFAULT_STIX_LIMITS, maxValues: 500 } },
    );
    expect(r.issues).toEqual([
      expect.objectContaining({ code: 'input-too-large', path: '/x_big' }),
    ]);
  });
  it('rejects an over-long string', () => {
    const r = validateStixObject(
      { ...INDICATOR, description: 'a'.repeat(2000) },
      { limits: { ...DEFAULT_STIX_LIMITS, maxStringLength: 1000 } },
    );
    expect(r.issues).toEqual([
      expect.objectContaining({ code: 'input-too-large', path: '/description' }),
    ]);
  });
  it('survives the exponential schema pattern on type names and extension keys quickly', () => {
    const evil = `${'a'.repeat(40)}!`;
    const t = Date.now();
    const r = validateStixObject({
      ...INDICATOR,
      type: evil,
      extensions: { [`${'a'.repeat(40)}!-ext`]: { a: 1 } },
    });
    expect(Date.now() - t).toBeLessThan(2000);
    expect(r.valid).toBe(false);
  });
  it('survives the CPE and IPv6 patterns on long hostile strings quickly', () => {
    const t = Date.now();
    validateStixObject({
      type: 'software',
      spec_version: '2.1',
      id: 'software--a1827f6d-ca53-5605-9e93-4316cd22a00a',
      name: 'x',
      cpe: `cpe:2.3:a:${'\\*'.repeat(2000)}!`,
    });
    validateStixObject({
      ...structuredClone(EMAIL),
      type: 'ipv6-addr',
      id: 'ipv6-addr--1e61d36c-a16c-53b7-a80f-2a00161c96b1',
      value: `${'1:'.repeat(2000)}x`,
    });
    expect(Date.now() - t).toBeLessThan(2000);
  });
  it('rejects a non-object', () => {
    expect(validateStix(42).issues).toEqual([
      expect.objectContaining({ code: 'not-an-object', path: '' }),
    ]);
    expect(validateStixBundle([]).issues).toEqual([
      expect.objectContaining({ code: 'not-an-object' }),
    ]);
  });
});

describe('extensions and custom content', () => {
  it('accepts a type declared by a new-sdo extension', () => {
    const r = validateStixObject({
      type: 'concordat-widget',
      spec_version: '2.1',
      id: 'concordat-widget--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      extensions: {
        'extension-definition--9c59fd79-4215-4ba2-920d-3e4f320e1e62': { extension_type: 'new-sdo' },
      },
    });
    expect(r.issues).toEqual([]);
  });
  it('accepts top-level properties a toplevel-property-extension in the bundle declares', () => {
    const b = baseBundle();
    const ext = 'extension-definition--71736db5-10db-43d3-b0e3-65cf81601fe1';
    objects(b).push({
      type: 'extension-definition',
      spec_version: '2.1',
      id: ext,
      created_by_ref: 'identity--311b2d2d-f010-4473-83ec-1edf84858f4c',
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      name: 'toplevel',
      schema: 'https://example.org/schema',
      version: '1.0',
      extension_types: ['toplevel-property-extension'],
      extension_properties: ['toxicity'],
    });
    Object.assign(obj(b, 1), {
      toxicity: 8,
      extensions: { [ext]: { extension_type: 'toplevel-property-extension' } },
    });
    expect(validateStixBundle(b).issues).toEqual([]);
    obj(b, 1).other = 1;
    expect(validateStixBundle(b).issues).toEqual([
      expect.objectContaining({ code: 'custom-property-name', path: '/objects/1/other' }),
    ]);
  });
  it('validates the TLP 2.0 marking definitions from OASIS', () => {
    for (const t of ['clear', 'green', 'amber', 'amber+strict', 'red'])
      expect(validateStix(readShared(`tlp2-marking-definitions/tlp-${t}.json`)).issues).toEqual([]);
  });
});

describe('size limit across many small values', () => {
  it('counts every value', () => {
    const r = validateStixObject(
      { ...INDICATOR, x_many: Array.from({ length: 300 }, () => ['a', 'b']) },
      { limits: { ...DEFAULT_STIX_LIMITS, maxValues: 500 } },
    );
    expect(r.issues).toEqual([expect.objectContaining({ code: 'input-too-large', path: '' })]);
  });
});
