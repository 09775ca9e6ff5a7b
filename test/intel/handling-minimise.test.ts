import { createSecretKey } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_MINIMISATION, type Minimisation } from '../../src/agreement/index.js';
import {
  CONCORDAT_HANDLING_EXTENSION_DEFINITION,
  CONCORDAT_HANDLING_EXTENSION_ID,
  CONCORDAT_IDENTITY,
  coarsenIpv4,
  coarsenIpv6,
  isConcordatErrorLike,
  minimise,
  readHandling,
  stampHandling,
  validateStixBundle,
  validateStixObject,
  type HandlingStamp,
} from './intel-api.js';
import {
  EMAIL,
  IDENTITY,
  INDICATOR,
  IPV4,
  RELATIONSHIP,
  USER,
  oasisExamples,
  type Json,
} from './fixtures.js';
import { minimiseReference } from './minimise-reference.js';

const STAMP: HandlingStamp = {
  agreementId: 'northsea-cti-compact',
  agreementVersion: 3,
  purpose: 'incident-response',
  tier: 'operational',
  level: 'baseline',
  retainUntil: '2026-06-01T00:00:00.000Z',
  pap: 'amber',
  onwardSharing: 'none',
  ledgerEntry: 'ledger:ARV:1042',
};

describe('Concordat handling extension', () => {
  it('publishes a valid extension definition created by the Concordat identity', () => {
    const r = validateStixBundle({
      type: 'bundle',
      id: 'bundle--7a3e8a2c-3e47-4b0f-9b0a-6f0e4f1d2c3b',
      objects: [CONCORDAT_IDENTITY, CONCORDAT_HANDLING_EXTENSION_DEFINITION],
    });
    expect(r.issues).toEqual([]);
    expect(CONCORDAT_HANDLING_EXTENSION_DEFINITION.extension_types).toEqual(['property-extension']);
    expect(JSON.parse(CONCORDAT_HANDLING_EXTENSION_DEFINITION.schema as string).required).toContain(
      'retain_until',
    );
  });
  it.each([INDICATOR, EMAIL, IDENTITY, RELATIONSHIP])(
    'a stamped $type still validates against the official schemas',
    (o) => {
      const stamped = stampHandling(o, STAMP);
      expect(validateStixObject(stamped).issues).toEqual([]);
      expect(readHandling(stamped)).toEqual(STAMP);
      expect(o.extensions).toBeUndefined();
      expect(Object.keys(stamped.extensions as Json)).toEqual([CONCORDAT_HANDLING_EXTENSION_ID]);
    },
  );
  it('reads a malformed stamp as absent and refuses a bad deadline', () => {
    const stamped = stampHandling(INDICATOR, STAMP) as Json;
    const ext = (stamped.extensions as Record<string, Json>)[CONCORDAT_HANDLING_EXTENSION_ID]!;
    expect(
      readHandling({
        extensions: { [CONCORDAT_HANDLING_EXTENSION_ID]: { ...ext, pap: 'purple' } },
      }),
    ).toBeUndefined();
    expect(
      readHandling({
        extensions: { [CONCORDAT_HANDLING_EXTENSION_ID]: { ...ext, retain_until: '2026-06-01' } },
      }),
    ).toBeUndefined();
    expect(readHandling(INDICATOR)).toBeUndefined();
    expect(() => stampHandling(INDICATOR, { ...STAMP, retainUntil: 'soon' })).toThrow(RangeError);
  });
});

describe('IP coarsening', () => {
  it.each([
    ['198.51.100.23', 24, '198.51.100.0/24'],
    ['198.51.100.23', 16, '198.51.0.0/16'],
    ['198.51.100.0/22', 24, '198.51.100.0/22'],
    ['10.1.2.3', 0, '0.0.0.0/0'],
    ['10.1.2.3', 32, '10.1.2.3'],
  ])('ipv4 %s /%i → %s', (v, p, want) => expect(coarsenIpv4(v, p)).toBe(want));
  it.each([
    ['2001:db8:85a3::8a2e:370:7334', 48, '2001:db8:85a3::/48'],
    ['2001:db8:85a3::8a2e:370:7334', 56, '2001:db8:85a3::/56'],
    ['2001:0db8:85a3:1234:5678:8a2e:0370:7334', 52, '2001:db8:85a3:1000::/52'],
    ['::ffff:198.51.100.23', 120, '::ffff:c633:6400/120'],
  ])('ipv6 %s /%i → %s', (v, p, want) => expect(coarsenIpv6(v, p)).toBe(want));
  it('refuses non-addresses', () => {
    for (const bad of ['1.2.3', '256.1.1.1', '1.2.3.4/33', 'a.b.c.d', '01.2.3.4'])
      expect(coarsenIpv4(bad, 24)).toBeUndefined();
    for (const bad of ['1::2::3', 'g::1', '1:2:3:4:5:6:7:8:9', '::1/129'])
      expect(coarsenIpv6(bad, 48)).toBeUndefined();
  });
});

const KEY = { pseudonymKey: new Uint8Array(32).fill(7), agreementId: 'northsea-cti-compact' };
const OTHER_KEY = { pseudonymKey: new Uint8Array(32).fill(8), agreementId: 'northsea-cti-compact' };
const STRICT: Minimisation = {
  drop: ['email-addr.display_name', 'user-account.display_name'],
  pseudonymise: ['email-addr.value', 'user-account.account_login', 'user-account.user_id'],
  ipv4Prefix: 24,
  ipv6Prefix: 48,
  timePrecisionMs: 3_600_000,
  stripSourceRefs: true,
};
const SAMPLES: readonly Json[] = [INDICATOR, EMAIL, IPV4, USER, RELATIONSHIP, IDENTITY];

describe('minimise', () => {
  it('pseudonymises, coarsens, strips — and the result is valid STIX', () => {
    const email = minimise(EMAIL, STRICT, KEY);
    expect(email.value).toMatch(/^[0-9a-f]{32}@pseudonym\.invalid$/);
    expect(email.display_name).toBeUndefined();
    expect(email.id).not.toBe(EMAIL.id);
    expect(email.id).toMatch(/^email-addr--[0-9a-f]{8}-[0-9a-f]{4}-4/);
    const ind = minimise(INDICATOR, STRICT, KEY);
    expect(ind.pattern).toBe(
      "[ipv4-addr:value = '198.51.100.0/24'] OR [ipv6-addr:value = '2001:db8:85a3::/48']",
    );
    expect(ind.created_by_ref).toBeUndefined();
    expect(ind.x_arv_analyst).toBeUndefined();
    expect(ind.external_references).toEqual([{ source_name: 'capec', external_id: 'CAPEC-163' }]);
    expect(ind.created).toBe('2024-03-01T10:00:00.000Z');
    expect(ind.valid_until).toBe('2024-06-01T00:00:00.000Z');
    expect(minimise(IPV4, STRICT, KEY).value).toBe('198.51.100.0/24');
    for (const o of SAMPLES)
      expect(validateStixObject(minimise(o, STRICT, KEY)).issues).toEqual([]);
  });
  it('hides pseudonymised values inside indicator patterns', () => {
    const ind = {
      ...INDICATOR,
      pattern: "[email-addr:value = 'alice.phish@example.com' AND file:hashes.'SHA-256' = 'aa']",
    };
    const out = minimise(ind, STRICT, KEY);
    expect(out.pattern).toBe(
      `[email-addr:value = '${minimise(EMAIL, STRICT, KEY).value as string}' AND file:hashes.'SHA-256' = 'aa']`,
    );
  });
  it('remaps SCO references consistently with the SCO ids', () => {
    const observed = {
      type: 'observed-data',
      spec_version: '2.1',
      id: 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf',
      created: '2024-03-01T10:15:30.123Z',
      modified: '2024-03-01T10:15:30.123Z',
      first_observed: '2024-03-01T10:15:30.123Z',
      last_observed: '2024-03-01T10:15:30.123Z',
      number_observed: 1,
      object_refs: [EMAIL.id, IPV4.id],
    };
    const out = minimise(observed, STRICT, KEY);
    expect(out.object_refs).toEqual([
      minimise(EMAIL, STRICT, KEY).id,
      minimise(IPV4, STRICT, KEY).id,
    ]);
    expect(validateStixObject(out).issues).toEqual([]);
  });
  it('replaces a dropped required property by a token rather than invalidating the object', () => {
    const out = minimise(EMAIL, { ...NO_MINIMISATION, drop: ['email-addr.value'] }, KEY);
    expect(out.value).toMatch(/@pseudonym\.invalid$/);
    expect(validateStixObject(out).valid).toBe(true);
  });
  it('removes granular markings whose selectors no longer resolve', () => {
    const o = {
      ...INDICATOR,
      granular_markings: [
        {
          marking_ref: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
          selectors: ['x_arv_analyst'],
        },
        {
          marking_ref: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
          selectors: ['name', 'external_references.[0].external_id'],
        },
      ],
    };
    const out = minimise(o, STRICT, KEY);
    expect(out.granular_markings).toEqual([
      {
        marking_ref: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
        selectors: ['name'],
      },
    ]);
  });
  it('never mutates its input', () => {
    const before = structuredClone(SAMPLES);
    for (const o of SAMPLES) minimise(o, STRICT, KEY);
    expect(SAMPLES).toEqual(before);
  });
  it('accepts a KeyObject and rejects a short key', () => {
    const k = {
      pseudonymKey: createSecretKey(new Uint8Array(32).fill(7)),
      agreementId: KEY.agreementId,
    };
    expect(minimise(EMAIL, STRICT, k)).toEqual(minimise(EMAIL, STRICT, KEY));
    let err: unknown;
    try {
      minimise(EMAIL, STRICT, { ...KEY, pseudonymKey: new Uint8Array(4) });
    } catch (e) {
      err = e;
    }
    expect(isConcordatErrorLike(err, 'ERR_KEY_INVALID')).toBe(true);
  });
  it('is the identity (but for a copy) under NO_MINIMISATION', () => {
    for (const o of SAMPLES) expect(minimise(o, NO_MINIMISATION, KEY)).toEqual(o);
  });
});

const minimisation = fc.record({
  drop: fc.subarray([
    'email-addr.display_name',
    'indicator.description',
    '*.labels',
    'user-account.display_name',
    'email-addr.value',
  ]),
  pseudonymise: fc.subarray([
    'email-addr.value',
    'user-account.user_id',
    'user-account.account_login',
    'indicator.name',
    '*.name',
  ]),
  ipv4Prefix: fc.integer({ min: 0, max: 32 }),
  ipv6Prefix: fc.integer({ min: 0, max: 128 }),
  timePrecisionMs: fc.constantFrom(0, 1000, 60_000, 3_600_000, 86_400_000),
  stripSourceRefs: fc.boolean(),
});
const emailValue = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9]{1,10}$/),
    fc.constantFrom('example.com', 'mail.example.org'),
  )
  .map(([l, d]) => `${l}@${d}`);
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
const object = fc.oneof(
  emailValue.map((value) => ({ ...EMAIL, value })),
  ipv4.map((value) => ({ ...IPV4, value })),
  fc.tuple(ipv4, emailValue).map(([ip, mail]) => ({
    ...INDICATOR,
    pattern: `[ipv4-addr:value = '${ip}'] OR [email-addr:value = '${mail}']`,
    name: mail,
  })),
  fc
    .string({ minLength: 3, maxLength: 12 })
    .filter((s) => /^[a-z]+$/.test(s))
    .map((login) => ({ ...USER, account_login: login })),
  fc.constant(RELATIONSHIP),
  fc.constant(IDENTITY),
);

describe('minimise properties', () => {
  it('valid in, valid out', () => {
    fc.assert(
      fc.property(object, minimisation, (o, m) => {
        expect(validateStixObject(o).valid).toBe(true);
        expect(
          validateStixObject(minimise(o, m, KEY)).issues.filter((i) => i.severity === 'error'),
        ).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
  it('is idempotent when it only drops, coarsens and strips', () => {
    fc.assert(
      fc.property(object, minimisation, (o, m) => {
        const noPseudo = {
          ...m,
          pseudonymise: [],
          drop: m.drop.filter((d) => d !== 'email-addr.value'),
        };
        if (noPseudo.drop.length > 0 || noPseudo.ipv4Prefix < 32 || noPseudo.ipv6Prefix < 128)
          return; // SCO ids are remapped each time
        const once = minimise(o, noPseudo, KEY);
        expect(minimise(once, noPseudo, KEY)).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });
  it('IP coarsening and time rounding are idempotent on their own values', () => {
    fc.assert(
      fc.property(ipv4, fc.integer({ min: 0, max: 32 }), (ip, p) => {
        const c = coarsenIpv4(ip, p)!;
        expect(coarsenIpv4(c, p)).toBe(c);
      }),
    );
  });
  it('pseudonyms are deterministic per key and differ across keys; no original value leaks', () => {
    fc.assert(
      fc.property(
        emailValue,
        fc.string({ minLength: 3, maxLength: 12 }).filter((s) => /^[a-z]+$/.test(s)),
        (mail, login) => {
          const email = { ...EMAIL, value: mail };
          const a = minimise(email, STRICT, KEY);
          expect(minimise(email, STRICT, KEY)).toEqual(a);
          const b = minimise(email, STRICT, OTHER_KEY);
          expect(b.value).not.toBe(a.value);
          expect(b.id).not.toBe(a.id);
          expect(JSON.stringify(a)).not.toContain(mail);
          const ind = minimise(
            { ...INDICATOR, pattern: `[email-addr:value = '${mail}']` },
            STRICT,
            KEY,
          );
          expect(JSON.stringify(ind)).not.toContain(mail);
          expect(ind.pattern).toContain(a.value as string);
          const user = minimise({ ...USER, account_login: `${login}xq` }, STRICT, KEY);
          expect(JSON.stringify(user)).not.toContain(`${login}xq`);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('minimise against its reference', () => {
  // The planned, copy-once minimise must give exactly what the straightforward one gave.
  const oasisObjects = oasisExamples().flatMap(([, doc]) => {
    const d = doc as { type?: string; objects?: unknown[] };
    const list = d.type === 'bundle' && Array.isArray(d.objects) ? d.objects : [doc];
    return list.filter((o): o is Json => typeof o === 'object' && o !== null && !Array.isArray(o));
  });

  it('equals the reference on random objects and minimisations, and leaves its input alone', () => {
    fc.assert(
      fc.property(object, minimisation, (o, m) => {
        const before = structuredClone(o);
        expect(minimise(o, m, KEY)).toEqual(minimiseReference(o, m, KEY));
        expect(o).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('equals the reference on every official OASIS example object', () => {
    expect(oasisObjects.length).toBeGreaterThan(50);
    fc.assert(
      fc.property(fc.constantFrom(...oasisObjects), minimisation, (o, m) => {
        const before = structuredClone(o);
        expect(minimise(o, m, KEY)).toEqual(minimiseReference(o, m, KEY));
        expect(o).toEqual(before);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps an own `__proto__` member a member, never a prototype', () => {
    const o = JSON.parse(
      '{"type":"indicator","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","__proto__":{"polluted":true}}',
    ) as Json;
    const out = minimise(o, NO_MINIMISATION, KEY);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toContain('__proto__');
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
