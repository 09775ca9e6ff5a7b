import { describe, expect, it } from 'vitest';
import {
  admiraltyAtLeast,
  admiraltyToConfidence,
  compareAdmiralty,
  confidenceToAdmiralty,
  objectMeta,
  personalDataOf,
  rsitOf,
  TLP2_MARKING_IDS,
  tlpMarkingDefinition,
  tlpMarkingRef,
  tlpOf,
} from '../../src/intel/index.js';
import { TLP_LABELS } from '../../src/agreement/index.js';
import { EMAIL, INDICATOR, IDENTITY, readShared, type Json } from './fixtures.js';

describe('TLP 2.0 markings', () => {
  it.each(TLP_LABELS.map((t) => [t]))('embeds the OASIS definition of %s byte for byte', (t) => {
    const shared = readShared(`tlp2-marking-definitions/tlp-${t}.json`) as { objects: Json[] };
    expect(tlpMarkingDefinition(t)).toEqual(shared.objects[0]);
    expect(tlpMarkingRef(t)).toBe(shared.objects[0]!.id);
  });
  it('reads the TLP of an object; the most restrictive of several wins', () => {
    expect(tlpOf(INDICATOR)).toBe('amber');
    expect(
      tlpOf({
        object_marking_refs: [TLP2_MARKING_IDS.green, TLP2_MARKING_IDS.red, TLP2_MARKING_IDS.clear],
      }),
    ).toBe('red');
    expect(
      tlpOf({ object_marking_refs: [TLP2_MARKING_IDS['amber+strict'], TLP2_MARKING_IDS.amber] }),
    ).toBe('amber+strict');
    expect(tlpOf(IDENTITY)).toBeUndefined();
  });
  it('maps TLP 1.0 ids: white → clear, amber → amber', () => {
    expect(
      tlpOf({ object_marking_refs: ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9'] }),
    ).toBe('clear');
    expect(
      tlpOf({ object_marking_refs: ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82'] }),
    ).toBe('amber');
  });
  it('resolves non-standard markings through the bundle, ignores statements', () => {
    const custom = {
      type: 'marking-definition',
      id: 'marking-definition--0e3d1c50-4d1f-4b88-9d39-6c5e0c5bda01',
      extensions: {
        'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': {
          extension_type: 'property-extension',
          tlp_2_0: 'red',
        },
      },
    };
    const statement = {
      type: 'marking-definition',
      id: 'marking-definition--1e3d1c50-4d1f-4b88-9d39-6c5e0c5bda01',
      definition_type: 'statement',
      definition: { statement: 'x' },
    };
    const o = { object_marking_refs: [custom.id, statement.id] };
    expect(tlpOf(o)).toBeUndefined();
    expect(tlpOf(o, [custom, statement])).toBe('red');
  });
});

describe('Admiralty ⇄ confidence', () => {
  const grades = 'ABCDEF'.split('').flatMap((r) => '12345'.split('').map((c) => `${r}${c}`));
  it('uses STIX 2.1 Appendix A for the credibility digit of an A grade', () => {
    expect(['A1', 'A2', 'A3', 'A4', 'A5'].map(admiraltyToConfidence)).toEqual([90, 70, 50, 30, 10]);
    expect(admiraltyToConfidence('B2')).toBe(68);
    expect(admiraltyToConfidence('F5')).toBe(0);
    expect(admiraltyToConfidence('B6')).toBeUndefined();
    expect(admiraltyToConfidence('G1')).toBeUndefined();
  });
  it.each(grades)('%s round-trips and stays in its Appendix A band', (g) => {
    const c = admiraltyToConfidence(g)!;
    expect(confidenceToAdmiralty(c)).toBe(g);
    const band = c >= 80 ? '1' : String(5 - Math.floor(c / 20));
    expect(g[1]).toBe(band);
  });
  it('maps every confidence to a grade whose credibility follows Appendix A', () => {
    for (let n = 0; n <= 100; n += 1) {
      const g = confidenceToAdmiralty(n)!;
      expect(g).toMatch(/^[A-F][1-5]$/);
      expect(Number(g[1])).toBe(n >= 80 ? 1 : n >= 60 ? 2 : n >= 40 ? 3 : n >= 20 ? 4 : 5);
    }
    expect(confidenceToAdmiralty(101)).toBeUndefined();
    expect(confidenceToAdmiralty(50.5)).toBeUndefined();
  });
  it('orders grades and checks thresholds in both dimensions', () => {
    expect(['C3', 'A2', 'F6', 'A1', 'B2'].sort(compareAdmiralty)).toEqual([
      'A1',
      'A2',
      'B2',
      'C3',
      'F6',
    ]);
    expect(admiraltyAtLeast('A2', 'B2')).toBe(true);
    expect(admiraltyAtLeast('B1', 'B2')).toBe(true);
    expect(admiraltyAtLeast('C1', 'B2')).toBe(false);
    expect(admiraltyAtLeast('A3', 'B2')).toBe(false);
    expect(admiraltyAtLeast('F6', 'F6')).toBe(true);
    expect(admiraltyAtLeast('zz', 'F6')).toBe(false);
    expect(() => compareAdmiralty('A7', 'A1')).toThrow(RangeError);
  });
});

describe('classification and objectMeta', () => {
  it('reads RSIT from MISP machine tags in labels', () => {
    expect(rsitOf(INDICATOR)).toBe('malicious-code');
    expect(
      rsitOf({ labels: ['tlp:amber', 'rsit:intrusions="privileged-account-compromise"'] }),
    ).toBe('intrusions');
    expect(rsitOf({ labels: ['rsit:not-a-class'] })).toBeUndefined();
  });
  it('derives personal data from sensitive properties; the label only raises', () => {
    expect(personalDataOf(EMAIL)).toBe('personal');
    expect(personalDataOf(IDENTITY)).toBe('none');
    expect(
      personalDataOf({ ...IDENTITY, labels: ['concordat:personal-data="special-category"'] }),
    ).toBe('special-category');
    expect(personalDataOf({ ...EMAIL, labels: ['concordat:personal-data="none"'] })).toBe(
      'personal',
    );
    expect(
      personalDataOf({
        ...EMAIL,
        display_name: undefined,
        value: '0123456789abcdef0123456789abcdef@pseudonym.invalid',
      }),
    ).toBe('pseudonymous');
    expect(personalDataOf({ type: 'indicator', pattern: "[email-addr:value = 'a@b.c']" })).toBe(
      'personal',
    );
  });
  it('does not treat IP addresses alone as personal data (coarsened by minimisation instead)', () => {
    expect(personalDataOf({ type: 'ipv4-addr', value: '198.51.100.23' })).toBe('none');
    expect(personalDataOf({ type: 'ipv6-addr', value: '2001:db8::1' })).toBe('none');
    expect(personalDataOf(INDICATOR)).toBe('none'); // its pattern compares IPv4 and IPv6 values
    expect(
      personalDataOf({
        type: 'indicator',
        pattern: "[ipv4-addr:value = '198.51.100.23'] AND [email-addr:value = 'a@b.c']",
      }),
    ).toBe('personal');
    // An agreement or producer that treats an address as personal labels it so.
    expect(
      personalDataOf({
        type: 'ipv4-addr',
        value: '198.51.100.23',
        labels: ['concordat:personal-data="personal"'],
      }),
    ).toBe('personal');
  });
  it('builds ObjectMeta; unmarked objects default to amber', () => {
    expect(objectMeta(INDICATOR, 'ARV')).toEqual({
      type: 'indicator',
      tlp: 'amber',
      personalData: 'none',
      producer: 'ARV',
      rsit: 'malicious-code',
      confidence: 70,
    });
    expect(objectMeta(IDENTITY, 'BOR')).toEqual({
      type: 'identity',
      tlp: 'amber',
      personalData: 'none',
      producer: 'BOR',
    });
    expect(objectMeta(IDENTITY, 'BOR', { defaultTlp: 'red' }).tlp).toBe('red');
  });
});
