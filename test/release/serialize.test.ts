/**
 * The spliced JSON of a released object is the JSON of `stampHandling(minimised, stamp)` —
 * whatever `extensions` the object already had — and the view's hash is the canonical hash
 * the ledger always recorded.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CONCORDAT_HANDLING_EXTENSION_ID,
  canonicalStixJson,
  stampHandling,
} from '../../src/intel/index.js';
import type { HandlingStamp } from '../../src/intel/index.js';
import {
  jsonReleasedObject,
  prepareView,
  releasedJson,
  stampJson,
} from '../../src/release/serialize.js';

const STAMP: HandlingStamp = {
  agreementId: 'northsea',
  agreementVersion: 3,
  purpose: 'incident-response',
  tier: 'operational',
  level: 'baseline',
  retainUntil: '2026-04-01T00:00:00.000Z',
  pap: 'amber',
  onwardSharing: 'same-party',
  ledgerEntry: '42',
};

const BASE = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--00000000-0000-4000-8000-000000000001',
  created: '2026-02-01T00:00:00.000Z',
  modified: '2026-02-01T00:00:00.000Z',
  name: 'quote " backslash \\ newline \n unicode é 𝄞 \u2028',
  pattern: "[domain-name:value = 'x.example']",
  pattern_type: 'stix',
  valid_from: '2026-02-01T00:00:00Z',
};

const CASES: Record<string, Record<string, unknown>> = {
  'no extensions': BASE,
  'other extensions': {
    ...BASE,
    extensions: { 'extension-definition--11111111-1111-4111-8111-111111111111': { a: 1 } },
  },
  'an earlier handling stamp': {
    ...BASE,
    extensions: {
      [CONCORDAT_HANDLING_EXTENSION_ID]: { extension_type: 'property-extension', tier: 'old' },
      'extension-definition--11111111-1111-4111-8111-111111111111': { a: [1, 2] },
    },
  },
  'only an earlier handling stamp': {
    ...BASE,
    extensions: { [CONCORDAT_HANDLING_EXTENSION_ID]: { tier: 'old' } },
  },
  'empty extensions': { ...BASE, extensions: {} },
  'extensions that are not an object': { ...BASE, extensions: 'ab' },
  'null extensions': { ...BASE, extensions: null },
};

describe('released JSON', () => {
  for (const [name, object] of Object.entries(CASES))
    it(`equals stampHandling: ${name}`, () => {
      const view = prepareView(object);
      const json = releasedJson(view, stampJson(STAMP));
      expect(JSON.parse(json)).toEqual(stampHandling(object, STAMP));
      expect(view.id).toBe(BASE.id);
      expect(view.sha256).toBe(
        createHash('sha256').update(canonicalStixJson(object), 'utf8').digest('hex'),
      );
    });

  it('refuses a stamp whose deadline is not an rfc 3339 utc timestamp', () => {
    expect(() => stampJson({ ...STAMP, retainUntil: 'tomorrow' })).toThrow(RangeError);
    expect(() => stampHandling(BASE, { ...STAMP, retainUntil: 'tomorrow' })).toThrow(RangeError);
  });

  it('a released object parses its JSON once, on first use, as an enumerable property', () => {
    const json = releasedJson(prepareView(BASE), stampJson(STAMP));
    const r = jsonReleasedObject({
      id: BASE.id,
      version: BASE.modified,
      specVersion: '2.1',
      dateAddedUs: 1,
      json,
      ledgerEntry: 42,
    });
    expect(r.object).toBe(r.object);
    expect(r.object).toEqual(JSON.parse(json));
    expect(Object.keys(r)).toContain('object');
    expect(r).toMatchObject({ id: BASE.id, object: { name: BASE.name } });
  });
});

describe('the version a release entry names', () => {
  it('is the minimised object’s own: modified, else created, else none (the stored version)', () => {
    const base = { type: 'incident', spec_version: '2.1', id: 'incident--1', name: 'x' };
    // Coarsened to the hour by minimisation: the receiver stores (and receipts) this version.
    expect(
      prepareView({
        ...base,
        created: '2026-03-02T11:00:00.000Z',
        modified: '2026-03-02T11:00:00.000Z',
      }).version,
    ).toBe('2026-03-02T11:00:00.000Z');
    expect(prepareView({ ...base, created: '2026-03-01T00:00:00.000Z' }).version).toBe(
      '2026-03-01T00:00:00.000Z',
    );
    expect(
      'version' in prepareView({ type: 'ipv4-addr', id: 'ipv4-addr--1', value: '10.0.0.0/24' }),
    ).toBe(false);
  });
});
