/**
 * The fast validation paths against their references (STYLE.md: a naive reference beside the
 * fast path): the verdict-only validator compiled from rewritten schemas against the vendored
 * schemas, and `checkIdFast` against `checkId`, on the OASIS examples, ATT&CK Mobile and random
 * damage.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIdFast, idProblemFast } from '../../src/intel/id-fast.js';
import { checkId } from '../../src/intel/ids.js';
import { rewriteSchemaForVerdict } from '../../src/intel/schema-rewrite.js';
import { schemaVerdicts } from '../../src/intel/schema-validator.js';
import { STIX_SCHEMAS } from '../../src/intel/stix-schemas.js';
import {
  INDICATOR,
  IDENTITY,
  EMAIL,
  IPV4,
  USER,
  RELATIONSHIP,
  oasisExamples,
  readShared,
} from './fixtures.js';
import type { Json } from './fixtures.js';

function objectsOf(json: unknown): Json[] {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return [];
  const j = json as Json;
  return j.type === 'bundle' && Array.isArray(j.objects) ? (j.objects as Json[]) : [j];
}

const corpus: Json[] = [
  INDICATOR,
  IDENTITY,
  EMAIL,
  IPV4,
  USER,
  RELATIONSHIP,
  ...oasisExamples().flatMap(([, json]) => objectsOf(json)),
  // Every 7th object of ATT&CK Mobile: a spread of types and custom `x_mitre_` properties.
  ...objectsOf(readShared('mitre-attack-stix2.1/mobile-attack-17.1.json')).filter(
    (_, i) => i % 7 === 0,
  ),
];

function agree(o: Json): boolean {
  const v = schemaVerdicts(o);
  if (v.fast !== v.vendored)
    throw new Error(`verdicts differ (fast ${v.fast}): ${JSON.stringify(o).slice(0, 400)}`);
  return v.fast;
}

describe('verdict-preserving schema rewrites', () => {
  it('rewrite the per-property anyOf of properties.json into one type list', () => {
    const props = STIX_SCHEMAS.find((s) =>
      String((s as { $id?: unknown }).$id).endsWith('/common/properties.json'),
    );
    const text = JSON.stringify(rewriteSchemaForVerdict(props as object));
    // The fast path really is different: the six-branch anyOf is gone.
    expect(text).not.toContain('anyOf');
    expect(text).toContain('"type":["array","string","integer","boolean","number","object"]');
    expect(JSON.stringify(props)).toContain('anyOf');
  });

  it('leave the input schemas untouched', () => {
    const before = JSON.stringify(STIX_SCHEMAS);
    STIX_SCHEMAS.forEach((s) => rewriteSchemaForVerdict(s));
    expect(JSON.stringify(STIX_SCHEMAS)).toBe(before);
  });

  it(`agree with the vendored schemas on ${corpus.length} example objects`, () => {
    let valid = 0;
    for (const o of corpus) if (agree(o)) valid++;
    // The corpus is mostly valid: a run where everything failed would prove nothing.
    expect(valid).toBeGreaterThan(corpus.length * 0.9);
  });

  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(null, true, false, 0, -1, 1.5, 101, '', 'x', [], {}),
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 3 }),
    ),
  })).value;
  const key = fc.oneof(
    fc.string({ maxLength: 10 }),
    fc.constantFrom(
      'x_custom',
      'payload_bin',
      'mime_hex',
      'ab',
      'id',
      'Id',
      'severity',
      'action',
      'labels',
      'external_references',
      'granular_markings',
      'extensions',
      'hashes',
      'kill_chain_phases',
    ),
  );

  it('agree with the vendored schemas on randomly damaged objects', () => {
    let valid = 0;
    let invalid = 0;
    fc.assert(
      fc.property(
        fc.nat(corpus.length - 1),
        fc.array(fc.tuple(fc.constantFrom('set', 'delete', 'nest'), key, json), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.nat(),
        (at, edits, pick) => {
          const o = structuredClone(corpus[at]) as Json;
          for (const [op, k, v] of edits) {
            const keys = Object.keys(o);
            const existing = keys[pick % Math.max(1, keys.length)] ?? k;
            if (op === 'set') o[k] = v;
            else if (op === 'delete') Reflect.deleteProperty(o, existing);
            else {
              // Damage one level down, where the nested schemas (external references, hashes,
              // extensions, kill chain phases) apply.
              const inner = o[existing];
              const first: unknown = Array.isArray(inner) ? inner[0] : inner;
              if (first !== null && typeof first === 'object' && !Array.isArray(first))
                (first as Json)[k] = v;
              else if (Array.isArray(inner) && inner.length > 0) inner[0] = v;
              else o[existing] = v;
            }
          }
          if (agree(o)) valid++;
          else invalid++;
        },
      ),
      { numRuns: 3000 },
    );
    // Both verdicts occur, or the comparison would be vacuous.
    expect(valid).toBeGreaterThan(50);
    expect(invalid).toBeGreaterThan(50);
  });
});

describe('checkIdFast', () => {
  const uuid = fc.uuid();
  const type = fc.constantFrom(
    'indicator',
    'x-mitre-tactic',
    'ipv4-addr',
    'a1',
    'ab-',
    'A',
    'ab',
    'a--b',
    `a${'b'.repeat(248)}c`,
    `a${'b'.repeat(249)}c`,
  );
  const mutate = fc.tuple(
    fc.nat(60),
    fc.constantFrom('A', 'F', 'g', '-', '\u200b', '\u0430', ' ', '0', '8', 'c', '', '--'),
  );
  const ids = fc.oneof(
    fc.tuple(type, uuid).map(([t, u]) => `${t}--${u}`),
    fc.tuple(type, uuid, mutate).map(([t, u, [i, c]]) => {
      const s = `${t}--${u}`;
      return s.slice(0, i) + c + s.slice(i + 1);
    }),
    fc.string({ maxLength: 50 }),
  );
  it('answers exactly what checkId answers', () => {
    let ok = 0;
    let bad = 0;
    fc.assert(
      fc.property(ids, fc.option(type, { nil: undefined }), (id, expected) => {
        const fast = checkIdFast(id, expected);
        const ref = checkId(id, expected);
        expect(fast).toEqual(ref);
        expect(idProblemFast(id, expected)).toBe(ref.ok ? undefined : ref.problem);
        if (fast.ok) ok++;
        else bad++;
      }),
      { numRuns: 5000 },
    );
    expect(ok).toBeGreaterThan(100);
    expect(bad).toBeGreaterThan(100);
  });
  it('answers non-strings as checkId does', () => {
    for (const v of [undefined, null, 1, {}, ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f']]) {
      expect(checkIdFast(v)).toEqual(checkId(v));
      expect(idProblemFast(v)).toBe((checkId(v) as { problem: unknown }).problem);
    }
  });
});
