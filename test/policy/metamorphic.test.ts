/**
 * Metamorphic properties of decisions (DESIGN.md invariants 1, 3, 4), on both engines: changes
 * to an agreement or a state that can only narrow access never widen it, and unrelated changes
 * change nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Agreement, Constraint, Tier } from '../../src/agreement/index.js';
import {
  compiledEngine,
  referenceEngine,
  type Decision,
  type EngineFactory,
} from '../../src/policy/index.js';
import { DAY, arbitraryScenario } from '../support/arbitrary-agreement.js';
import { propertyOptions, propertyRuns } from './runs.js';

const BATCH = 25;
const RUNS = Math.max(20, Math.ceil(propertyRuns(2_000, 100_000) / BATCH / 5));
const ENGINES: [string, EngineFactory][] = [
  ['reference', referenceEngine],
  ['compiled', compiledEngine],
];

const allowed = (d: Decision): boolean => d.effect === 'allow';

function withoutTier(A: Agreement, tier: Tier): Agreement {
  return {
    ...A,
    tiers: A.tiers.filter((t) => t !== tier),
    extensions: A.extensions.map((e) => ({ ...e, tiers: e.tiers.filter((id) => id !== tier.id) })),
  };
}

describe.each(ENGINES)('%s engine: metamorphic properties', (_name, engine) => {
  it('an active pause never widens access', () => {
    fc.assert(
      fc.property(arbitraryScenario(BATCH), fc.boolean(), ({ agreement, cases }, sinceEarlier) => {
        const decide = engine(agreement);
        for (const { request, state } of cases) {
          const pause = {
            id: 'added-pause',
            party: request.object.producer,
            scope: {},
            since: sinceEarlier ? request.at - DAY : request.at,
          };
          const paused = decide(request, { ...state, pauses: [...state.pauses, pause] });
          if (allowed(paused)) expect(allowed(decide(request, state))).toBe(true);
          // A pause covering every release of the producer denies unless something earlier did.
          if (!allowed(decide(request, state))) continue;
          expect(paused).toMatchObject({ effect: 'deny', stage: 'pause' });
        }
      }),
      propertyOptions(RUNS),
    );
  });

  it('removing a tier never widens access', () => {
    fc.assert(
      fc.property(arbitraryScenario(BATCH), fc.nat(), ({ agreement, cases }, pick) => {
        const tier = agreement.tiers[pick % agreement.tiers.length];
        if (tier === undefined) return;
        const before = engine(agreement);
        const after = engine(withoutTier(agreement, tier));
        for (const { request, state } of cases) {
          if (allowed(after(request, state))) expect(allowed(before(request, state))).toBe(true);
        }
      }),
      propertyOptions(RUNS),
    );
  });

  it('adding an unrelated agency in a new tier changes no other agency’s decision', () => {
    fc.assert(
      fc.property(arbitraryScenario(BATCH), fc.nat(), ({ agreement, cases }, pick) => {
        const party = agreement.parties[pick % agreement.parties.length]!.id;
        const template = agreement.tiers[0]!;
        const newcomer = {
          id: 'AG-NEW',
          party,
          name: 'Newcomer',
          roles: [],
          certifications: [],
          ref: { kind: 'agreement' as const, id: 'AG-NEW' },
        };
        const tier: Tier = {
          id: 'new-tier',
          agencies: ['AG-NEW'],
          requiresCertifications: [],
          rules: template.rules.map((r) => ({ ...r, id: `new-${r.id}`, tier: 'new-tier' })),
          ref: { kind: 'tier', id: 'new-tier' },
        };
        const coreTiers = agreement.tiers.filter((t) => t.extension === undefined);
        const extTiers = agreement.tiers.filter((t) => t.extension !== undefined);
        const grown: Agreement = {
          ...agreement,
          agencies: [...agreement.agencies, newcomer],
          tiers: [...coreTiers, tier, ...extTiers],
        };
        const before = engine(agreement);
        const after = engine(grown);
        for (const { request, state } of cases) {
          if (request.agency === 'AG-NEW') continue;
          expect(after(request, state)).toStrictEqual(before(request, state));
        }
      }),
      propertyOptions(RUNS),
    );
  });

  it('a later clock never revives an expired certification', () => {
    // Effective `until`, waivers and pauses end in time and would confound the property, so the
    // agreement is open-ended and the state has neither; revocations only accumulate.
    let expiredSeen = 0;
    fc.assert(
      fc.property(
        arbitraryScenario(BATCH),
        fc.integer({ min: 1, max: 400 * DAY }),
        ({ agreement, cases }, later) => {
          const A: Agreement = { ...agreement, effective: { from: agreement.effective.from } };
          const decide = engine(A);
          for (const { request, state } of cases) {
            const st = { ...state, waivers: [], pauses: [] };
            const now = decide(request, st);
            if (now.effect === 'allow' || now.stage === 'not-in-force') continue;
            const agency = A.agencies.find((a) => a.id === request.agency);
            if (agency?.certifications.some((c) => c.expires <= request.at)) expiredSeen++;
            for (const at of [request.at + 1, request.at + later]) {
              expect(decide({ ...request, at }, st).effect).toBe('deny');
            }
          }
        },
      ),
      propertyOptions(RUNS),
    );
    expect(expiredSeen).toBeGreaterThan(0);
  });

  it('lowering the level never widens access when no waivers are involved', () => {
    // Only when every rule reaches the top level: a rule may be written for low levels only
    // (`until_level`), and lowering the level then rightly enables it.
    fc.assert(
      fc.property(arbitraryScenario(BATCH), ({ agreement, cases }) => {
        const top = agreement.levels.length - 1;
        const A: Agreement = {
          ...agreement,
          tiers: agreement.tiers.map((t) => ({
            ...t,
            rules: t.rules.map((r) => ({ ...r, untilLevel: top })),
          })),
        };
        const decide = engine(A);
        for (const { request, state } of cases) {
          const index = A.levels.findIndex((l) => l.id === state.level);
          if (index <= 0) continue;
          const st = { ...state, waivers: [] };
          for (let lower = 0; lower < index; lower++) {
            const low = decide(request, { ...st, level: A.levels[lower]!.id });
            if (allowed(low)) expect(allowed(decide(request, st))).toBe(true);
          }
        }
      }),
      propertyOptions(RUNS),
    );
  });

  it('constraints win: a `forbid` with an empty `when` denies everything its party produced', () => {
    fc.assert(
      fc.property(
        arbitraryScenario(BATCH),
        fc.constantFrom('outgoing' as const, 'both' as const),
        ({ agreement, cases }, scope) => {
          for (const { request, state } of cases) {
            const p = agreement.parties.findIndex((x) => x.id === request.object.producer);
            const party = agreement.parties[p];
            if (party === undefined) continue;
            const forbid: Constraint = {
              id: 'forbid-all',
              party: party.id,
              scope,
              kind: 'forbid',
              when: {},
              ref: { kind: 'constraint', id: 'forbid-all' },
            };
            const parties = agreement.parties.map((x, i) =>
              i === p ? { ...x, constraints: [...x.constraints, forbid] } : x,
            );
            const d = engine({ ...agreement, parties })(request, state);
            expect(d.effect).toBe('deny');
            if (d.effect === 'deny' && d.stage === 'constraint') {
              expect(d.deniedBy).toContainEqual(forbid.ref);
            } else if (d.effect === 'deny') {
              expect([
                'not-in-force',
                'unknown-agency',
                'unknown-purpose',
                'unknown-level',
              ]).toContain(d.stage);
            }
          }
        },
      ),
      propertyOptions(RUNS),
    );
  });
});
