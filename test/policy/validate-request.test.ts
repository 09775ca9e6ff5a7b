import { describe, expect, it } from 'vitest';
import { PERSONAL_DATA_CATEGORIES, RSIT_CLASSES, TLP_LABELS } from '../../src/agreement/index.js';
import { isConcordatError } from '../../src/core/index.js';
import { validateDecisionRequest } from '../../src/policy/index.js';
import { pdBit, rsitBit, tlpBit } from '../../src/policy/compile-match.js';

const valid = {
  agency: 'BOR-CERT',
  purpose: 'incident-response',
  object: { type: 'indicator', tlp: 'amber', personalData: 'none', producer: 'ARV' },
  at: 1_772_366_400_000,
};

function fieldOf(value: unknown): string | undefined {
  try {
    validateDecisionRequest(value);
  } catch (e) {
    if (isConcordatError(e, 'ERR_REQUEST_INVALID')) {
      expect(e.message).toContain('`');
      return (e.details as { field: string }).field;
    }
    throw e;
  }
  return undefined;
}

describe('validateDecisionRequest', () => {
  it('accepts a valid request and returns it typed', () => {
    expect(validateDecisionRequest(valid)).toStrictEqual(valid);
    const full = { ...valid, object: { ...valid.object, rsit: 'fraud', confidence: 80 } };
    expect(validateDecisionRequest(full)).toStrictEqual(full);
  });

  it('accepts an RFC 3339 instant and returns epoch milliseconds', () => {
    expect(validateDecisionRequest({ ...valid, at: '2026-03-01T12:00:00Z' }).at).toBe(
      Date.UTC(2026, 2, 1, 12),
    );
  });

  it.each([
    ['a non-object', 'nope', '(request)'],
    ['an array', [], '(request)'],
    ['an unknown top-level field', { ...valid, tier: 'x' }, 'tier'],
    [
      'an unknown object field',
      { ...valid, object: { ...valid.object, colour: 'x' } },
      'object.colour',
    ],
    ['a missing agency', { ...valid, agency: undefined }, 'agency'],
    ['a numeric purpose', { ...valid, purpose: 3 }, 'purpose'],
    ['a missing object', { agency: 'a', purpose: 'p', at: 0 }, 'object'],
    ['an object that is a string', { ...valid, object: 'indicator' }, 'object'],
    ['an empty type', { ...valid, object: { ...valid.object, type: '' } }, 'object.type'],
    ['an unknown tlp', { ...valid, object: { ...valid.object, tlp: 'white' } }, 'object.tlp'],
    [
      'an unknown personal-data category',
      { ...valid, object: { ...valid.object, personalData: 'yes' } },
      'object.personalData',
    ],
    [
      'an unknown rsit class',
      { ...valid, object: { ...valid.object, rsit: 'spam' } },
      'object.rsit',
    ],
    [
      'a fractional confidence',
      { ...valid, object: { ...valid.object, confidence: 50.5 } },
      'object.confidence',
    ],
    [
      'a confidence over 100',
      { ...valid, object: { ...valid.object, confidence: 101 } },
      'object.confidence',
    ],
    [
      'a missing producer',
      { ...valid, object: { ...valid.object, producer: undefined } },
      'object.producer',
    ],
    ['a missing instant', { ...valid, at: undefined }, 'at'],
    ['a non-finite instant', { ...valid, at: Number.NaN }, 'at'],
    ['a malformed timestamp', { ...valid, at: '2026-13-01' }, 'at'],
  ])('rejects %s, naming the field', (_label, value, field) => {
    expect(fieldOf(value)).toBe(field);
  });
});

describe('hot-path vocabulary bits', () => {
  it('match the model’s label lists', () => {
    TLP_LABELS.forEach((t, i) => expect(tlpBit(t)).toBe(1 << i));
    PERSONAL_DATA_CATEGORIES.forEach((p, i) => expect(pdBit(p)).toBe(1 << i));
    RSIT_CLASSES.forEach((r, i) => expect(rsitBit(r)).toBe(1 << i));
    expect(new Set([tlpBit('x'), pdBit('x'), rsitBit('x'), rsitBit(undefined)]).size).toBe(4);
    expect(tlpBit('x') & 0b11111).toBe(0);
    expect(rsitBit(undefined) & rsitBit('x')).toBe(0);
  });
});
