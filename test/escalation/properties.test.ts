/**
 * Properties over random event histories on the North Sea compact:
 * - the live fold (`apply` as events arrive, `advance` whenever asked) equals `replay` of the
 *   stored history at every instant — the whole state, hence the same decisions;
 * - pauses, early closes, manual lowerings and shorter maximum durations never widen access:
 *   whatever is allowed with them is allowed without them.
 * Shrinking is off (a history is long and signed); fast-check reports the seed and path.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Agreement, PersonalData, Tlp } from '../../src/agreement/index.js';
import { parseDuration } from '../../src/core/index.js';
import {
  advance,
  apply,
  decisionState,
  initialState,
  replay,
  signApproval,
} from '../../src/escalation/index.js';
import type {
  EscalationEvent,
  EscalationProposed,
  WaiverRequested,
  WaiverScope,
} from '../../src/escalation/index.js';
import { compileAgreement } from '../../src/policy/index.js';
import type { DecideFn, DecisionRequest } from '../../src/policy/index.js';
import { propertyOptions, propertyRuns } from '../policy/runs.js';
import { FORGER, HOUR, NORTHSEA, OFFICIAL_KEYS, REGISTRY, t } from './timeline.js';
import type { OfficialId } from './timeline.js';

const START = t('2026-03-01T00:00:00Z');
const RUNS = propertyRuns(60, 500);
const PARTIES = ['ARV', 'BOR', 'CAL'] as const;
const OFFICIALS: OfficialId[] = ['ARV-LIAISON', 'BOR-LIAISON', 'CAL-LIAISON'];
const SCOPES: WaiverScope[] = [
  {
    agencies: ['BOR-FININT'],
    grants: {
      types: ['indicator'],
      tlp: ['amber'],
      purposes: ['incident-response'],
      personalData: ['none'],
    },
  },
  {
    agencies: ['ARV-NCSC', 'CAL-CSIRT'],
    grants: {
      types: ['incident', 'report'],
      tlp: ['green', 'amber'],
      purposes: ['threat-detection'],
      personalData: ['none'],
    },
  },
  {
    agencies: ['BOR-CERT'],
    grants: {
      types: ['email-addr'],
      tlp: ['amber'],
      purposes: ['incident-response'],
      personalData: ['personal'],
    },
  },
];
const PAUSE_SCOPES = [
  {},
  { toParties: ['BOR'] },
  { toAgencies: ['CAL-CSIRT'] },
  { types: ['indicator'] },
];

type Command =
  | { kind: 'rating'; party: number; rating: number }
  | { kind: 'grade'; grade: string; obj: number }
  | { kind: 'incidents'; count: number; rsit: 'intrusions' | 'fraud' }
  | { kind: 'propose'; trigger: 'risk-high' | 'intrusion-wave' }
  | { kind: 'approve'; official: number; forged: boolean; target: number }
  | { kind: 'waiver'; scope: number; duration: string }
  | { kind: 'close'; target: number }
  | { kind: 'review'; target: number }
  | { kind: 'pause'; party: number; scope: number }
  | { kind: 'resume'; target: number; byOwner: boolean }
  // Bursts that reach a quorum (two parties approving within a few ms), so histories often
  // hold raised levels and active waivers.
  | { kind: 'escalate'; party: number }
  | { kind: 'waive'; scope: number; duration: string; first: number };

const gap = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 10 }),
  fc.integer({ min: 1, max: 72 }).map((h) => h * HOUR),
  fc.integer({ min: 1, max: 5 * 24 * HOUR }),
);
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('rating' as const),
      party: fc.nat(2),
      rating: fc.constantFrom(0, 2, 3, 4, 5),
    }),
  },
  fc.record({
    kind: fc.constant('grade' as const),
    grade: fc.constantFrom('A1', 'B2', 'C3', 'B1'),
    obj: fc.nat(1),
  }),
  fc.record({
    kind: fc.constant('incidents' as const),
    count: fc.integer({ min: 1, max: 30 }),
    rsit: fc.constantFrom('intrusions' as const, 'fraud' as const),
  }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('propose' as const),
      trigger: fc.constantFrom('risk-high' as const, 'intrusion-wave' as const),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('approve' as const),
      official: fc.nat(2),
      forged: fc.nat(4).map((n) => n === 0),
      target: fc.nat(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('waiver' as const),
      scope: fc.nat(SCOPES.length - 1),
      duration: fc.constantFrom('PT1H', 'PT48H', 'PT72H', 'PT96H'),
    }),
  },
  fc.record({ kind: fc.constant('close' as const), target: fc.nat() }),
  fc.record({ kind: fc.constant('review' as const), target: fc.nat() }),
  fc.record({
    kind: fc.constant('pause' as const),
    party: fc.nat(2),
    scope: fc.nat(PAUSE_SCOPES.length - 1),
  }),
  fc.record({ kind: fc.constant('resume' as const), target: fc.nat(), byOwner: fc.boolean() }),
  fc.record({ kind: fc.constant('escalate' as const), party: fc.nat(2) }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('waive' as const),
      scope: fc.nat(SCOPES.length - 1),
      duration: fc.constantFrom('PT1H', 'PT48H', 'PT72H'),
      first: fc.nat(2),
    }),
  },
);

/** Turns commands into a signed, time-ordered history. */
function history(steps: readonly { gap: number; cmd: Command }[]): EscalationEvent[] {
  const events: EscalationEvent[] = [];
  const subjects: (EscalationProposed | WaiverRequested)[] = [];
  const waivers: string[] = [];
  const pauses: { id: string; party: string }[] = [];
  let at = START;
  const approve = (
    id: string,
    official: OfficialId,
    subject: EscalationProposed | WaiverRequested,
  ): void => {
    const kind = subject.type === 'escalation-proposed' ? 'escalation' : 'waiver';
    const action = kind === 'escalation' ? 'approve-escalation' : 'approve-waiver';
    const signature = signApproval(
      OFFICIAL_KEYS[official].privateKey,
      NORTHSEA,
      action,
      subject,
      official,
    );
    events.push({
      v: 1,
      id,
      at,
      actor: official,
      type: 'approval',
      official,
      subject: { kind, id: subject.id },
      signature,
    });
  };
  steps.forEach(({ gap: g, cmd }, i) => {
    at += g;
    const id = `e${i}`;
    const pick = <T>(list: readonly T[], n: number): T | undefined =>
      list[n % Math.max(1, list.length)];
    switch (cmd.kind) {
      case 'rating': {
        const party = PARTIES[cmd.party] ?? 'ARV';
        events.push({
          v: 1,
          id,
          at,
          actor: party,
          type: 'risk-rating-published',
          party,
          rating: cmd.rating,
          setBy: party,
          reason: 'r',
        });
        break;
      }
      case 'grade':
        events.push({
          v: 1,
          id,
          at,
          actor: 'ARV',
          type: 'intel-quality-observed',
          grade: cmd.grade,
          objectRef: `o${cmd.obj}`,
        });
        break;
      case 'incidents':
        events.push({
          v: 1,
          id,
          at,
          actor: 'ARV',
          type: 'incident-signal',
          rsit: cmd.rsit,
          tlp: 'amber',
          count: cmd.count,
        });
        break;
      case 'propose': {
        const level = cmd.trigger === 'risk-high' ? 'severe' : 'elevated';
        const e: EscalationProposed = {
          v: 1,
          id,
          at,
          actor: 'BOR',
          type: 'escalation-proposed',
          trigger: cmd.trigger,
          toLevel: level,
        };
        events.push(e);
        subjects.push(e);
        break;
      }
      case 'approve': {
        // Mostly the latest subject, so quorums are reached.
        const subject =
          subjects[subjects.length - 1 - (cmd.target % Math.min(2, Math.max(1, subjects.length)))];
        if (subject === undefined) break;
        const official = OFFICIALS[cmd.official] ?? 'ARV-LIAISON';
        const kind = subject.type === 'escalation-proposed' ? 'escalation' : 'waiver';
        const key = cmd.forged ? FORGER.privateKey : OFFICIAL_KEYS[official].privateKey;
        const signature = signApproval(
          key,
          NORTHSEA,
          kind === 'escalation' ? 'approve-escalation' : 'approve-waiver',
          subject,
          official,
        );
        events.push({
          v: 1,
          id,
          at,
          actor: official,
          type: 'approval',
          official,
          subject: { kind, id: subject.id },
          signature,
        });
        break;
      }
      case 'waiver': {
        const e: WaiverRequested = {
          v: 1,
          id,
          at,
          actor: 'ARV-LIAISON',
          type: 'waiver-requested',
          justification: 'j',
          scope: SCOPES[cmd.scope] ?? SCOPES[0]!,
          duration: cmd.duration,
          retention: 'P7D',
        };
        events.push(e);
        subjects.push(e);
        waivers.push(id);
        break;
      }
      case 'close':
      case 'review': {
        const waiver = pick(waivers, cmd.target);
        if (waiver === undefined) break;
        events.push(
          cmd.kind === 'close'
            ? { v: 1, id, at, actor: 'CAL', type: 'waiver-closed', waiver, reason: 'r' }
            : { v: 1, id, at, actor: 'CAL', type: 'waiver-review-filed', waiver, reportRef: 'h' },
        );
        break;
      }
      case 'pause': {
        const party = PARTIES[cmd.party] ?? 'ARV';
        events.push({
          v: 1,
          id,
          at,
          actor: party,
          type: 'pause',
          party,
          scope: PAUSE_SCOPES[cmd.scope] ?? {},
          reason: 'r',
        });
        pauses.push({ id, party });
        break;
      }
      case 'escalate': {
        const party = PARTIES[cmd.party] ?? 'ARV';
        events.push({
          v: 1,
          id: `${id}r`,
          at,
          actor: party,
          type: 'risk-rating-published',
          party,
          rating: 4,
          setBy: party,
          reason: 'r',
        });
        events.push({
          v: 1,
          id: `${id}g`,
          at,
          actor: 'ARV',
          type: 'intel-quality-observed',
          grade: 'B2',
          objectRef: 'o0',
        });
        const p: EscalationProposed = {
          v: 1,
          id: `${id}p`,
          at,
          actor: party,
          type: 'escalation-proposed',
          trigger: 'risk-high',
          toLevel: 'severe',
        };
        events.push(p);
        at += 1;
        approve(`${id}a1`, 'ARV-LIAISON', p);
        at += 1;
        approve(`${id}a2`, 'CAL-LIAISON', p);
        break;
      }
      case 'waive': {
        const w: WaiverRequested = {
          v: 1,
          id,
          at,
          actor: 'BOR-LIAISON',
          type: 'waiver-requested',
          justification: 'j',
          scope: SCOPES[cmd.scope] ?? SCOPES[0]!,
          duration: cmd.duration,
          retention: 'P7D',
        };
        events.push(w);
        waivers.push(id);
        at += 1;
        approve(`${id}a1`, OFFICIALS[cmd.first] ?? 'ARV-LIAISON', w);
        at += 1;
        approve(`${id}a2`, OFFICIALS[(cmd.first + 1) % 3] ?? 'BOR-LIAISON', w);
        break;
      }
      case 'resume': {
        const p = pick(pauses, cmd.target);
        if (p === undefined) break;
        const party = cmd.byOwner ? p.party : 'CAL';
        events.push({ v: 1, id, at, actor: party, type: 'resume', party, pause: p.id });
        break;
      }
    }
  });
  return events;
}

const arbHistory = fc
  .array(fc.record({ gap, cmd: command }), { minLength: 1, maxLength: 30 })
  .map(history);

const arbRequest = (from: number, to: number): fc.Arbitrary<DecisionRequest> =>
  fc.record({
    agency: fc.constantFrom('ARV-CERT', 'BOR-CERT', 'CAL-CSIRT', 'BOR-FININT', 'ARV-NCSC'),
    purpose: fc.constantFrom('incident-response', 'threat-detection'),
    at: fc.integer({ min: from, max: to }),
    object: fc.record({
      type: fc.constantFrom('indicator', 'incident', 'email-addr', 'report', 'ipv4-addr'),
      tlp: fc.constantFrom<Tlp>('green', 'amber'),
      personalData: fc.constantFrom<PersonalData>('none', 'personal'),
      producer: fc.constantFrom('ARV', 'BOR', 'CAL'),
      confidence: fc.constant(80),
    }),
  });

const ENGINE = compileAgreement(NORTHSEA);
const end = (events: readonly EscalationEvent[]): number =>
  (events.at(-1)?.at ?? START) + 20 * 24 * HOUR;

describe('the live fold equals replay at every instant', () => {
  it('apply + advance at random instants ≡ replay(history, t)', () => {
    let raisedSeen = 0;
    let waiversSeen = 0;
    fc.assert(
      fc.property(
        arbHistory.chain((events) =>
          fc.record({
            events: fc.constant(events),
            // Instants near events (where things change) and anywhere up to 20 days after.
            checks: fc
              .uniqueArray(
                fc.oneof(
                  fc
                    .tuple(
                      fc.nat(Math.max(0, events.length - 1)),
                      fc.integer({ min: 0, max: 12 * HOUR }),
                    )
                    .map(([i, d]) => (events[i]?.at ?? START) + d),
                  fc.integer({ min: START, max: end(events) }),
                ),
                { minLength: 1, maxLength: 8 },
              )
              .map((xs) => [...xs].sort((a, b) => a - b)),
            requests: fc.array(arbRequest(START, end(events)), { minLength: 5, maxLength: 5 }),
          }),
        ),
        ({ events, checks, requests }) => {
          let live = initialState(NORTHSEA, { keys: REGISTRY });
          let next = 0;
          for (const c of checks) {
            for (; next < events.length && events[next]!.at <= c; next++)
              live = apply(live, events[next]!);
            live = advance(live, c);
            const replayed = replay(NORTHSEA, events, c, { keys: REGISTRY });
            if (!isDeepStrictEqual(live, replayed)) expect(live).toStrictEqual(replayed);
            for (const r of requests) {
              const req = { ...r, at: c };
              expect(ENGINE.decide(req, decisionState(live))).toStrictEqual(
                ENGINE.decide(req, decisionState(replayed)),
              );
            }
            if (replayed.current.level.index > 0) raisedSeen += 1;
            if (replayed.current.waivers.length > 0) waiversSeen += 1;
          }
        },
      ),
      propertyOptions(RUNS),
    );
    // The generator must reach raised levels and active waivers, or the property proves little.
    console.info('replay property reached', { raisedSeen, waiversSeen });
    expect(raisedSeen).toBeGreaterThan(0);
    expect(waiversSeen).toBeGreaterThan(0);
  });
});

/** Every request allowed in `narrow` is allowed in `wide`, each decided in the state at its instant. */
function neverWider(
  narrowEngine: DecideFn,
  narrow: (at: number) => ReturnType<typeof decisionState>,
  wide: (at: number) => ReturnType<typeof decisionState>,
  requests: readonly DecisionRequest[],
): number {
  let allowed = 0;
  for (const req of requests) {
    const n = narrowEngine(req, narrow(req.at));
    if (n.effect !== 'allow') continue;
    allowed += 1;
    const w = ENGINE.decide(req, wide(req.at));
    if (w.effect !== 'allow') expect({ req, narrow: n, wide: w }).toBeUndefined();
  }
  return allowed;
}

const withExtra = fc.tuple(arbHistory, fc.nat(), fc.nat(), fc.nat());

describe('pauses, early expiries, lowered levels and shorter durations never widen access', () => {
  const opts = { keys: REGISTRY };
  const stateAt = (agreement: Agreement, events: readonly EscalationEvent[]) => (at: number) =>
    decisionState(replay(agreement, events, at, opts));

  it('inserting a pause, a waiver close or a signed manual lowering never allows more', () => {
    fc.assert(
      fc.property(
        withExtra.chain(([events, where, what, which]) =>
          fc.record({
            events: fc.constant(events),
            where: fc.constant(where),
            what: fc.constant(what),
            which: fc.constant(which),
            requests: fc.array(arbRequest(START, end(events)), { minLength: 15, maxLength: 15 }),
          }),
        ),
        ({ events, where, what, which, requests }) => {
          const i = where % (events.length + 1);
          const at = events[i]?.at ?? events.at(-1)?.at ?? START;
          const waivers = events.filter((e) => e.type === 'waiver-requested');
          let extra: EscalationEvent;
          if (what % 3 === 0) {
            const party = PARTIES[which % 3] ?? 'ARV';
            extra = {
              v: 1,
              id: 'x',
              at,
              actor: party,
              type: 'pause',
              party,
              scope: PAUSE_SCOPES[which % PAUSE_SCOPES.length] ?? {},
              reason: 'r',
            };
          } else if (what % 3 === 1 && waivers.length > 0) {
            extra = {
              v: 1,
              id: 'x',
              at,
              actor: 'CAL',
              type: 'waiver-closed',
              waiver: waivers[which % waivers.length]!.id,
              reason: 'r',
            };
          } else {
            const trigger = which % 2 === 0 ? 'risk-high' : 'intrusion-wave';
            const unsigned = {
              v: 1 as const,
              id: 'x',
              at,
              actor: 'CAL-LIAISON',
              type: 'level-lowered' as const,
              trigger,
              reason: 'manual' as const,
              official: 'CAL-LIAISON',
            };
            extra = {
              ...unsigned,
              signature: signApproval(
                OFFICIAL_KEYS['CAL-LIAISON'].privateKey,
                NORTHSEA,
                'lower',
                unsigned,
                'CAL-LIAISON',
              ),
            };
          }
          const narrowed = [...events.slice(0, i), extra, ...events.slice(i)];
          neverWider(
            ENGINE.decide,
            stateAt(NORTHSEA, narrowed),
            stateAt(NORTHSEA, events),
            requests,
          );
        },
      ),
      propertyOptions(RUNS),
    );
  });

  it('shorter max durations (sunsets, waivers) never allow more', () => {
    const P = (text: string) => parseDuration(text)!;
    const shorter: Agreement = {
      ...NORTHSEA,
      triggers: NORTHSEA.triggers.map((tr) => ({
        ...tr,
        maxDuration: tr.id === 'risk-high' ? P('P2D') : P('PT12H'),
      })),
      waivers: { ...NORTHSEA.waivers!, maxDuration: P('PT24H') },
    };
    const shortEngine = compileAgreement(shorter);
    let allowedTotal = 0;
    fc.assert(
      fc.property(
        arbHistory.chain((events) =>
          fc.record({
            events: fc.constant(events),
            requests: fc.array(arbRequest(START, end(events)), { minLength: 15, maxLength: 15 }),
          }),
        ),
        ({ events, requests }) => {
          allowedTotal += neverWider(
            shortEngine.decide,
            stateAt(shorter, events),
            stateAt(NORTHSEA, events),
            requests,
          );
        },
      ),
      propertyOptions(RUNS),
    );
    expect(allowedTotal).toBeGreaterThan(0);
  });
});
