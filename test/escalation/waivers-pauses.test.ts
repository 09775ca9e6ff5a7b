/**
 * Scenarios from the seed: "temporary waivers during severe incidents" that expire on time and
 * are reviewed; waivers that never override sovereign constraints; "pause or suspend during
 * political or legal disputes", effective for every release from its instant; time-limited
 * authorities. Decisions go through the compiled engine with the replayed state.
 */
import { describe, expect, it } from 'vitest';
import {
  checkWaiverRequest,
  decisionState,
  replay,
  waiverStatus,
} from '../../src/escalation/index.js';
import type { EscalationState, WaiverScope } from '../../src/escalation/index.js';
import { compileAgreement } from '../../src/policy/index.js';
import type { Decision, DecisionRequest } from '../../src/policy/index.js';
import { DAY, HOUR, NORTHSEA, REGISTRY, release, t, Timeline } from './timeline.js';

const engine = compileAgreement(NORTHSEA);
const at = (tl: Timeline, instant: number): EscalationState =>
  replay(NORTHSEA, tl.events, instant, { keys: REGISTRY });
/** Decides a release in the state replayed at the release's own instant. */
const decideAt = (tl: Timeline, req: DecisionRequest): Decision =>
  engine.decide(req, decisionState(at(tl, req.at)));

// Arvenian indicators to Borealia's financial intelligence unit for incident response: no
// tier allows it, so only a waiver can.
const HOSPITAL_SCOPE: WaiverScope = {
  agencies: ['BOR-FININT'],
  grants: {
    types: ['indicator'],
    tlp: ['amber'],
    purposes: ['incident-response'],
    personalData: ['none'],
  },
};

describe('a severe-incident waiver expires exactly on time and its review falls due', () => {
  const tl = new Timeline();
  const W0 = t('2026-05-10T06:00:00Z');
  const request = tl.waiver(W0, HOSPITAL_SCOPE, 'PT48H');
  tl.approve(W0 + HOUR, 'ARV-LIAISON', request);
  const A = W0 + 2 * HOUR;
  tl.approve(A, 'CAL-LIAISON', request);
  const expires = A + 48 * HOUR;
  const due = expires + 14 * DAY;

  it('is pending before quorum and denies until then', () => {
    expect(waiverStatus(at(tl, A - 1).waivers[0]!, A - 1)).toBe('pending');
    expect(decideAt(tl, release(A - 1, 'BOR-FININT'))).toMatchObject({
      effect: 'deny',
      stage: 'no-rule',
    });
  });

  it('allows at expiry − 1 ms and denies at expiry', () => {
    expect(decideAt(tl, release(A, 'BOR-FININT'))).toMatchObject({
      effect: 'allow',
      byWaiver: true,
    });
    const last = decideAt(tl, release(expires - 1, 'BOR-FININT'));
    expect(last).toMatchObject({
      effect: 'allow',
      byWaiver: true,
      allowedBy: [{ kind: 'waiver', id: request.id }],
    });
    expect(decideAt(tl, release(expires, 'BOR-FININT'))).toMatchObject({
      effect: 'deny',
      stage: 'no-rule',
    });
    expect(at(tl, expires).current.waivers).toStrictEqual([]);
    // Outside its scope it never allowed anything.
    expect(decideAt(tl, release(A + HOUR, 'BOR-FININT', { tlp: 'green' }))).toMatchObject({
      effect: 'deny',
    });
  });

  it('opens a post-incident review at expiry that becomes a compliance finding when overdue', () => {
    expect(at(tl, expires).current.reviews).toStrictEqual([
      { waiver: request.id, opened: expires, due, overdue: false },
    ]);
    expect(at(tl, due - 1).current.findings).toStrictEqual([]);
    const overdue = at(tl, due);
    expect(overdue.current.reviews[0]?.overdue).toBe(true);
    expect(overdue.current.findings).toStrictEqual([
      { kind: 'review-overdue', waiver: request.id, due },
    ]);
    const late = new Timeline();
    late.events.push(...tl.events, {
      v: 1,
      id: 'review-1',
      at: due + DAY,
      actor: 'ARV-LIAISON',
      type: 'waiver-review-filed',
      waiver: request.id,
      reportRef: 'sha256:review',
    });
    const filed = replay(NORTHSEA, late.events, due + DAY, { keys: REGISTRY });
    expect(filed.current.reviews).toStrictEqual([]);
    expect(filed.current.findings).toStrictEqual([
      { kind: 'review-filed-late', waiver: request.id, due, filedAt: due + DAY },
    ]);
  });

  it('closes early when a party closes it, and the review is due from the close', () => {
    const early = new Timeline();
    early.events.push(...tl.events, {
      v: 1,
      id: 'close-1',
      at: A + HOUR,
      actor: 'BOR-LIAISON',
      type: 'waiver-closed',
      waiver: request.id,
      reason: 'incident contained',
    });
    const s = replay(NORTHSEA, early.events, A + HOUR, { keys: REGISTRY });
    expect(s.current.waivers).toStrictEqual([]);
    expect(s.current.reviews[0]).toMatchObject({ opened: A + HOUR, due: A + HOUR + 14 * DAY });
  });
});

describe('a waiver that tries to override a constraint is refused, naming every clause', () => {
  it('refuses special-category data and names the Arvenian constraint and the core rule', () => {
    const scope: WaiverScope = {
      agencies: ['BOR-CERT'],
      grants: {
        types: ['email-addr'],
        tlp: ['amber'],
        purposes: ['incident-response'],
        personalData: ['special-category'],
      },
    };
    const refusals = checkWaiverRequest(NORTHSEA, { scope, duration: 'PT96H', retention: 'P7D' });
    expect(refusals.map((r) => [r.reason, r.clause.kind, r.clause.id])).toStrictEqual([
      ['duration-exceeds-maximum', 'waiver-policy', 'waivers'],
      ['constraint', 'constraint', 'arv-no-special-category'],
      ['never-release', 'never-release', 'core-no-special-category'],
    ]);
    expect(refusals[1]?.clause.source?.line).toBeGreaterThan(0);

    const tl = new Timeline();
    const W0 = t('2026-05-10T06:00:00Z');
    const request = tl.waiver(W0, scope);
    tl.approve(W0 + 1, 'ARV-LIAISON', request);
    tl.approve(W0 + 2, 'BOR-LIAISON', request);
    const s = at(tl, W0 + 3);
    expect(waiverStatus(s.waivers[0]!, W0 + 3)).toBe('refused');
    expect(s.rejected.map((r) => r.reasons)).toStrictEqual([
      [`waiver \`${request.id}\` is refused`],
      [`waiver \`${request.id}\` is refused`],
    ]);
    expect(s.current.waivers).toStrictEqual([]);
  });

  it('refuses TLP:RED (a Calderan constraint, the core) and personal data (never-waive)', () => {
    const refusals = checkWaiverRequest(NORTHSEA, {
      scope: {
        agencies: ['CAL-CSIRT'],
        grants: {
          types: ['user-account'],
          tlp: ['red'],
          purposes: ['incident-response'],
          personalData: ['personal'],
        },
      },
      duration: 'PT24H',
      retention: 'P7D',
    });
    expect(refusals.map((r) => r.clause.id)).toStrictEqual([
      'cal-no-red',
      'core-no-red',
      'never-waive-personal',
    ]);
  });

  it('refuses every waiver when the agreement has no waiver policy', () => {
    const rest = { ...NORTHSEA };
    delete (rest as { waivers?: unknown }).waivers;
    expect(
      checkWaiverRequest(rest, { scope: HOSPITAL_SCOPE, duration: 'PT1H', retention: 'P1D' }),
    ).toStrictEqual([
      {
        reason: 'no-waiver-policy',
        clause: NORTHSEA.ref,
        message:
          'agreement `northsea-cti-compact` has no waiver policy, so no waiver can be granted',
      },
    ]);
  });
});

describe('a pause during a dispute stops releases from its instant (mid-pagination)', () => {
  const tl = new Timeline();
  const P0 = t('2026-06-02T09:30:00Z');
  const pause = tl.pause(P0, 'ARV', { toParties: ['BOR'] }, 'attribution of the May incident');
  const pages = [-2, -1, 0, 1, 2].map((i) => P0 + i);

  it('allows the pages before the pause instant and denies every page from it', () => {
    const toBor = pages.map((p) => decideAt(tl, release(p, 'BOR-CERT')).effect);
    expect(toBor).toStrictEqual(['allow', 'allow', 'deny', 'deny', 'deny']);
    const denied = decideAt(tl, release(P0, 'BOR-CERT'));
    expect(denied).toStrictEqual({
      effect: 'deny',
      stage: 'pause',
      deniedBy: [{ kind: 'pause', id: pause.id }],
    });
    // Decided later with the later state, the earlier pages still stand as they were.
    const later = decisionState(at(tl, P0 + 2));
    expect(pages.map((p) => engine.decide(release(p, 'BOR-CERT'), later).effect)).toStrictEqual(
      toBor,
    );
    // Other partners and Borealia's own sharing are not paused.
    expect(decideAt(tl, release(P0 + 1, 'CAL-CSIRT')).effect).toBe('allow');
    expect(decideAt(tl, release(P0 + 1, 'ARV-CERT', { producer: 'BOR' })).effect).toBe('allow');
  });

  it('opens a dispute at the first stage of the agreement’s path', () => {
    expect(at(tl, P0).disputes).toStrictEqual([
      {
        id: pause.id,
        party: 'ARV',
        subject: 'attribution of the May incident',
        openedAt: P0,
        pause: pause.id,
        stage: 'consultation',
        stageDue: P0 + 30 * DAY,
      },
    ]);
  });

  it('only the pausing party resumes', () => {
    const r = new Timeline();
    r.events.push(...tl.events);
    r.resume(P0 + HOUR, 'BOR', pause.id);
    const attempt = replay(NORTHSEA, r.events, P0 + HOUR, { keys: REGISTRY });
    expect(attempt.rejected.at(-1)?.reasons).toStrictEqual([
      `pause \`${pause.id}\` belongs to party \`ARV\``,
      'actor `BOR-LIAISON` does not speak for party `ARV`',
    ]);
    r.resume(P0 + 2 * HOUR, 'ARV', pause.id);
    expect(
      engine.decide(
        release(P0 + 2 * HOUR - 1, 'BOR-CERT'),
        decisionState(replay(NORTHSEA, r.events, P0 + 2 * HOUR)),
      ).effect,
    ).toBe('deny');
    expect(
      engine.decide(
        release(P0 + 2 * HOUR, 'BOR-CERT'),
        decisionState(replay(NORTHSEA, r.events, P0 + 2 * HOUR)),
      ).effect,
    ).toBe('allow');
  });
});

describe('time-limited authorities', () => {
  // Borealian threat-actor intel to the Arvenian CERT through the attribution cell needs the
  // Arvenian handling certification, which expires on 1 January 2027.
  const req = (at: number): DecisionRequest =>
    release(at, 'ARV-CERT', { type: 'threat-actor', tlp: 'green', producer: 'BOR' });

  it('a certification lapses at its exact expiry instant', () => {
    const tl = new Timeline();
    const expiry = t('2027-01-01T00:00:00Z');
    expect(decideAt(tl, req(expiry - 1))).toMatchObject({
      effect: 'allow',
      tier: 'attribution-cell',
    });
    expect(decideAt(tl, req(expiry)).effect).toBe('deny');
  });

  it('a revocation takes effect at its instant; a suspension sanction stops releases for its duration', () => {
    const tl = new Timeline();
    const X = t('2026-07-01T00:00:00Z');
    tl.add({
      v: 1,
      id: 'revoke-1',
      at: X,
      actor: 'ARV',
      type: 'certification-revoked',
      agency: 'ARV-CERT',
      certification: 'arv-handling-2026',
      reason: 'audit failure',
    });
    expect(decideAt(tl, req(X - 1)).effect).toBe('allow');
    expect(decideAt(tl, req(X)).effect).toBe('deny');

    const s = new Timeline();
    s.add({
      v: 1,
      id: 'sanction-1',
      at: X,
      actor: 'north-sea-oversight-board',
      type: 'sanction-applied',
      sanction: 'misuse-suspends-agency',
      finding: 'case-7',
      agency: 'CAL-CSIRT',
    });
    const toCal = (at: number) => decideAt(s, release(at, 'CAL-CSIRT')).effect;
    expect([toCal(X - 1), toCal(X), toCal(X + 90 * DAY - 1), toCal(X + 90 * DAY)]).toStrictEqual([
      'allow',
      'deny',
      'deny',
      'allow',
    ]);
  });
});
