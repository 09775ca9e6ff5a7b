import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDuration, type Duration } from '../../src/core/index.js';
import {
  diffAgreements,
  formatDiff,
  parseAgreement,
  PAP_LEVELS,
  TLP_LABELS,
  type Agreement,
  type DiffChange,
  type DiffEffect,
  type ReleaseRule,
  type Tier,
  type Tlp,
} from '../../src/agreement/index.js';

const NORTHSEA = readFileSync(
  new URL('../../examples/agreements/northsea-compact.yaml', import.meta.url),
  'utf8',
);
const BILATERAL = readFileSync(
  new URL('../../examples/agreements/arvenia-borealia-bilateral.yaml', import.meta.url),
  'utf8',
);

function parse(text: string): Agreement {
  const result = parseAgreement(text);
  if (!result.ok) throw new Error(JSON.stringify(result.issues.slice(0, 3)));
  return result.agreement;
}

const base = parse(NORTHSEA);

function d(text: string): Duration {
  const parsed = parseDuration(text);
  if (parsed === undefined) throw new Error(text);
  return parsed;
}

function withTier(a: Agreement, tierId: string, patch: (t: Tier) => Tier): Agreement {
  expect(a.tiers.some((t) => t.id === tierId)).toBe(true);
  return { ...a, tiers: a.tiers.map((t) => (t.id === tierId ? patch(t) : t)) };
}

function withRule(
  a: Agreement,
  tierId: string,
  ruleId: string,
  patch: Partial<ReleaseRule>,
): Agreement {
  return withTier(a, tierId, (t) => {
    expect(t.rules.some((r) => r.id === ruleId)).toBe(true);
    return { ...t, rules: t.rules.map((r) => (r.id === ruleId ? { ...r, ...patch } : r)) };
  });
}

/** The one change at `path`, asserting there is exactly one change overall. */
function only(before: Agreement, after: Agreement): DiffChange {
  const { changes } = diffAgreements(before, after);
  expect(changes, JSON.stringify(changes, null, 1)).toHaveLength(1);
  return changes[0]!;
}

function effects(before: Agreement, after: Agreement): Record<string, DiffEffect> {
  return Object.fromEntries(diffAgreements(before, after).changes.map((c) => [c.path, c.effect]));
}

describe('diffAgreements: release rules', () => {
  const R = 'tiers.operational.rules.op-indicators';

  it('adding a tlp label widens, removing one narrows', () => {
    const red = withRule(base, 'operational', 'op-indicators', {
      tlp: ['clear', 'green', 'amber', 'red'],
    });
    expect(only(base, red)).toMatchObject({
      path: `${R}.tlp`,
      kind: 'changed',
      effect: 'widens',
      before: ['amber', 'clear', 'green'],
      after: ['amber', 'clear', 'green', 'red'],
    });
    const fewer = withRule(base, 'operational', 'op-indicators', { tlp: ['clear'] });
    expect(only(base, fewer).effect).toBe('narrows');
    const swapped = withRule(base, 'operational', 'op-indicators', {
      tlp: ['clear', 'green', 'amber+strict'],
    });
    expect(only(base, swapped).effect).toBe('mixed');
  });

  it('types, purposes and personal data: more widens', () => {
    expect(
      only(base, withRule(base, 'operational', 'op-indicators', { types: ['indicator'] })),
    ).toMatchObject({
      path: `${R}.types`,
      effect: 'narrows',
    });
    expect(
      only(
        base,
        withRule(base, 'operational', 'op-indicators', {
          purposes: ['incident-response', 'threat-detection', 'attribution'],
        }),
      ),
    ).toMatchObject({ path: `${R}.purposes`, effect: 'widens' });
    expect(
      only(
        base,
        withRule(base, 'operational', 'op-indicators', { personalData: ['none', 'pseudonymous'] }),
      ),
    ).toMatchObject({ path: `${R}.personal_data`, effect: 'widens' });
  });

  it('rsit: limiting an unlimited rule narrows, lifting the limit widens', () => {
    const limited = withRule(base, 'operational', 'op-indicators', { rsit: ['malicious-code'] });
    expect(only(base, limited)).toMatchObject({
      path: `${R}.rsit`,
      effect: 'narrows',
      before: 'any',
    });
    expect(only(limited, base)).toMatchObject({
      path: `${R}.rsit`,
      effect: 'widens',
      after: 'any',
    });
  });

  it('min_confidence: adding or raising narrows, lowering widens', () => {
    const P = 'tiers.operational.rules.op-personal-severe.min_confidence';
    const rule = base.tiers[0]!.rules.find((r) => r.id === 'op-personal-severe')!;
    expect(rule.minConfidence).toBe(70);
    expect(
      only(base, withRule(base, 'operational', 'op-personal-severe', { minConfidence: 50 })),
    ).toMatchObject({
      path: P,
      effect: 'widens',
      before: 70,
      after: 50,
    });
    expect(
      only(base, withRule(base, 'operational', 'op-personal-severe', { minConfidence: 90 })).effect,
    ).toBe('narrows');
    expect(
      only(base, withRule(base, 'operational', 'op-indicators', { minConfidence: 0 })),
    ).toMatchObject({
      kind: 'added',
      effect: 'narrows',
    });
  });

  it('raising from_level narrows, raising until_level widens; levels shown by id', () => {
    expect(
      only(base, withRule(base, 'operational', 'op-incidents-elevated', { fromLevel: 2 })),
    ).toMatchObject({
      path: 'tiers.operational.rules.op-incidents-elevated.from_level',
      effect: 'narrows',
      before: 'elevated',
      after: 'severe',
    });
    expect(
      only(base, withRule(base, 'operational', 'op-incidents-elevated', { fromLevel: 0 })).effect,
    ).toBe('widens');
    expect(
      only(base, withRule(base, 'operational', 'op-indicators', { untilLevel: 1 })),
    ).toMatchObject({
      path: `${R}.until_level`,
      effect: 'narrows',
    });
  });

  it('longer retention widens; the same length written differently is neutral', () => {
    expect(
      only(base, withRule(base, 'operational', 'op-indicators', { retention: d('P120D') })),
    ).toMatchObject({
      path: `${R}.retention`,
      effect: 'widens',
      before: 'P90D',
      after: 'P120D',
    });
    expect(
      only(base, withRule(base, 'operational', 'op-indicators', { retention: d('P30D') })).effect,
    ).toBe('narrows');
    const weeks = withRule(base, 'operational', 'op-personal-severe', { retention: d('P2W') });
    expect(only(base, weeks).effect).toBe('neutral');
    // A month is 28–31 days: against 30 days neither is surely longer.
    const month = withRule(base, 'operational', 'op-incidents-elevated', { retention: d('P1M') });
    expect(only(base, month).effect).toBe('mixed');
  });

  it('coarser minimisation narrows; moving a field from pseudonymised to dropped narrows', () => {
    const rule = base.tiers[0]!.rules[0]!;
    const coarse = withRule(base, 'operational', 'op-indicators', {
      minimise: { ...rule.minimise, ipv4Prefix: 16 },
    });
    expect(only(base, coarse)).toMatchObject({
      path: `${R}.minimise.ipv4_prefix`,
      effect: 'narrows',
    });
    const hour = withRule(base, 'operational', 'op-indicators', {
      minimise: { ...rule.minimise, timePrecisionMs: 3_600_000 },
    });
    expect(only(base, hour)).toMatchObject({
      path: `${R}.minimise.coarsen_timestamps`,
      effect: 'narrows',
      after: 'PT1H',
    });
    const pseud = withRule(base, 'operational', 'op-indicators', {
      minimise: { ...rule.minimise, pseudonymise: ['user-account.user_id'] },
    });
    const dropped = withRule(base, 'operational', 'op-indicators', {
      minimise: { ...rule.minimise, drop: ['user-account.user_id'], pseudonymise: [] },
    });
    expect(effects(pseud, dropped)).toEqual({
      [`${R}.minimise.drop`]: 'narrows',
      [`${R}.minimise.pseudonymise`]: 'narrows',
    });
    expect(effects(dropped, base)).toEqual({ [`${R}.minimise.drop`]: 'widens' });
    const strip = withRule(base, 'operational', 'op-indicators', {
      minimise: { ...rule.minimise, stripSourceRefs: true },
    });
    expect(only(base, strip).effect).toBe('narrows');
  });

  it('a stricter PAP narrows, wider onward sharing widens', () => {
    const rule = base.tiers[0]!.rules[0]!;
    expect(
      only(
        base,
        withRule(base, 'operational', 'op-indicators', {
          handling: { ...rule.handling, pap: 'red' },
        }),
      ),
    ).toMatchObject({ path: `${R}.handling.pap`, effect: 'narrows', after: 'red' });
    expect(rule.handling.onwardSharing).toBe('same-party');
    const wider = withRule(base, 'operational', 'op-indicators', {
      handling: { ...rule.handling, onwardSharing: 'agreement-parties' },
    });
    expect(only(base, wider)).toMatchObject({
      path: `${R}.handling.onward_sharing`,
      effect: 'widens',
    });
    const none = withRule(base, 'operational', 'op-indicators', {
      handling: { ...rule.handling, onwardSharing: 'none' },
    });
    expect(only(base, none).effect).toBe('narrows');
  });

  it('rules are matched by id: reordering is no change, adding widens, removing narrows', () => {
    const reordered = withTier(base, 'operational', (t) => ({
      ...t,
      rules: [...t.rules].reverse(),
    }));
    expect(diffAgreements(base, reordered).changes).toEqual([]);
    const newRule: ReleaseRule = { ...base.tiers[0]!.rules[0]!, id: 'op-new' };
    const added = withTier(base, 'operational', (t) => ({ ...t, rules: [...t.rules, newRule] }));
    expect(only(base, added)).toMatchObject({
      path: 'tiers.operational.rules.op-new',
      kind: 'added',
      effect: 'widens',
    });
    expect(only(added, base)).toMatchObject({ kind: 'removed', effect: 'narrows' });
  });
});

describe('diffAgreements: tiers, core, constraints, extensions', () => {
  it('adding an agency to a tier widens; requiring a certification narrows', () => {
    const more = withTier(base, 'strategic', (t) => ({
      ...t,
      agencies: [...t.agencies, 'CAL-CSIRT'],
    }));
    expect(only(base, more)).toMatchObject({
      path: 'tiers.strategic.agencies',
      effect: 'widens',
      summary: 'agencies: +CAL-CSIRT',
    });
    const certified = withTier(base, 'strategic', (t) => ({
      ...t,
      requiresCertifications: ['arv-handling-2026'],
    }));
    expect(only(base, certified)).toMatchObject({
      path: 'tiers.strategic.requires_certifications',
      effect: 'narrows',
    });
  });

  it('adding a tier widens, removing one narrows', () => {
    const fewer = { ...base, tiers: base.tiers.filter((t) => t.id !== 'strategic') };
    expect(only(base, fewer)).toMatchObject({
      path: 'tiers.strategic',
      kind: 'removed',
      effect: 'narrows',
    });
    expect(only(fewer, base)).toMatchObject({ kind: 'added', effect: 'widens' });
  });

  it('core: longer max retention widens, removing a never-release rule widens, broadening one narrows', () => {
    expect(only(base, { ...base, core: { ...base.core, maxRetention: d('P365D') } })).toMatchObject(
      {
        path: 'core.max_retention',
        effect: 'widens',
      },
    );
    const fewer = {
      ...base,
      core: { ...base.core, neverRelease: base.core.neverRelease.slice(1) },
    };
    expect(only(base, fewer)).toMatchObject({
      path: 'core.never_release.core-no-red',
      kind: 'removed',
      effect: 'widens',
    });
    const broader = {
      ...base,
      core: {
        ...base.core,
        neverRelease: base.core.neverRelease.map((n) =>
          n.id === 'core-no-red' ? { ...n, match: { tlp: ['amber+strict', 'red'] as Tlp[] } } : n,
        ),
      },
    };
    expect(only(base, broader)).toMatchObject({
      path: 'core.never_release.core-no-red.match.tlp',
      effect: 'narrows',
    });
    expect(
      only(base, {
        ...base,
        core: { ...base.core, handling: { ...base.core.handling, pap: 'green' } },
      }).effect,
    ).toBe('widens');
  });

  it('constraints: adding narrows, removing widens, broadening narrows, a longer cap widens', () => {
    const arv = base.parties[0]!;
    const without = {
      ...base,
      parties: base.parties.map((p) =>
        p.id === 'ARV' ? { ...p, constraints: p.constraints.slice(1) } : p,
      ),
    };
    expect(only(base, without)).toMatchObject({
      path: 'parties.ARV.constraints.arv-no-special-category',
      kind: 'removed',
      effect: 'widens',
    });
    expect(only(without, base)).toMatchObject({ kind: 'added', effect: 'narrows' });
    const patchArv = (
      patch: (c: (typeof arv.constraints)[number]) => (typeof arv.constraints)[number],
    ): Agreement => ({
      ...base,
      parties: base.parties.map((p) =>
        p.id === 'ARV' ? { ...p, constraints: p.constraints.map(patch) } : p,
      ),
    });
    const longer = patchArv((c) =>
      c.kind === 'max-retention' ? { ...c, retention: d('P60D') } : c,
    );
    expect(only(base, longer)).toMatchObject({
      path: 'parties.ARV.constraints.arv-personal-data-30-days.max_retention',
      effect: 'widens',
    });
    const both = patchArv((c) =>
      c.id === 'arv-attribution-needs-certification' ? { ...c, scope: 'both' } : c,
    );
    expect(only(base, both)).toMatchObject({
      path: 'parties.ARV.constraints.arv-attribution-needs-certification.scope',
      effect: 'narrows',
    });
    const wider = patchArv((c) =>
      c.id === 'arv-attribution-needs-certification' ? { ...c, when: {} } : c,
    );
    expect(only(base, wider)).toMatchObject({
      path: 'parties.ARV.constraints.arv-attribution-needs-certification.when.purposes',
      effect: 'narrows',
    });
  });

  it('a certification that expires later widens', () => {
    const later = {
      ...base,
      agencies: base.agencies.map((a) =>
        a.id === 'ARV-CERT'
          ? {
              ...a,
              certifications: a.certifications.map((c) => ({
                ...c,
                expires: c.expires + 86_400_000 * 365,
              })),
            }
          : a,
      ),
    };
    expect(only(base, later)).toMatchObject({
      path: 'agencies.ARV-CERT.certifications.arv-handling-2026.expires',
      effect: 'widens',
      before: '2027-01-01T00:00:00.000Z',
      after: '2028-01-01T00:00:00.000Z',
    });
  });

  it('parties and purposes: adding widens', () => {
    const party = { ...base.parties[2]!, id: 'DUN', name: 'Duchy of Dunmar', constraints: [] };
    expect(only(base, { ...base, parties: [...base.parties, party] })).toMatchObject({
      path: 'parties.DUN',
      kind: 'added',
      effect: 'widens',
    });
    const purpose = { ...base.purposes[0]!, id: 'research' };
    expect(only(base, { ...base, purposes: [...base.purposes, purpose] })).toMatchObject({
      path: 'purposes.research',
      effect: 'widens',
    });
  });

  it('extensions: a tighter cap narrows; an extension with protections narrows', () => {
    const ext = (
      f: (e: Agreement['extensions'][number]) => Agreement['extensions'][number],
    ): Agreement => ({
      ...base,
      extensions: base.extensions.map((e) => (e.id === 'arv-bor-attribution' ? f(e) : e)),
    });
    expect(
      only(
        base,
        ext((e) => ({ ...e, maxRetention: d('P30D') })),
      ),
    ).toMatchObject({
      path: 'extensions.arv-bor-attribution.max_retention',
      effect: 'narrows',
    });
    const gone = { ...base, extensions: base.extensions.filter((e) => e.id !== 'bor-cal-fraud') };
    expect(only(base, gone)).toMatchObject({
      path: 'extensions.bor-cal-fraud',
      kind: 'removed',
      effect: 'widens',
    });
    // An extension with protections and tiers gaining a party: protections and tiers both reach further.
    expect(
      only(
        base,
        ext((e) => ({ ...e, parties: [...e.parties, 'CAL'] })),
      ).effect,
    ).toBe('mixed');
  });

  it('effective dates: ending later or starting earlier widens', () => {
    expect(
      only(base, {
        ...base,
        effective: { from: base.effective.from, until: base.effective.until! + 1 },
      }).effect,
    ).toBe('widens');
    expect(
      only(base, {
        ...base,
        effective: { from: base.effective.from - 1, until: base.effective.until! },
      }).effect,
    ).toBe('widens');
    expect(only(base, { ...base, effective: { from: base.effective.from } })).toMatchObject({
      kind: 'removed',
      effect: 'widens',
    });
  });
});

describe('diffAgreements: triggers, waivers, sanctions, reviews, disputes', () => {
  const trig = (
    id: string,
    patch: (t: Agreement['triggers'][number]) => Agreement['triggers'][number],
  ): Agreement => ({
    ...base,
    triggers: base.triggers.map((t) => (t.id === id ? patch(t) : t)),
  });

  it('a lower quorum widens, automatic approval widens, distinct parties narrows', () => {
    expect(
      only(
        base,
        trig('risk-high', (t) => ({ ...t, approval: { ...t.approval, quorum: 1 } })),
      ),
    ).toMatchObject({
      path: 'triggers.risk-high.approval.quorum',
      effect: 'widens',
    });
    expect(
      only(
        base,
        trig('risk-high', (t) => ({ ...t, approval: { ...t.approval, automatic: true } })),
      ).effect,
    ).toBe('widens');
    expect(
      only(
        base,
        trig('risk-high', (t) => ({ ...t, approval: { ...t.approval, distinctParties: false } })),
      ).effect,
    ).toBe('widens');
  });

  it('raising higher or for longer widens; a trigger that fires more easily widens', () => {
    expect(
      only(
        base,
        trig('intrusion-wave', (t) => ({ ...t, raiseTo: 3 })),
      ).effect,
    ).toBe('widens');
    expect(
      only(
        base,
        trig('risk-high', (t) => ({ ...t, maxDuration: d('P30D') })),
      ).effect,
    ).toBe('widens');
    const easier = trig('risk-high', (t) => ({
      ...t,
      when: { ...t.when, riskRating: { anyPartyAtLeast: 3 } },
    }));
    expect(only(base, easier)).toMatchObject({
      path: 'triggers.risk-high.when.risk_rating.any_party_at_least',
      effect: 'widens',
    });
    const looser = trig('risk-high', (t) => ({
      ...t,
      when: { ...t.when, intelQuality: { atLeast: 'C3' } },
    }));
    expect(only(base, looser)).toMatchObject({
      path: 'triggers.risk-high.when.intel_quality.at_least',
      effect: 'widens',
    });
    const crossed = trig('risk-high', (t) => ({
      ...t,
      when: { ...t.when, intelQuality: { atLeast: 'A3' } },
    }));
    expect(only(base, crossed).effect).toBe('mixed');
    const fewerIncidents = trig('intrusion-wave', (t) => ({
      ...t,
      when: { incidents: { ...t.when.incidents!, atLeast: 10 } },
    }));
    expect(only(base, fewerIncidents).effect).toBe('widens');
    const longerWindow = trig('intrusion-wave', (t) => ({
      ...t,
      when: { incidents: { ...t.when.incidents!, window: d('PT48H') } },
    }));
    expect(only(base, longerWindow)).toMatchObject({
      path: 'triggers.intrusion-wave.when.incidents.within',
      effect: 'widens',
    });
  });

  it('lowering the level sooner narrows', () => {
    const sooner = trig('risk-high', (t) => ({
      ...t,
      lowerWhen: { ...t.lowerWhen!, holdFor: d('P1D') },
    }));
    expect(only(base, sooner)).toMatchObject({
      path: 'triggers.risk-high.lower_when.for',
      effect: 'narrows',
    });
    // "at most 5 intrusions" → "at most 10": calm is reached more easily, the level drops sooner.
    const calmer = trig('intrusion-wave', (t) => ({
      ...t,
      lowerWhen: {
        ...t.lowerWhen!,
        when: { incidents: { ...t.lowerWhen!.when.incidents!, atMost: 10 } },
      },
    }));
    expect(only(base, calmer)).toMatchObject({
      path: 'triggers.intrusion-wave.lower_when.when.incidents.at_most',
      effect: 'narrows',
    });
    const never = { ...base.triggers[0]! };
    delete (never as { lowerWhen?: unknown }).lowerWhen;
    expect(only(base, { ...base, triggers: [never, ...base.triggers.slice(1)] })).toMatchObject({
      path: 'triggers.risk-high.lower_when',
      kind: 'removed',
      effect: 'widens',
    });
  });

  it('removing a trigger narrows', () => {
    expect(only(base, { ...base, triggers: base.triggers.slice(1) })).toMatchObject({
      path: 'triggers.risk-high',
      effect: 'narrows',
    });
  });

  it('waivers: removing the policy narrows, a longer waiver widens, a new never-waive rule narrows', () => {
    const { waivers, ...noWaivers } = base;
    expect(waivers).toBeDefined();
    expect(only(base, noWaivers)).toMatchObject({
      path: 'waivers',
      kind: 'removed',
      effect: 'narrows',
    });
    expect(only(base, { ...base, waivers: { ...waivers!, maxDuration: d('P7D') } }).effect).toBe(
      'widens',
    );
    const rule = { ...waivers!.neverWaive[0]!, id: 'never-waive-red' };
    expect(
      only(base, { ...base, waivers: { ...waivers!, neverWaive: [...waivers!.neverWaive, rule] } }),
    ).toMatchObject({
      path: 'waivers.never_waive.never-waive-red',
      effect: 'narrows',
    });
  });

  it('sanctions: removing widens, a longer sanction narrows; reviews are neutral; pausing on dispute narrows', () => {
    expect(only(base, { ...base, sanctions: base.sanctions.slice(1) }).effect).toBe('widens');
    const longer = {
      ...base,
      sanctions: base.sanctions.map((s) => ({ ...s, duration: d('P1Y') })),
    };
    expect(Object.values(effects(base, longer))).toEqual(['narrows', 'narrows']);
    expect(only(base, { ...base, reviews: { ...base.reviews!, every: d('P6M') } })).toMatchObject({
      path: 'reviews.every',
      effect: 'neutral',
    });
    expect(
      only(base, { ...base, disputes: { ...base.disputes!, pauseWhileOpen: false } }).effect,
    ).toBe('widens');
  });
});

describe('verdict and formatting', () => {
  it('is neutral with no changes, the common direction, or mixed', () => {
    expect(diffAgreements(base, base)).toMatchObject({ changes: [], verdict: 'neutral' });
    const wider = withRule(base, 'operational', 'op-indicators', { retention: d('P120D') });
    expect(diffAgreements(base, wider).verdict).toBe('widens');
    const both = withRule(wider, 'operational', 'op-indicators', { tlp: ['clear'] });
    expect(diffAgreements(base, both).verdict).toBe('mixed');
    expect(diffAgreements(base, { ...both, title: 'x' }).changes.at(0)?.effect).toBe('neutral');
  });

  it('formats one line per change, grouped, with markers and effects', () => {
    const after = {
      ...withRule(base, 'operational', 'op-indicators', {
        tlp: ['clear', 'green', 'amber', 'red'],
      }),
      version: 4,
      core: { ...base.core, neverRelease: base.core.neverRelease.slice(1) },
      sanctions: [...base.sanctions, { ...base.sanctions[0]!, id: 'new-sanction' }],
    };
    expect(formatDiff(diffAgreements(base, after))).toBe(
      [
        'northsea-cti-compact v3 → v4: mixed (2 widens, 1 narrows)',
        '',
        'core protections',
        '  − core.never_release.core-no-red  [widens]  never-release rule removed (was: tlp red)',
        '',
        'tiers and rules',
        '  ~ tiers.operational.rules.op-indicators.tlp  [widens]  tlp: +red',
        '',
        'sanctions',
        '  + sanctions.new-sanction  [narrows]  sanction added: suspend-agency on misuse for P90D',
        '',
      ].join('\n'),
    );
    expect(formatDiff(diffAgreements(base, base))).toBe(
      'northsea-cti-compact v3 → v3: neutral (no changes)\n',
    );
  });
});

describe('diffAgreements on real sources', () => {
  it('a re-indented, re-ordered source is no change', () => {
    const reformatted = NORTHSEA.replace(
      'version: 3\ntitle: North Sea Cyber Threat Intelligence Compact',
      'title: North Sea Cyber Threat Intelligence Compact\nversion: 3',
    ).replace(/tlp: \[clear, green, amber\]/, 'tlp: [amber, clear, green]');
    expect(reformatted).not.toBe(NORTHSEA);
    expect(diffAgreements(base, parse(reformatted)).changes).toEqual([]);
  });

  it('an amendment written in YAML shows each change with its effect', () => {
    const amended = NORTHSEA.replace('version: 3', 'version: 4')
      .replace(
        '        retention: P90D\n      - id: op-incidents-elevated',
        '        retention: P120D\n      - id: op-incidents-elevated',
      )
      .replace(
        'approval: { quorum: 2, roles: [approver], distinct_parties: true }\n    max_duration: P14D',
        'approval: { quorum: 3, roles: [approver], distinct_parties: true }\n    max_duration: P14D',
      );
    const diff = diffAgreements(base, parse(amended));
    expect(diff.after.version).toBe(4);
    expect(diff.changes.map((c) => [c.path, c.effect])).toEqual([
      ['tiers.operational.rules.op-indicators.retention', 'widens'],
      ['triggers.risk-high.approval.quorum', 'narrows'],
    ]);
    expect(diff.verdict).toBe('mixed');
  });

  it('two different agreements differ on every side, without crashing', () => {
    const other = parse(BILATERAL);
    const diff = diffAgreements(base, other);
    expect(diff.changes.length).toBeGreaterThan(10);
    expect(diffAgreements(other, base).changes.length).toBe(diff.changes.length);
    expect(formatDiff(diff).split('\n').length).toBeGreaterThan(diff.changes.length);
  });
});

// --- properties -----------------------------------------------------------------------------

const FLIP: Record<DiffEffect, DiffEffect> = {
  widens: 'narrows',
  narrows: 'widens',
  neutral: 'neutral',
  mixed: 'mixed',
};
const KIND_FLIP = { added: 'removed', removed: 'added', changed: 'changed' } as const;

function subset<T>(values: readonly T[]): fc.Arbitrary<T[]> {
  return fc.subarray([...values], { minLength: 1 });
}

const days = fc.integer({ min: 1, max: 400 }).map((n) => d(`P${n}D`));

type Mutation = (a: Agreement) => Agreement;

const ruleMutation: fc.Arbitrary<Mutation> = fc
  .tuple(
    fc.nat(),
    fc.nat(),
    fc.oneof(
      subset(TLP_LABELS).map((tlp): Partial<ReleaseRule> => ({ tlp })),
      subset(['indicator', 'malware', 'report', 'incident', 'url']).map(
        (types): Partial<ReleaseRule> => ({ types }),
      ),
      subset(['incident-response', 'threat-detection', 'attribution']).map(
        (purposes): Partial<ReleaseRule> => ({ purposes }),
      ),
      subset(['none', 'pseudonymous', 'personal'] as const).map(
        (personalData): Partial<ReleaseRule> => ({ personalData }),
      ),
      days.map((retention): Partial<ReleaseRule> => ({ retention })),
      fc.integer({ min: 0, max: 3 }).map((fromLevel): Partial<ReleaseRule> => ({ fromLevel })),
      fc.integer({ min: 0, max: 3 }).map((untilLevel): Partial<ReleaseRule> => ({ untilLevel })),
      fc
        .integer({ min: 0, max: 100 })
        .map((minConfidence): Partial<ReleaseRule> => ({ minConfidence })),
      subset(['fraud', 'malicious-code', 'intrusions'] as const).map(
        (rsit): Partial<ReleaseRule> => ({ rsit }),
      ),
    ),
    fc.constantFrom(...PAP_LEVELS),
    fc.integer({ min: 0, max: 32 }),
    fc.boolean(),
  )
  .map(([ti, ri, patch, pap, prefix, which]) => (a: Agreement) => {
    const tier = a.tiers[ti % a.tiers.length]!;
    const rule = tier.rules[ri % tier.rules.length]!;
    const extra: Partial<ReleaseRule> = which
      ? { handling: { ...rule.handling, pap } }
      : { minimise: { ...rule.minimise, ipv4Prefix: prefix } };
    return withRule(a, tier.id, rule.id, ri % 3 === 0 ? extra : patch);
  });

const otherMutation: fc.Arbitrary<Mutation> = fc.oneof(
  days.map((maxRetention) => (a: Agreement) => ({ ...a, core: { ...a.core, maxRetention } })),
  fc.constantFrom(...PAP_LEVELS).map((pap) => (a: Agreement) => ({
    ...a,
    core: { ...a.core, handling: { ...a.core.handling, pap } },
  })),
  fc.tuple(fc.nat(), subset(['ARV-CERT', 'ARV-NCSC', 'BOR-CERT', 'BOR-FININT', 'CAL-CSIRT'])).map(
    ([ti, agencies]) =>
      (a: Agreement) =>
        withTier(a, a.tiers[ti % a.tiers.length]!.id, (t) => ({ ...t, agencies })),
  ),
  fc.integer({ min: 1, max: 4 }).map((quorum) => (a: Agreement) => ({
    ...a,
    triggers: a.triggers.map((t, i) =>
      i === 0 ? { ...t, approval: { ...t.approval, quorum } } : t,
    ),
  })),
  fc.integer({ min: 0, max: 3 }).map((raiseTo) => (a: Agreement) => ({
    ...a,
    triggers: a.triggers.map((t, i) => (i === 1 ? { ...t, raiseTo } : t)),
  })),
  fc.integer({ min: -1000, max: 1000 }).map((shift) => (a: Agreement) => ({
    ...a,
    agencies: a.agencies.map((ag) => ({
      ...ag,
      certifications: ag.certifications.map((c) => ({
        ...c,
        expires: c.expires + shift * 86_400_000,
      })),
    })),
  })),
  days.map((maxDuration) => (a: Agreement) => ({ ...a, waivers: { ...a.waivers!, maxDuration } })),
  fc.nat().map((i) => (a: Agreement) => ({
    ...a,
    core: { ...a.core, neverRelease: a.core.neverRelease.filter((_, j) => j !== i % 2) },
  })),
  fc
    .nat()
    .map((i) => (a: Agreement) => ({ ...a, sanctions: a.sanctions.filter((_, j) => j !== i % 2) })),
);

const mutation = fc.oneof(ruleMutation, otherMutation);

describe('diff properties', () => {
  it('diff(a, a) is empty and neutral, for every example', () => {
    for (const a of [base, parse(BILATERAL)]) {
      expect(diffAgreements(a, a)).toMatchObject({ changes: [], verdict: 'neutral' });
      expect(diffAgreements(a, structuredClone(a)).changes).toEqual([]);
    }
  });

  it('swapping before and after flips widens ↔ narrows and added ↔ removed, change by change', () => {
    fc.assert(
      fc.property(mutation, (mutate) => {
        const after = mutate(base);
        expect(diffAgreements(after, after).changes).toEqual([]);
        const forward = diffAgreements(base, after).changes;
        const backward = diffAgreements(after, base).changes;
        expect(backward.map((c) => c.path).sort()).toEqual(forward.map((c) => c.path).sort());
        for (const f of forward) {
          const b = backward.find((c) => c.path === f.path)!;
          expect(b.effect, f.path).toBe(FLIP[f.effect]);
          expect(b.kind).toBe(KIND_FLIP[f.kind]);
          expect(b.before).toEqual(f.after);
          expect(b.after).toEqual(f.before);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a rule mutation shows up exactly when it changes the rule’s meaning', () => {
    fc.assert(
      fc.property(ruleMutation, (mutate) => {
        const after = mutate(base);
        const changes = diffAgreements(base, after).changes;
        // Every mutation that changed the model shows up; identical ones show nothing.
        expect(changes.length === 0).toBe(
          JSON.stringify(after) === JSON.stringify(base) || sameSets(base, after),
        );
      }),
      { numRuns: 200 },
    );
  });
});

/** True when two agreements differ only in the order of set-valued fields of rules. */
function sameSets(a: Agreement, b: Agreement): boolean {
  const norm = (x: Agreement): string =>
    JSON.stringify(x, (_k, v: unknown) =>
      Array.isArray(v) && v.every((e) => typeof e === 'string') ? [...(v as string[])].sort() : v,
    );
  return norm(a) === norm(b);
}
