/**
 * One example per precedence stage of docs/spec/decisions.md, on a hand-built agreement, run
 * against both engines: the stage, the clauses that decided (in order) and the obligations.
 */
import { describe, expect, it } from 'vitest';
import { NO_MINIMISATION } from '../../src/agreement/index.js';
import {
  compileAgreement,
  compiledEngine,
  decide,
  referenceEngine,
  type ActiveWaiver,
  type EngineFactory,
} from '../../src/policy/index.js';
import {
  AT,
  DAY,
  T0,
  days,
  fixtureAgreement,
  hours,
  ref,
  request,
  state,
} from './fixture-agreement.js';

const HOUR = 3_600_000;
const A = fixtureAgreement();
const ENGINES: [string, EngineFactory][] = [
  ['reference', referenceEngine],
  ['compiled', compiledEngine],
];

describe.each(ENGINES)('%s engine: precedence stages', (_name, engine) => {
  const decideFn = engine(A);

  it('1. not-in-force before `from` and at `until` (exclusive), naming the agreement', () => {
    for (const at of [T0 - 1, T0 + 365 * DAY]) {
      expect(decideFn(request({ at }), state())).toStrictEqual({
        effect: 'deny',
        stage: 'not-in-force',
        deniedBy: [A.ref],
      });
    }
    expect(decideFn(request({ at: T0 }), state()).effect).toBe('allow');
  });

  it('2. unknown names, checked in order: agency, purpose, producer, level', () => {
    const deny = (stage: string) => ({ effect: 'deny', stage, deniedBy: [] });
    const unknownObject = { ...request().object, producer: 'XYZ' };
    expect(
      decideFn(request({ agency: 'NOBODY', purpose: 'curiosity' }), state({ level: 'x' })),
    ).toStrictEqual(deny('unknown-agency'));
    expect(
      decideFn(request({ purpose: 'curiosity', object: unknownObject }), state()),
    ).toStrictEqual(deny('unknown-purpose'));
    expect(decideFn(request({ object: unknownObject }), state({ level: 'x' }))).toStrictEqual(
      deny('unknown-producer'),
    );
    expect(decideFn(request(), state({ level: 'x' }))).toStrictEqual(deny('unknown-level'));
  });

  it('4. constraints win over pauses, never-release and waivers; every denial, in party order', () => {
    const req = request({
      agency: 'BOR-CERT',
      purpose: 'attribution',
      object: { type: 'indicator', tlp: 'red', personalData: 'none', producer: 'ARV' },
    });
    const st = state({
      pauses: [{ id: 'p', party: 'ARV', scope: {}, since: T0 }],
      waivers: [waiver('w', { agencies: ['BOR-CERT'], purposes: ['attribution'], tlp: ['red'] })],
    });
    expect(decideFn(req, st)).toStrictEqual({
      effect: 'deny',
      stage: 'constraint',
      deniedBy: [
        ref('constraint', 'arv-attr-cert', 10),
        ref('constraint', 'bor-no-attribution-in', 20),
      ],
    });
  });

  it('4. require-certification holds with the certification and fails once it expires or is revoked', () => {
    const req = request({
      agency: 'ARV-CERT',
      purpose: 'attribution',
      object: { type: 'threat-actor', tlp: 'green', personalData: 'none', producer: 'ARV' },
    });
    expect(decideFn(req, state())).toMatchObject({
      effect: 'allow',
      allowedBy: [ref('rule', 'attr-actors', 70)],
    });
    const revoked = state({
      revocations: [{ agency: 'ARV-CERT', certification: 'handling', since: AT }],
    });
    expect(decideFn(req, revoked)).toStrictEqual({
      effect: 'deny',
      stage: 'constraint',
      deniedBy: [ref('constraint', 'arv-attr-cert', 10)],
    });
    expect(decideFn({ ...req, at: T0 + 100 * DAY }, state())).toMatchObject({
      effect: 'deny',
      stage: 'constraint',
    });
  });

  it('5. pauses of the producer that cover the release, in state order', () => {
    const st = state({
      pauses: [
        { id: 'p1', party: 'ARV', scope: {}, since: AT },
        { id: 'p2', party: 'ARV', scope: { tlp: ['red'] }, since: T0 },
        { id: 'p3', party: 'ARV', scope: {}, since: T0, until: AT },
        { id: 'p4', party: 'BOR', scope: {}, since: T0 },
        { id: 'p5', party: 'ARV', scope: { toAgencies: ['CAL-CSIRT'] }, since: T0 },
        { id: 'p6', party: 'ARV', scope: {}, since: AT + 1 },
      ],
      waivers: [waiver('w', {})],
    });
    expect(decideFn(request(), st)).toStrictEqual({
      effect: 'deny',
      stage: 'pause',
      deniedBy: [
        { kind: 'pause', id: 'p1' },
        { kind: 'pause', id: 'p5' },
      ],
    });
  });

  it('6. never-release: the core rule, then the covering extension’s', () => {
    const req = request({
      agency: 'ARV-CERT',
      object: { type: 'indicator', tlp: 'red', personalData: 'none', producer: 'BOR' },
    });
    expect(decideFn(req, state())).toStrictEqual({
      effect: 'deny',
      stage: 'never-release',
      deniedBy: [
        ref('never-release', 'core-no-red', 40),
        ref('never-release', 'arvbor-no-strict', 61),
      ],
    });
    // The extension does not cover ARV → CAL: amber+strict is not withheld by it.
    const uncovered = request({
      object: { type: 'indicator', tlp: 'amber+strict', personalData: 'none', producer: 'ARV' },
    });
    expect(decideFn(uncovered, state())).toStrictEqual({
      effect: 'deny',
      stage: 'no-rule',
      deniedBy: [],
    });
  });

  it('7. tier rules: every allowing rule in order, the first one’s tier, combined obligations', () => {
    const req = request({
      agency: 'ARV-CERT',
      object: {
        type: 'indicator',
        tlp: 'amber',
        personalData: 'none',
        producer: 'BOR',
        confidence: 80,
      },
    });
    expect(decideFn(req, state({ level: 'severe' }))).toStrictEqual({
      effect: 'allow',
      allowedBy: [
        ref('rule', 'op-indicators', 50),
        ref('rule', 'op-severe', 51),
        ref('rule', 'attr-actors', 70),
      ],
      byWaiver: false,
      tier: 'operational',
      obligations: {
        // op-severe's P1M from 1 March is 1 April: shorter than every fixed retention.
        retainUntil: Date.UTC(2026, 3, 1, 12),
        minimise: {
          drop: [],
          pseudonymise: ['email-addr.value', 'user-account.user_id'],
          ipv4Prefix: 16,
          ipv6Prefix: 128,
          timePrecisionMs: HOUR,
          stripSourceRefs: true,
        },
        handling: { pap: 'red', onwardSharing: 'none' },
        shapedBy: [
          ref('core', 'core', 39),
          ref('extension', 'arv-bor', 60),
          ref('constraint', 'bor-pseudonymise', 21),
        ],
      },
    });
  });

  it('7. an applying max-retention constraint caps the retention and shapes the release', () => {
    const req = request({
      object: { type: 'indicator', tlp: 'green', personalData: 'pseudonymous', producer: 'ARV' },
    });
    expect(decideFn(req, state())).toStrictEqual({
      effect: 'allow',
      allowedBy: [ref('rule', 'op-indicators', 50)],
      byWaiver: false,
      tier: 'operational',
      obligations: {
        retainUntil: AT + 30 * DAY,
        minimise: { ...NO_MINIMISATION, pseudonymise: ['email-addr.value'], ipv4Prefix: 24 },
        handling: { pap: 'amber', onwardSharing: 'same-party' },
        shapedBy: [ref('core', 'core', 39), ref('constraint', 'arv-personal-30d', 11)],
      },
    });
  });

  it('8. waivers within their window and the policy’s maximum, in state order, with no tier', () => {
    const req = request({
      object: { type: 'report', tlp: 'green', personalData: 'none', producer: 'ARV' },
    });
    const grants = { types: ['report'] };
    const st = state({
      waivers: [
        waiver('w1', grants, { retention: days(7), from: AT - HOUR, expires: AT + 71 * HOUR }),
        waiver('w2', grants, { from: AT - HOUR, expires: AT - HOUR + 72 * HOUR + 1 }),
        waiver('w3', { ...grants, rsit: ['fraud'] }),
        waiver('w4', grants, { retention: hours(2), from: AT, expires: AT + HOUR }),
        waiver('w5', grants, { from: AT - HOUR, expires: AT }),
        waiver('w6', { ...grants, agencies: ['BOR-CERT'] }),
      ],
    });
    const d = decideFn(req, st);
    expect(d).toStrictEqual({
      effect: 'allow',
      allowedBy: [
        { kind: 'waiver', id: 'w1' },
        { kind: 'waiver', id: 'w4' },
      ],
      byWaiver: true,
      obligations: {
        retainUntil: AT + 2 * HOUR,
        minimise: { ...NO_MINIMISATION, pseudonymise: ['email-addr.value'], ipv4Prefix: 24 },
        handling: { pap: 'amber', onwardSharing: 'same-party' },
        shapedBy: [ref('core', 'core', 39)],
      },
    });
    expect('tier' in d).toBe(false);
  });

  it('8. never-waive rules and a missing waiver policy stop every waiver', () => {
    const req = request({
      object: { type: 'report', tlp: 'green', personalData: 'personal', producer: 'ARV' },
    });
    const st = state({ waivers: [waiver('w', { types: ['report'], personalData: ['personal'] })] });
    expect(decideFn(req, st)).toStrictEqual({ effect: 'deny', stage: 'no-rule', deniedBy: [] });
    const withoutPolicy = { ...A };
    delete (withoutPolicy as { waivers?: unknown }).waivers;
    const fine = request({ object: { ...req.object, personalData: 'none' } });
    const granted = state({ waivers: [waiver('w', { types: ['report'] })] });
    expect(decideFn(fine, granted).effect).toBe('allow');
    expect(engine(withoutPolicy)(fine, granted)).toStrictEqual({
      effect: 'deny',
      stage: 'no-rule',
      deniedBy: [],
    });
  });

  it('7. level range, minimum confidence and tier certifications all have to hold', () => {
    const base = request({
      agency: 'BOR-CERT',
      object: { type: 'threat-actor', tlp: 'green', personalData: 'none', producer: 'ARV' },
    });
    // BOR-CERT lacks the certification the attribution cell requires.
    expect(decideFn(base, state()).effect).toBe('deny');
    const severe = request({
      object: {
        type: 'indicator',
        tlp: 'amber',
        personalData: 'none',
        producer: 'ARV',
        confidence: 69,
      },
    });
    expect(decideFn(severe, state({ level: 'severe' }))).toMatchObject({
      allowedBy: [ref('rule', 'op-indicators', 50)],
    });
    const noConfidence = request({
      object: { type: 'indicator', tlp: 'amber', personalData: 'none', producer: 'ARV' },
    });
    expect(decideFn(noConfidence, state({ level: 'severe' }))).toMatchObject({
      allowedBy: [ref('rule', 'op-indicators', 50)],
    });
  });

  it('9. no rule and no waiver: deny by default', () => {
    const req = request({
      object: { type: 'report', tlp: 'green', personalData: 'none', producer: 'ARV' },
    });
    expect(decideFn(req, state())).toStrictEqual({
      effect: 'deny',
      stage: 'no-rule',
      deniedBy: [],
    });
  });
});

describe('compiled engine', () => {
  it('is the compiled path, counts its decisions and fills obligation slots', () => {
    const engine = compileAgreement(A);
    expect(engine.kind).toBe('compiled');
    expect(engine.agreementId).toBe('fixture');
    const before = engine.stats();
    expect(before.decisions).toBe(0);
    expect(before.pairs).toBe(A.agencies.length * A.parties.length);
    expect(before.candidateRules).toBeGreaterThan(0);
    engine.decide(request(), state());
    engine.decide(request(), state());
    const after = engine.stats();
    expect(after.decisions).toBe(2);
    expect(after.slots).toBe(1);
  });

  it('shares frozen parts between decisions (callers must not mutate them)', () => {
    const engine = compileAgreement(A);
    const a = engine.decide(request(), state());
    const b = engine.decide(request({ at: AT + 1 }), state());
    if (a.effect !== 'allow' || b.effect !== 'allow') throw new Error('expected allows');
    expect(Object.isFrozen(a.allowedBy)).toBe(true);
    expect(a.obligations.minimise).toBe(b.obligations.minimise);
    expect(b.obligations.retainUntil - a.obligations.retainUntil).toBe(1);
  });

  it('decide() is the compiled engine in one call', () => {
    expect(decide(A, request(), state())).toStrictEqual(referenceEngine(A)(request(), state()));
  });
});

function waiver(
  id: string,
  g: {
    agencies?: string[];
    types?: string[];
    tlp?: ActiveWaiver['grants']['tlp'];
    purposes?: string[];
    personalData?: ActiveWaiver['grants']['personalData'];
    rsit?: ActiveWaiver['grants']['rsit'];
  },
  window: Partial<Pick<ActiveWaiver, 'retention' | 'from' | 'expires'>> = {},
): ActiveWaiver {
  const grants = {
    types: g.types ?? ['indicator'],
    tlp: g.tlp ?? ['green'],
    purposes: g.purposes ?? ['incident-response'],
    personalData: g.personalData ?? ['none'],
  };
  return {
    id,
    agencies: g.agencies ?? ['CAL-CSIRT'],
    grants: g.rsit === undefined ? grants : { ...grants, rsit: g.rsit },
    retention: window.retention ?? days(3),
    from: window.from ?? AT - HOUR,
    expires: window.expires ?? AT + HOUR,
  };
}
