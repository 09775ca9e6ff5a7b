/**
 * `duplicate-object` warnings against the rule as first written: an object whose
 * `<id>|<modified ?? created ?? ''>` text appeared earlier in the bundle. Validation keeps
 * versions by id when no id contains `|` (validate.ts `versionRecorder`); random bundles with
 * and without such ids, repeated ids and versions, and versions that contain `|`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateStixBundle } from '../../src/intel/index.js';

function referenceDuplicates(objects: readonly unknown[]): string[] {
  const seen = new Set<string>();
  const paths: string[] = [];
  objects.forEach((o, i) => {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return;
    const r = o as Record<string, unknown>;
    if (typeof r.id !== 'string') return;
    const key = `${r.id}|${String(r.modified ?? r.created ?? '')}`;
    if (seen.has(key)) paths.push(`/objects/${i}/id`);
    seen.add(key);
  });
  return paths;
}

describe('duplicate object versions', () => {
  const id = fc.constantFrom(
    'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    'indicator--1e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    'a',
    'a|b',
    'a|b|c',
    '',
  );
  const version = fc.constantFrom(
    undefined,
    '2029-11-01T00:00:00.000Z',
    '2029-11-02T00:00:00.000Z',
    'b|c',
    'c',
    '',
    7,
  );
  const object = fc.oneof(
    fc.record(
      {
        type: fc.constant('indicator'),
        id,
        created: version,
        modified: version,
      },
      { requiredKeys: ['type', 'id'] },
    ),
    fc.constantFrom(null, 1, { type: 'indicator' }),
  );
  it('warns exactly where the `<id>|<version>` text repeats', () => {
    let warned = 0;
    fc.assert(
      fc.property(fc.array(object, { maxLength: 8 }), (objects) => {
        const bundle = {
          type: 'bundle',
          id: 'bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
          objects,
        };
        const got = validateStixBundle(bundle)
          .issues.filter((i) => i.code === 'duplicate-object')
          .map((i) => i.path);
        const expected = referenceDuplicates(objects);
        expect(got).toEqual(expected);
        warned += expected.length;
      }),
      { numRuns: 1500 },
    );
    expect(warned).toBeGreaterThan(50);
  });

  it('keeps the text rule where an id contains `|`', () => {
    const objects = [
      { type: 'indicator', id: 'a|b', modified: 'c' },
      { type: 'indicator', id: 'a', modified: 'b|c' },
    ];
    const bundle = { type: 'bundle', id: 'bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', objects };
    const got = validateStixBundle(bundle).issues.filter((i) => i.code === 'duplicate-object');
    expect(got.map((i) => i.path)).toEqual(['/objects/1/id']);
  });
});
