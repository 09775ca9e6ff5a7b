/**
 * The onward-sharing rule and its hop-by-hop attenuation, in isolation (pure functions of
 * src/release/onward.ts), named by what each case would leak.
 */
import { describe, expect, it } from 'vitest';
import type { HandlingStamp } from '../../src/intel/index.js';
import { attenuateOnward, onwardRule, withoutStamp } from '../../src/release/index.js';
import type { Allow } from '../../src/policy/index.js';
import { CONCORDAT_HANDLING_EXTENSION_ID, stampHandling } from '../../src/intel/index.js';

const PARTY: Record<string, string> = {
  'ARV-CERT': 'ARV',
  'BOR-CERT': 'BOR',
  'BOR-FININT': 'BOR',
  'CAL-CSIRT': 'CAL',
};
const ctx = { holderParty: 'BOR', partyOf: (a: string) => PARTY[a] };
const A = 'northsea-cti-compact';
const DAY = 86_400_000;
const T = Date.UTC(2026, 2, 3, 14);

function stamp(over: Partial<HandlingStamp> = {}): HandlingStamp {
  return {
    agreementId: A,
    agreementVersion: 3,
    purpose: 'incident-response',
    tier: 'operational',
    level: 'baseline',
    retainUntil: new Date(T + 30 * DAY).toISOString(),
    pap: 'amber',
    onwardSharing: 'same-party',
    ledgerEntry: '4',
    ...over,
  };
}

const allow = {
  effect: 'allow',
  allowedBy: [],
  byWaiver: false,
  tier: 'operational',
  obligations: {
    retainUntil: T + 90 * DAY,
    minimise: {},
    handling: { pap: 'clear', onwardSharing: 'agreement-parties' },
  },
} as unknown as Allow;

describe('onward sharing', () => {
  it('own and unstamped objects are the agreement’s alone to decide', () => {
    expect(onwardRule(ctx, 'BOR', stamp({ onwardSharing: 'none' }), A, 'CAL-CSIRT').allow).toBe(
      true,
    );
    expect(onwardRule(ctx, 'ARV', undefined, A, 'CAL-CSIRT').allow).toBe(true);
  });

  const refusals: [string, string, HandlingStamp, string, string][] = [
    ['back-to-producer', 'ARV', stamp({ onwardSharing: 'agreement-parties' }), A, 'ARV-CERT'],
    ['same-party-to-third-party', 'ARV', stamp(), A, 'CAL-CSIRT'],
    ['none-to-own-party', 'ARV', stamp({ onwardSharing: 'none' }), A, 'BOR-FININT'],
    ['none-to-receiving-party-agency', 'ARV', stamp({ onwardSharing: 'none' }), A, 'BOR-CERT'],
    [
      'laundered-through-another-agreement',
      'ARV',
      stamp({ onwardSharing: 'agreement-parties' }),
      'other-compact',
      'CAL-CSIRT',
    ],
    ['unknown-agency', 'ARV', stamp({ onwardSharing: 'agreement-parties' }), A, 'XYZ-CERT'],
  ];
  for (const [name, producer, s, agreement, agency] of refusals)
    it(`refuses ${name}`, () => {
      expect(onwardRule(ctx, producer, s, agreement, agency).allow).toBe(false);
    });

  it('allows same-party within the holder party and agreement-parties to a third party', () => {
    expect(onwardRule(ctx, 'ARV', stamp(), A, 'BOR-FININT')).toMatchObject({
      allow: true,
      crossesParty: false,
    });
    expect(
      onwardRule(ctx, 'ARV', stamp({ onwardSharing: 'agreement-parties' }), A, 'CAL-CSIRT'),
    ).toMatchObject({
      allow: true,
      crossesParty: true,
    });
  });

  it('attenuates hop by hop: stricter PAP, earlier deadline, one step narrower across a border', () => {
    const third = onwardRule(
      ctx,
      'ARV',
      stamp({ onwardSharing: 'agreement-parties', pap: 'red' }),
      A,
      'CAL-CSIRT',
    );
    const a = attenuateOnward(allow, third);
    expect(a.obligations.handling).toEqual({ pap: 'red', onwardSharing: 'same-party' });
    expect(a.obligations.retainUntil).toBe(T + 30 * DAY);
    const own = onwardRule(
      ctx,
      'ARV',
      stamp({ onwardSharing: 'agreement-parties' }),
      A,
      'BOR-FININT',
    );
    expect(attenuateOnward(allow, own).obligations.handling).toEqual({
      pap: 'amber',
      onwardSharing: 'agreement-parties',
    });
    // The holder's own stricter decision wins over a looser stamp.
    const strict = {
      ...allow,
      obligations: {
        ...allow.obligations,
        retainUntil: T + DAY,
        handling: { pap: 'red', onwardSharing: 'none' },
      },
    } as Allow;
    expect(attenuateOnward(strict, own).obligations).toMatchObject({
      retainUntil: T + DAY,
      handling: { pap: 'red', onwardSharing: 'none' },
    });
  });

  it('strips the received stamp before a new one is made', () => {
    const o = { type: 'indicator', id: 'indicator--00000000-0000-4000-8000-000000000000' };
    expect(withoutStamp(stampHandling(o, stamp()))).toEqual(o);
    const other = { ...o, extensions: { 'x-keep': { a: 1 } } };
    const stripped = withoutStamp(stampHandling(other, stamp()));
    expect(stripped).toEqual(other);
    expect(CONCORDAT_HANDLING_EXTENSION_ID in ((stripped.extensions ?? {}) as object)).toBe(false);
  });
});
