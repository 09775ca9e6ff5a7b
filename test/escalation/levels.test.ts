/**
 * Scenarios from the seed: "escalation / de-escalation on objective triggers". A national risk
 * rating rises and the level follows only after a valid quorum; it falls and the level lowers
 * only once the hysteresis window has passed; a raised level sunsets exactly at max_duration.
 */
import { describe, expect, it } from 'vitest';
import type { Agreement, Official } from '../../src/agreement/index.js';
import { evaluateTriggers, replay } from '../../src/escalation/index.js';
import type { EscalationState } from '../../src/escalation/index.js';
import { DAY, FORGER, HOUR, NORTHSEA, REGISTRY, t, Timeline } from './timeline.js';

const at = (tl: Timeline, instant: number, agreement: Agreement = NORTHSEA): EscalationState =>
  replay(agreement, tl.events, instant, { keys: REGISTRY });

/** 1 March: Arvenia raises its national rating to 4 on B2 intelligence, and proposes. */
function riskRises(agreement: Agreement = NORTHSEA) {
  const tl = new Timeline(agreement);
  const T0 = t('2026-03-01T08:00:00Z');
  tl.rating(T0, 'ARV', 4);
  tl.grade(T0 + 60_000, 'B2');
  const proposal = tl.propose(T0 + 10 * 60_000, 'risk-high', 'severe');
  return { tl, T0, proposal };
}

describe('a risk rating rises and the level follows after approval', () => {
  it('proposes, waits for a quorum of two parties, then raises at the approving instant', () => {
    const { tl, T0, proposal } = riskRises();
    const evaluated = evaluateTriggers(NORTHSEA, at(tl, T0 + 60_000), T0 + 60_000);
    expect(evaluated.find((e) => e.trigger === 'risk-high')).toMatchObject({
      when: { holds: true, since: T0 + 60_000 },
      next: 'propose',
    });
    tl.approve(T0 + HOUR, 'ARV-LIAISON', proposal);
    const quorum = T0 + 2 * HOUR;
    tl.approve(quorum, 'BOR-LIAISON', proposal);

    const before = at(tl, quorum - 1);
    expect(before.current.level.id).toBe('baseline');
    expect(before.proposals[0]?.status).toBe('pending');
    expect(before.proposals[0]?.approvals).toHaveLength(1);

    const after = at(tl, quorum);
    expect(after.current.level).toMatchObject({ id: 'severe', index: 2, since: quorum });
    const cause = after.current.level.cause;
    expect(cause?.trigger).toBe('risk-high');
    expect(cause?.expiresAt).toBe(quorum + 14 * DAY);
    expect(cause?.approvals.map((a) => [a.official, a.problems])).toStrictEqual([
      ['ARV-LIAISON', []],
      ['BOR-LIAISON', []],
    ]);
    expect(after.transitions).toStrictEqual([
      {
        at: quorum,
        kind: 'raised',
        reason: 'approved',
        trigger: 'risk-high',
        raise: proposal.id,
        from: 0,
        to: 2,
      },
    ]);
  });

  it('does not raise on one official approving twice', () => {
    const { tl, T0, proposal } = riskRises();
    tl.approve(T0 + HOUR, 'ARV-LIAISON', proposal);
    tl.approve(T0 + 2 * HOUR, 'ARV-LIAISON', proposal);
    const s = at(tl, T0 + 3 * HOUR);
    expect(s.current.level.id).toBe('baseline');
    expect(s.proposals[0]?.approvals.map((a) => a.problems)).toStrictEqual([[], ['duplicate']]);
  });

  it('does not raise on two officials of one party when distinct parties are required', () => {
    const deputy: Official = {
      id: 'ARV-DEPUTY',
      party: 'ARV',
      roles: ['approver'],
      ref: { kind: 'official', id: 'ARV-DEPUTY' },
    };
    const withDeputy: Agreement = { ...NORTHSEA, officials: [...NORTHSEA.officials, deputy] };
    const { tl, T0, proposal } = riskRises(withDeputy);
    tl.approve(T0 + HOUR, 'ARV-LIAISON', proposal);
    tl.approve(T0 + 2 * HOUR, 'ARV-DEPUTY', proposal);
    const s = at(tl, T0 + 3 * HOUR, withDeputy);
    expect(s.proposals[0]?.approvals.every((a) => a.problems.length === 0)).toBe(true);
    expect(s.current.level.id).toBe('baseline');
    // A second party completes the quorum.
    tl.approve(T0 + 4 * HOUR, 'CAL-LIAISON', proposal);
    expect(at(tl, T0 + 4 * HOUR, withDeputy).current.level.id).toBe('severe');
  });

  it('does not raise on a forged approval signature, nor on an official not in the agreement', () => {
    const { tl, T0, proposal } = riskRises();
    tl.approve(T0 + HOUR, 'ARV-LIAISON', proposal);
    tl.approve(T0 + 2 * HOUR, 'BOR-LIAISON', proposal, FORGER.privateKey);
    tl.approve(T0 + 3 * HOUR, 'ARV-DEPUTY', proposal);
    const s = at(tl, T0 + 4 * HOUR);
    expect(s.current.level.id).toBe('baseline');
    expect(s.proposals[0]?.approvals.map((a) => a.problems)).toStrictEqual([
      [],
      ['bad-signature'],
      ['unknown-official'],
    ]);
    // An approval signed over another proposal does not transfer either.
    const other = tl.propose(T0 + 5 * HOUR, 'risk-high', 'severe');
    expect(at(tl, T0 + 5 * HOUR).rejected.map((r) => r.id)).toContain(other.id);
  });

  it('is not proposed while the condition does not hold, and a pending proposal lapses when it stops', () => {
    const tl = new Timeline();
    const T0 = t('2026-03-01T08:00:00Z');
    tl.rating(T0, 'ARV', 4);
    const early = tl.propose(T0 + 1, 'risk-high', 'severe'); // no B2 intelligence yet
    tl.grade(T0 + 2, 'C3');
    tl.grade(T0 + 3, 'A2', 'sha256:obj-2');
    const proposal = tl.propose(T0 + 4, 'risk-high', 'severe');
    tl.approve(T0 + 5, 'ARV-LIAISON', proposal);
    tl.rating(T0 + 6, 'ARV', 3);
    tl.approve(T0 + 7, 'BOR-LIAISON', proposal);
    const s = at(tl, T0 + 8);
    expect(s.rejected.find((r) => r.id === early.id)?.reasons).toStrictEqual([
      'the condition of trigger `risk-high` does not hold',
    ]);
    expect(s.proposals.find((p) => p.id === proposal.id)).toMatchObject({
      status: 'lapsed',
      closedAt: T0 + 6,
    });
    expect(s.current.level.id).toBe('baseline');
  });
});

/** Raised to severe at R; returns the timeline. */
function raised() {
  const { tl, T0, proposal } = riskRises();
  tl.approve(T0 + HOUR, 'ARV-LIAISON', proposal);
  const R = T0 + 2 * HOUR;
  tl.approve(R, 'CAL-LIAISON', proposal);
  return { tl, R };
}

describe('the risk falls and the level lowers only after the hysteresis window', () => {
  it('lowers exactly when all ratings have been below 3 for P3D, and not if the hold breaks', () => {
    const { tl, R } = raised();
    const F = R + DAY;
    tl.rating(F, 'ARV', 2);
    // A blip at F + 1 day breaks the hold; it starts again when the rating falls back.
    tl.rating(F + DAY, 'BOR', 3);
    tl.rating(F + DAY + HOUR, 'BOR', 1);
    const hold = F + DAY + HOUR;
    expect(at(tl, F + 3 * DAY).current.level.id).toBe('severe');
    expect(at(tl, hold + 3 * DAY - 1).current.level.id).toBe('severe');
    const lowered = at(tl, hold + 3 * DAY);
    expect(lowered.current.level).toStrictEqual({
      index: 0,
      id: 'baseline',
      since: hold + 3 * DAY,
    });
    expect(lowered.transitions.at(-1)).toMatchObject({
      at: hold + 3 * DAY,
      kind: 'lowered',
      reason: 'hysteresis',
      from: 2,
      to: 0,
    });
    const ev = evaluateTriggers(NORTHSEA, at(tl, hold + DAY), hold + DAY).find(
      (e) => e.trigger === 'risk-high',
    );
    expect(ev?.lower).toStrictEqual({
      holds: true,
      since: hold,
      completesAt: hold + 3 * DAY,
      held: false,
    });
  });

  it('an automatic trigger follows incident counts in its sliding window, both ways', () => {
    const tl = new Timeline();
    const S = t('2026-04-01T00:00:00Z');
    tl.incidents(S, 20);
    tl.incidents(S + HOUR, 4, 'fraud'); // another class: not counted
    expect(at(tl, S + 2 * HOUR).current.level.id).toBe('baseline');
    tl.incidents(S + 3 * HOUR, 6);
    const up = at(tl, S + 3 * HOUR);
    expect(up.current.level).toMatchObject({ id: 'elevated', since: S + 3 * HOUR });
    expect(up.current.level.cause?.id).toBe(`auto:intrusion-wave@${S + 3 * HOUR}`);
    // The first 20 leave the window at S + 24 h, leaving 6 > 5; 24 h after the last signal the
    // count is 0 ≤ 5, and it must stay so for P2D.
    const quiet = S + 3 * HOUR + DAY;
    expect(at(tl, quiet + 2 * DAY - 1).current.level.id).toBe('elevated');
    const down = at(tl, quiet + 2 * DAY);
    expect(down.current.level.id).toBe('baseline');
    expect(down.transitions.at(-1)).toMatchObject({ at: quiet + 2 * DAY, reason: 'hysteresis' });
  });

  it('an official of the trigger’s roles can lower by hand, signed; a forged lowering is refused', () => {
    const { tl, R } = raised();
    const manual = tl.lower(R + HOUR, 'CAL-LIAISON', 'risk-high');
    const s = at(tl, R + HOUR);
    expect(s.current.level.id).toBe('baseline');
    expect(s.transitions.at(-1)).toMatchObject({ at: manual.at, reason: 'manual' });

    const { tl: tl2, R: R2 } = raised();
    const forged = tl2.lower(R2 + HOUR, 'CAL-LIAISON', 'risk-high');
    if (forged.reason !== 'manual') throw new Error('manual lowering expected');
    tl2.events[tl2.events.length - 1] = { ...forged, official: 'BOR-LIAISON' };
    const s2 = at(tl2, R2 + HOUR);
    expect(s2.current.level.id).toBe('severe');
    expect(s2.rejected.at(-1)?.reasons).toStrictEqual(['official `BOR-LIAISON`: bad-signature']);
  });
});

describe('a raised level sunsets exactly at max_duration unless renewed', () => {
  it('falls back at raisedAt + P14D to the lowest level', () => {
    const { tl, R } = raised();
    expect(at(tl, R + 14 * DAY - 1).current.level.id).toBe('severe');
    const s = at(tl, R + 14 * DAY);
    expect(s.current.level).toStrictEqual({ index: 0, id: 'baseline', since: R + 14 * DAY });
    expect(s.transitions.at(-1)).toMatchObject({
      at: R + 14 * DAY,
      kind: 'lowered',
      reason: 'sunset',
    });
  });

  it('falls back to the highest level another raise still justifies', () => {
    const { tl, R } = raised();
    tl.incidents(R + 13 * DAY, 30);
    const s = at(tl, R + 14 * DAY);
    expect(s.current.level.id).toBe('elevated');
    expect(s.current.level.cause?.trigger).toBe('intrusion-wave');
  });

  it('is renewed through the same procedure: a new proposal and quorum move the sunset', () => {
    const { tl, R } = raised();
    const renewal = tl.propose(R + 13 * DAY, 'risk-high', 'severe');
    tl.approve(R + 13 * DAY + HOUR, 'BOR-LIAISON', renewal);
    expect(at(tl, R + 14 * DAY).current.level.id).toBe('baseline'); // one approval is not enough
    const { tl: tl2, R: R2 } = raised();
    const renewal2 = tl2.propose(R2 + 13 * DAY, 'risk-high', 'severe');
    tl2.approve(R2 + 13 * DAY + HOUR, 'BOR-LIAISON', renewal2);
    const N = R2 + 13 * DAY + 2 * HOUR;
    tl2.approve(N, 'CAL-LIAISON', renewal2);
    const s = at(tl2, R2 + 14 * DAY);
    expect(s.current.level.id).toBe('severe');
    expect(s.current.level.cause).toMatchObject({
      raisedAt: R2,
      renewals: [N],
      expiresAt: N + 14 * DAY,
    });
    expect(at(tl2, N + 14 * DAY).current.level.id).toBe('baseline');
  });
});
