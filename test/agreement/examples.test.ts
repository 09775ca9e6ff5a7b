import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NO_MINIMISATION } from '../../src/agreement/minimisation.js';
import { parseAgreement } from '../../src/agreement/parse.js';
import { parseDuration } from '../../src/core/index.js';

const dir = new URL('../../examples/agreements/', import.meta.url);
const read = (f: string): string => readFileSync(new URL(f, dir), 'utf8');
const INVALID_BY_DESIGN = new Set(['caldera-extension-collision.yaml']);

describe('examples/agreements', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

  it.each(files.filter((f) => !INVALID_BY_DESIGN.has(f)))('%s is a valid agreement', (f) => {
    const result = parseAgreement(read(f), { sourceName: f });
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('every example points editors at the published schema', () => {
    for (const f of files)
      expect(read(f).split('\n')[0]).toBe(
        '# yaml-language-server: $schema=../../docs/agreement.schema.json',
      );
  });

  it('caldera-extension-collision.yaml fails, naming the rule, the agency and the constraint', () => {
    const result = parseAgreement(read('caldera-extension-collision.yaml'));
    expect(result.ok).toBe(false);
    const errors = result.issues.filter((i) => i.severity === 'error');
    expect(errors.map((i) => i.code)).toEqual(['rule-contradicts-constraint']);
    const [e] = errors;
    expect(e!.path).toBe('extensions.account-takeover-pilot.tiers.ato-desk.release[0]');
    expect(e!.message).toContain('`ato-compromised-accounts`');
    expect(e!.message).toContain('`CAL-CSIRT`');
    expect(e!.message).toContain('`cal-no-personal-inbound`');
    expect(e!.message).toMatch(/`parties\[1\]\.constraints\[0\]`, line \d+:\d+/);
  });
});

describe('northsea-compact.yaml normalised', () => {
  const result = parseAgreement(read('northsea-compact.yaml'));
  if (!result.ok) throw new Error('northsea-compact.yaml must be valid');
  const a = result.agreement;

  it('keeps the header and parses the effective period to epoch ms', () => {
    expect([a.concordat, a.id, a.version]).toEqual([1, 'northsea-cti-compact', 3]);
    expect(a.effective).toEqual({ from: Date.UTC(2026, 0, 1), until: Date.UTC(2028, 0, 1) });
  });

  it('fills constraint defaults and keeps each action', () => {
    const [arv] = a.parties;
    expect(arv!.constraints.map((c) => [c.id, c.kind, c.scope])).toEqual([
      ['arv-no-special-category', 'forbid', 'both'],
      ['arv-attribution-needs-certification', 'require-certification', 'outgoing'],
      ['arv-personal-data-30-days', 'max-retention', 'outgoing'],
    ]);
    expect(arv!.constraints[0]!.when).toEqual({ personalData: ['special-category'] });
    expect(arv!.constraints[0]!.ref.source).toEqual({
      path: 'parties[0].constraints[0]',
      line: 18,
      column: 9,
    });
  });

  it('orders tiers core first, then each extension, and marks extension tiers', () => {
    expect(a.tiers.map((t) => [t.id, t.extension])).toEqual([
      ['operational', undefined],
      ['strategic', undefined],
      ['attribution-cell', 'arv-bor-attribution'],
      ['fraud-desk', 'bor-cal-fraud'],
    ]);
    expect(a.extensions.map((e) => e.tiers)).toEqual([['attribution-cell'], ['fraud-desk']]);
  });

  it('fills rule defaults: levels as indices, personal data none, handling from the core', () => {
    const op = a.tiers[0]!;
    const [indicators, incidents, personal] = op.rules;
    expect(indicators!.fromLevel).toBe(0);
    expect(indicators!.untilLevel).toBe(3);
    expect(indicators!.personalData).toEqual(['none']);
    expect(indicators!.minimise).toEqual(NO_MINIMISATION);
    expect(indicators!.handling).toEqual({ pap: 'amber', onwardSharing: 'same-party' });
    expect(incidents!.fromLevel).toBe(1);
    expect(incidents!.minimise.timePrecisionMs).toBe(3_600_000);
    expect(personal!.fromLevel).toBe(2);
    expect(personal!.minConfidence).toBe(70);
    expect(personal!.handling).toEqual({ pap: 'red', onwardSharing: 'none' });
    expect(personal!.retention).toEqual(parseDuration('P14D'));
  });

  it('normalises the core and the extensions', () => {
    expect(a.core.maxRetention).toEqual(parseDuration('P180D'));
    expect(a.core.minimise).toEqual({
      drop: [],
      pseudonymise: ['email-addr.value'],
      ipv4Prefix: 24,
      ipv6Prefix: 48,
      timePrecisionMs: 0,
      stripSourceRefs: true,
    });
    expect(a.core.neverRelease.map((n) => n.id)).toEqual([
      'core-no-red',
      'core-no-special-category',
    ]);
    const [arvBor, borCal] = a.extensions;
    expect(arvBor!.maxRetention).toEqual(parseDuration('P90D'));
    expect(arvBor!.minimise.ipv4Prefix).toBe(16);
    expect(borCal!.handling).toEqual({ pap: 'red', onwardSharing: 'same-party' });
  });

  it('normalises triggers, waivers, sanctions and disputes', () => {
    const [risk, wave] = a.triggers;
    expect(risk!.raiseTo).toBe(2);
    expect(risk!.approval).toEqual({
      automatic: false,
      quorum: 2,
      roles: ['approver'],
      distinctParties: true,
    });
    expect(risk!.lowerWhen?.holdFor).toEqual(parseDuration('P3D'));
    expect(wave!.approval).toMatchObject({ automatic: true, quorum: 0 });
    expect(wave!.when.incidents).toEqual({
      rsit: ['intrusions'],
      tlp: ['amber', 'green'],
      atLeast: 25,
      window: parseDuration('PT24H'),
    });
    expect(a.waivers?.maxDuration).toEqual(parseDuration('PT72H'));
    expect(a.sanctions[1]).toMatchObject({ action: 'downgrade-tier', toTier: 'strategic' });
    expect(a.disputes?.stages.map((s) => s.stage)).toEqual([
      'consultation',
      'mediation',
      'arbitration',
    ]);
    expect(a.purposes.map((p) => p.id)).toEqual([
      'incident-response',
      'threat-detection',
      'attribution',
    ]);
  });

  it('gives every rule, tier and clause a ref with a real location', () => {
    for (const t of a.tiers) for (const r of t.rules) expect(r.ref.source!.line).toBeGreaterThan(1);
    expect(a.tiers[2]!.rules[0]!.ref).toEqual({
      kind: 'rule',
      id: 'attr-actors',
      source: {
        path: 'extensions.arv-bor-attribution.tiers.attribution-cell.release[0]',
        line: expect.any(Number) as number,
        column: 13,
      },
    });
  });
});

describe('arvenia-borealia-bilateral.yaml', () => {
  it('dates mean midnight UTC and list-form purposes get empty descriptions', () => {
    const result = parseAgreement(read('arvenia-borealia-bilateral.yaml'));
    if (!result.ok) throw new Error('must be valid');
    expect(result.agreement.effective.from).toBe(Date.UTC(2026, 2, 1));
    expect(result.agreement.purposes[2]).toMatchObject({
      id: 'criminal-investigation',
      description: '',
    });
    expect(result.agreement.tiers[1]!.requiresCertifications).toEqual(['arv-le-accreditation']);
    expect(result.agreement.agencies[1]!.certifications[0]!.expires).toBe(Date.UTC(2027, 5, 30));
  });
});
