/**
 * A small hand-built agreement model for example-based tests of each precedence stage
 * (docs/spec/decisions.md). Two parties (ARV, BOR) and a third (CAL) outside the extension,
 * one agency each, a core tier and an ARV–BOR extension tier.
 */
import { NO_MINIMISATION, type Agreement, type ClauseRef } from '../../src/agreement/index.js';
import type { Duration } from '../../src/core/index.js';
import type { DecisionRequest, DecisionState } from '../../src/policy/index.js';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 0, 1);
export const AT = Date.UTC(2026, 2, 1, 12);

const Z = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
export const days = (n: number): Duration => ({ ...Z, days: n });
export const months = (n: number): Duration => ({ ...Z, months: n });
export const hours = (n: number): Duration => ({ ...Z, hours: n });

/** A clause reference with a made-up source location. */
export function ref(kind: ClauseRef['kind'], id: string, line = 1): ClauseRef {
  return { kind, id, source: { path: id, line, column: 3 } };
}

/** The fixture agreement. */
export function fixtureAgreement(): Agreement {
  return {
    concordat: 1,
    id: 'fixture',
    version: 1,
    title: 'Fixture',
    effective: { from: T0, until: T0 + 365 * DAY },
    parties: [
      {
        id: 'ARV',
        name: 'Arvenia',
        constraints: [
          {
            id: 'arv-attr-cert',
            party: 'ARV',
            scope: 'outgoing',
            kind: 'require-certification',
            certifications: ['handling'],
            when: { purposes: ['attribution'] },
            ref: ref('constraint', 'arv-attr-cert', 10),
          },
          {
            id: 'arv-personal-30d',
            party: 'ARV',
            scope: 'outgoing',
            kind: 'max-retention',
            retention: days(30),
            when: { personalData: ['pseudonymous'] },
            ref: ref('constraint', 'arv-personal-30d', 11),
          },
        ],
        ref: ref('party', 'ARV'),
      },
      {
        id: 'BOR',
        name: 'Borealia',
        constraints: [
          {
            id: 'bor-no-attribution-in',
            party: 'BOR',
            scope: 'incoming',
            kind: 'forbid',
            when: { purposes: ['attribution'] },
            ref: ref('constraint', 'bor-no-attribution-in', 20),
          },
          {
            id: 'bor-pseudonymise',
            party: 'BOR',
            scope: 'outgoing',
            kind: 'minimise',
            minimise: { ...NO_MINIMISATION, pseudonymise: ['user-account.user_id'] },
            when: {},
            ref: ref('constraint', 'bor-pseudonymise', 21),
          },
        ],
        ref: ref('party', 'BOR'),
      },
      { id: 'CAL', name: 'Caldera', constraints: [], ref: ref('party', 'CAL') },
    ],
    agencies: [
      {
        id: 'ARV-CERT',
        party: 'ARV',
        name: 'ARV CERT',
        roles: [],
        certifications: [{ id: 'handling', expires: T0 + 100 * DAY, ref: ref('agreement', 'h') }],
        ref: ref('agreement', 'ARV-CERT'),
      },
      {
        id: 'BOR-CERT',
        party: 'BOR',
        name: 'BOR CERT',
        roles: [],
        certifications: [],
        ref: ref('agreement', 'BOR-CERT'),
      },
      {
        id: 'CAL-CSIRT',
        party: 'CAL',
        name: 'CAL CSIRT',
        roles: [],
        certifications: [],
        ref: ref('agreement', 'CAL-CSIRT'),
      },
    ],
    officials: [],
    purposes: [
      { id: 'incident-response', description: '', ref: ref('agreement', 'ir') },
      { id: 'attribution', description: '', ref: ref('agreement', 'attr') },
    ],
    levels: [
      { id: 'baseline', index: 0, ref: ref('agreement', 'baseline') },
      { id: 'severe', index: 1, ref: ref('agreement', 'severe') },
    ],
    core: {
      maxRetention: days(180),
      neverRelease: [
        {
          id: 'core-no-red',
          match: { tlp: ['red'] },
          ref: ref('never-release', 'core-no-red', 40),
        },
      ],
      minimise: { ...NO_MINIMISATION, pseudonymise: ['email-addr.value'], ipv4Prefix: 24 },
      handling: { pap: 'amber', onwardSharing: 'same-party' },
      ref: ref('core', 'core', 39),
    },
    tiers: [
      {
        id: 'operational',
        agencies: ['ARV-CERT', 'BOR-CERT', 'CAL-CSIRT'],
        requiresCertifications: [],
        rules: [
          {
            id: 'op-indicators',
            tier: 'operational',
            types: ['indicator', 'malware'],
            tlp: ['green', 'amber'],
            purposes: ['incident-response'],
            personalData: ['none', 'pseudonymous'],
            fromLevel: 0,
            untilLevel: 1,
            retention: days(90),
            minimise: NO_MINIMISATION,
            handling: { pap: 'green', onwardSharing: 'agreement-parties' },
            ref: ref('rule', 'op-indicators', 50),
          },
          {
            id: 'op-severe',
            tier: 'operational',
            types: ['indicator'],
            tlp: ['amber'],
            purposes: ['incident-response'],
            personalData: ['none'],
            minConfidence: 70,
            fromLevel: 1,
            untilLevel: 1,
            retention: months(1),
            minimise: { ...NO_MINIMISATION, timePrecisionMs: 3_600_000 },
            handling: { pap: 'red', onwardSharing: 'none' },
            ref: ref('rule', 'op-severe', 51),
          },
        ],
        ref: ref('tier', 'operational', 49),
      },
      {
        id: 'attribution-cell',
        agencies: ['ARV-CERT', 'BOR-CERT'],
        requiresCertifications: ['handling'],
        extension: 'arv-bor',
        rules: [
          {
            id: 'attr-actors',
            tier: 'attribution-cell',
            types: ['threat-actor', 'indicator'],
            tlp: ['green', 'amber'],
            purposes: ['attribution', 'incident-response'],
            personalData: ['none'],
            fromLevel: 0,
            untilLevel: 1,
            retention: days(60),
            minimise: NO_MINIMISATION,
            handling: { pap: 'amber', onwardSharing: 'same-party' },
            ref: ref('rule', 'attr-actors', 70),
          },
        ],
        ref: ref('tier', 'attribution-cell', 69),
      },
    ],
    extensions: [
      {
        id: 'arv-bor',
        parties: ['ARV', 'BOR'],
        maxRetention: days(120),
        neverRelease: [
          {
            id: 'arvbor-no-strict',
            match: { tlp: ['amber+strict', 'red'] },
            ref: ref('never-release', 'arvbor-no-strict', 61),
          },
        ],
        minimise: { ...NO_MINIMISATION, ipv4Prefix: 16, stripSourceRefs: true },
        handling: { pap: 'amber', onwardSharing: 'same-party' },
        tiers: ['attribution-cell'],
        ref: ref('extension', 'arv-bor', 60),
      },
    ],
    triggers: [],
    waivers: {
      maxDuration: hours(72),
      postReviewWithin: days(14),
      approval: { automatic: false, quorum: 2, roles: [], distinctParties: true },
      neverWaive: [
        {
          id: 'never-waive-personal',
          match: { personalData: ['personal'] },
          ref: ref('never-release', 'never-waive-personal', 80),
        },
      ],
      ref: ref('waiver-policy', 'waivers', 79),
    },
    sanctions: [],
    ref: ref('agreement', 'fixture', 1),
  };
}

/** A request to CAL-CSIRT for a green indicator from ARV, for incident response, at `AT`. */
export function request(overrides: Partial<DecisionRequest> = {}): DecisionRequest {
  return {
    agency: 'CAL-CSIRT',
    purpose: 'incident-response',
    object: { type: 'indicator', tlp: 'green', personalData: 'none', producer: 'ARV' },
    at: AT,
    ...overrides,
  };
}

/** The empty state at level `baseline`. */
export function state(overrides: Partial<DecisionState> = {}): DecisionState {
  return { level: 'baseline', waivers: [], pauses: [], revocations: [], ...overrides };
}
