/**
 * Randomized request fuzzer over every TAXII route, in process (`inject`): random methods,
 * paths (unicode tricks, traversal, huge ids), headers (Accept / Content-Type variants, bad
 * credentials), query parameters (unknown filters, huge / negative / NaN limits, bad
 * `added_after`, bad `next`) and bodies (malformed JSON, wrong shapes, huge, deeply nested,
 * invalid STIX). Two properties:
 *   1. never a 5xx;
 *   2. a rejected (4xx) request changes nothing: objects, ledger size, data keys, tokens and
 *      withdrawals are compared before and after every rejected request (the "after" of one
 *      request is the "before" of the next, so each comparison costs one snapshot).
 * Seeded: the seed is printed; `CONCORDAT_FUZZ_SEED=<n>` replays a run. 10,000 requests under
 * CI (`CI=true`, SQLite, plus 2,000 on PostgreSQL), fewer locally.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { ingestBundle, storeAuthStore, storeWithdrawals } from '../../src/node/index.js';
import { compileAgreement } from '../../src/policy/index.js';
import { buildServer, collectionId, TAXII_MEDIA_TYPE } from '../../src/server/index.js';
import { apiTokens, dataKeys, ledgerEntries, objects, withdrawals } from '../../src/store/index.js';
import { describeDialects } from '../store/dialects.js';
import { makeVault } from '../vault/fixtures.js';
import { AT, DAY, indicator, ipv4, serverAgreement, threatActor } from './harness.js';

const CI = process.env.CI === 'true';
const SEED = Number(process.env.CONCORDAT_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const REQUESTS = { sqlite: CI ? 10_000 : 1_500, postgres: CI ? 2_000 : 300 } as const;
const MAX_BODY = 64 * 1024;

/** mulberry32: small, seedable, good enough to pick cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface FuzzRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH' | 'HEAD' | 'OPTIONS';
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

function nest(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

describeDialects('taxii fuzz', (d) => {
  it(`no 5xx, and rejected requests change nothing (seed ${SEED})`, async () => {
    process.stderr.write(`fuzz [${d.name}] seed ${SEED} (replay: CONCORDAT_FUZZ_SEED=${SEED})\n`);
    const rnd = prng(SEED + (d.name === 'postgres' ? 1 : 0));
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const chance = (p: number): boolean => rnd() < p;
    // Mostly well-formed, so requests reach past authentication and routing into the door;
    // each part turns hostile on its own, so most requests carry one or two faults.
    const mostly = <T>(good: readonly T[], bad: readonly T[], p = 0.88): T =>
      chance(p) ? pick(good) : pick(bad);

    const { db } = await d.fresh();
    const vault = await makeVault();
    const clock = vault.clock;
    clock.set(AT);
    const agreement = serverAgreement();
    const auth = storeAuthStore(db, clock);
    const withdrawn = await storeWithdrawals(db);
    const tokens: string[] = [];
    for (const agency of ['ARV-CERT', 'BOR-CERT', 'CAL-CSIRT', 'NOBODY'])
      for (const scopes of [['read', 'write'], ['read'], ['write']] as const)
        tokens.push((await auth.issue({ agency, scopes })).token);
    // rw and r tokens of the three member agencies (issue order: agency × [rw, r, w]).
    const readers = [0, 1, 3, 4, 6, 7].map((i) => tokens[i] as string);
    const expired = (await auth.issue({ agency: 'BOR-CERT', scopes: ['read'], expiresAt: AT + 1 }))
      .token;
    const revokedIssue = await auth.issue({ agency: 'ARV-CERT', scopes: ['read', 'write'] });
    await auth.revoke(revokedIssue.info.id);
    clock.set(AT + 10);
    const app = buildServer({
      db,
      vault: vault.vault,
      clock,
      agreements: [
        {
          agreement,
          engine: compileAgreement(agreement),
          pseudonymKey: { pseudonymKey: Buffer.alloc(32, 7), agreementId: agreement.id },
        },
      ],
      state: () => ({ level: 'baseline', waivers: [], pauses: [], revocations: [] }),
      ingest: (bundle, t) =>
        ingestBundle(bundle, {
          db,
          vault: vault.vault,
          clock,
          producer: t.producer,
          collection: t.collection,
          retention: { untilMs: t.retainUntilMs },
        }),
      auth,
      withdrawals: withdrawn,
      limits: { maxContentLength: MAX_BODY, maxPageSize: 50 },
    });
    await app.ready();
    const seeded = [
      indicator('green'),
      indicator('amber'),
      indicator('red'),
      threatActor('green'),
      ipv4(1),
      ipv4(2),
    ];
    await ingestBundle(
      { type: 'bundle', id: `bundle--${randomUUID()}`, objects: seeded },
      {
        db,
        vault: vault.vault,
        clock,
        producer: 'ARV',
        collection: agreement.id,
        retention: { untilMs: AT + 60 * DAY },
      },
    );

    const ids = seeded.map((o) => o.id as string);
    const statuses: string[] = [];
    const nexts: string[] = [];
    const ROOT = `/taxii2/${agreement.id}`;
    const roots = [
      ROOT,
      ROOT,
      ROOT,
      '/taxii2/nope',
      '/taxii2/..',
      '/taxii2/%2e%2e',
      '/taxii2/ｆixture',
      '/taxii2/fixture%00',
      '/taxii2/fix\u202eture',
      `/taxii2/${'r'.repeat(600)}`,
      '/taxii2//',
      '/taxii2/%ff%fe',
    ];
    const collections = [
      'incident-response',
      'attribution',
      collectionId(agreement.id, 'incident-response'),
      collectionId(agreement.id, 'attribution'),
      randomUUID(),
      '..%2f..%2fetc%2fpasswd',
      'incident-response%00',
      'ｉncident-response',
      'x'.repeat(2000),
      '%',
    ];
    const objectIds = (): string =>
      pick([
        ...ids,
        `indicator--${randomUUID()}`,
        `іndicator--${randomUUID()}`, // Cyrillic і
        `indicator--${'f'.repeat(10_000)}`,
        '..%2F..%2F..%2Fetc%2Fpasswd',
        'indicator--00000000-0000-0000-0000-000000000000%00',
        encodeURIComponent('indicator--\u0000'),
        `${'a'.repeat(300)}--${randomUUID()}`,
        '%E2%80%AE',
      ]);
    const timestamps = [
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00.123456Z',
      '2026-13-01T00:00:00Z',
      '2026-01-01',
      'yesterday',
      '9999-12-31T23:59:59.999999999Z',
      '0000-01-01T00:00:00Z',
      '',
      'NaN',
    ];
    const queryValue = (name: string): string => {
      switch (name) {
        case 'limit':
          return pick([
            '1',
            '2',
            '50',
            '51',
            '0',
            '-1',
            'NaN',
            '1e3',
            '99999999999999999999',
            '',
            ' 5',
            '10.5',
            '0x10',
          ]);
        case 'added_after':
          return pick(timestamps);
        case 'next':
          return pick([
            ...nexts,
            'garbage',
            'AAAA.5',
            'AAAA.0',
            '.'.repeat(100),
            'x'.repeat(5000),
            '',
          ]);
        case 'match[id]':
          return pick([objectIds(), ids.slice(0, 3).join(','), ',', 'a,,b']);
        case 'match[type]':
          return pick([
            'indicator',
            'threat-actor',
            'ipv4-addr',
            'INDICATOR',
            'ind icator',
            'x'.repeat(300),
            '',
          ]);
        case 'match[version]':
          return pick(['first', 'last', 'all', 'first,last', ...timestamps]);
        case 'match[spec_version]':
          return pick(['2.1', '2.0', '2.1,2.0', '3', 'abc']);
        default:
          return pick(['1', '', 'x'.repeat(100), '__proto__']);
      }
    };
    const query = (): string => {
      if (chance(0.35)) return '';
      const names = [
        'limit',
        'added_after',
        'next',
        'match[id]',
        'match[type]',
        'match[version]',
        'match[spec_version]',
        'match[foo]',
        'foo',
        '__proto__',
        'constructor',
        'match[id][]',
        'limit[]',
      ];
      const parts: string[] = [];
      const n = 1 + Math.floor(rnd() * 3);
      for (let i = 0; i < n; i++) {
        const name = mostly(names.slice(0, 7), names, 0.9);
        parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(queryValue(name))}`);
      }
      return `?${parts.join('&')}`;
    };
    const path = (): string => {
      const root = mostly([ROOT], roots);
      const c = `${root}/collections/${mostly(collections.slice(0, 4), collections)}`;
      const p = pick([
        '/taxii2/',
        '/taxii2',
        `${root}/`,
        `${root}/collections/`,
        `${c}/`,
        `${c}/objects/`,
        `${c}/objects/`,
        `${c}/objects/${objectIds()}/`,
        `${c}/objects/${objectIds()}/`,
        `${c}/objects/${objectIds()}/versions/`,
        `${c}/manifest/`,
        `${root}/status/${pick([...statuses, randomUUID(), '..', 'x'.repeat(700)])}/`,
        '/',
        '/taxii2/../etc/passwd',
        '/%2e%2e/%2e%2e/',
        '/taxii2/%2F%2F',
        `/${'a/'.repeat(200)}`,
      ]);
      return chance(0.05) && p.length > 1
        ? p.replace(/\/$/, '')
        : chance(0.03)
          ? p.replace('/taxii2/', '/taxii2//')
          : p;
    };
    const authorization = (): string | undefined =>
      mostly(
        [`Bearer ${pick(readers)}`],
        [
          `Bearer ${expired}`,
          `Bearer ${revokedIssue.token}`,
          `Bearer cct_${'A'.repeat(43)}`,
          `Bearer ${pick(tokens)}x`,
          'Bearer',
          'Bearer ',
          `Basic ${Buffer.from('a:b').toString('base64')}`,
          `bearer ${pick(tokens)}`,
          `Bearer ${pick(tokens)} extra`,
          'Bearer cct_ｘ',
          undefined,
        ],
      );
    const accept = (): string | undefined =>
      mostly(
        [TAXII_MEDIA_TYPE, 'application/taxii+json', '*/*', undefined],
        [
          'application/taxii+json',
          'application/taxii+json;version=2.0',
          'application/json',
          '*/*',
          'application/*',
          'text/html',
          'application/taxii+json;version=2.1;q=0',
          '',
          ',,,;;;',
          undefined,
        ],
      );
    const contentType = (): string | undefined =>
      mostly(
        [TAXII_MEDIA_TYPE, 'application/taxii+json'],
        [
          'application/taxii+json',
          'application/taxii+json;version=3.0',
          'application/json',
          'text/plain',
          'application/taxii+json; charset=utf-16',
          'multipart/form-data; boundary=x',
          '',
          undefined,
        ],
      );
    const stix = (): Record<string, unknown> =>
      pick([
        indicator('green'),
        indicator('green', { pattern: '[[[' }),
        indicator('green', { id: 'indicator--nope' }),
        indicator('green', { modified: 'yesterday' }),
        indicator('green', { spec_version: '2.0' }),
        indicator('green', { __proto__: { polluted: true } }),
        { type: 'indicator' },
        { type: 'x-custom', id: `x-custom--${randomUUID()}` },
        threatActor('green'),
        ipv4(Math.floor(rnd() * 1000)),
      ]);
    const body = (): string =>
      pick([
        () => JSON.stringify({ objects: [stix()] }),
        () => JSON.stringify({ objects: [stix(), stix()] }),
        () => JSON.stringify({ objects: [] }),
        () => JSON.stringify({ objects: 5 }),
        () => JSON.stringify({ objects: [1, 'a', null] }),
        () => JSON.stringify([stix()]),
        () => JSON.stringify('objects'),
        () => JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects: [stix()] }),
        () => '{"objects": [',
        () => '{"__proto__": {"admin": true}, "objects": []}',
        () => '{"constructor": {"prototype": {"x": 1}}}',
        () => '',
        () => 'null',
        () => '\u0000\u0001',
        () => nest(5000),
        () => JSON.stringify({ objects: [{ ...indicator('green'), deep: JSON.parse(nest(200)) }] }),
        () => JSON.stringify({ objects: [{ ...indicator('green'), name: 'x'.repeat(MAX_BODY) }] }),
        () =>
          JSON.stringify({
            objects: Array.from({ length: 400 }, () => indicator('green', { pattern: '[' })),
          }),
      ])();
    const generate = (): FuzzRequest => {
      const method = chance(0.6)
        ? 'GET'
        : pick(['POST', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS'] as const);
      const headers: Record<string, string> = {};
      const a = authorization();
      if (a !== undefined) headers.authorization = a;
      const acc = accept();
      if (acc !== undefined) headers.accept = acc;
      const r: FuzzRequest = { method, url: `${path()}${query()}`, headers };
      if (method === 'POST' || method === 'PUT' || (method === 'DELETE' && chance(0.2))) {
        const ct = contentType();
        if (ct !== undefined) headers['content-type'] = ct;
        r.payload = body();
      }
      return r;
    };

    const snapshot = async () => ({
      objects: await objects.count(db),
      ledger: await ledgerEntries.size(db),
      keys: (await dataKeys.list(db)).length,
      tokens: await apiTokens.count(db),
      withdrawals: await withdrawals.count(db),
      withdrawnInMemory: withdrawn.count(),
    });

    let before = await snapshot();
    const classes: Record<string, number> = {};
    for (let i = 0; i < REQUESTS[d.name]; i++) {
      const req = generate();
      const res = await app.inject({
        method: req.method,
        url: req.url,
        headers: req.headers,
        ...(req.payload === undefined ? {} : { payload: req.payload }),
      });
      const what = `#${i} → ${res.statusCode} ${req.method} ${req.url.slice(0, 200)} ${JSON.stringify(req.headers).slice(0, 200)} ${String(req.payload).slice(0, 120)}`;
      classes[`${Math.floor(res.statusCode / 100)}xx`] =
        (classes[`${Math.floor(res.statusCode / 100)}xx`] ?? 0) + 1;
      if (process.env.FUZZ_DEBUG === '1' && i < 15)
        process.stderr.write(`${what} ${res.body.slice(0, 150)}\n`);
      if (res.statusCode >= 500) expect.fail(`5xx (${res.statusCode} ${res.body}) for ${what}`);
      if (res.statusCode >= 400 && req.method !== 'HEAD') {
        const err = JSON.parse(res.body) as { error_code?: unknown; http_status?: unknown };
        if (typeof err.error_code !== 'string' || err.http_status !== String(res.statusCode))
          expect.fail(`not a TAXII error body (${res.body.slice(0, 200)}) for ${what}`);
      }
      if (res.statusCode < 300 && res.statusCode >= 200 && res.body !== '') {
        const ok = JSON.parse(res.body) as { next?: unknown; id?: unknown; status?: unknown };
        if (typeof ok.next === 'string' && nexts.length < 50) nexts.push(ok.next);
        if (req.method === 'POST' && typeof ok.id === 'string') statuses.push(ok.id);
      }
      const after = await snapshot();
      if (res.statusCode >= 400) {
        // INVARIANT (release/ledger-body.ts): a read whose page released nothing but withheld
        // something is still a decision, and the ledger records it — a `release` entry with no
        // items. That is the one write a refused read may cause; it carries no content and the
        // client sees the same 404 as for an id that never existed.
        const audit =
          res.statusCode === 404 &&
          (req.method === 'GET' || req.method === 'HEAD') &&
          after.ledger > before.ledger
            ? await ledgerEntries.range(db, before.ledger, after.ledger)
            : [];
        const onlyWithheld =
          audit.length > 0 &&
          audit.every((e) => {
            const b = JSON.parse(e.body) as { items?: unknown[]; withheld?: number };
            return e.kind === 'release' && b.items?.length === 0 && (b.withheld ?? 0) > 0;
          });
        const expected = onlyWithheld ? { ...before, ledger: after.ledger } : before;
        if (JSON.stringify(after) !== JSON.stringify(expected))
          expect.fail(
            `rejected request changed state (${JSON.stringify(before)} → ${JSON.stringify(after)}) for ${what}`,
          );
      }
      before = after;
    }
    process.stderr.write(`fuzz [${d.name}] ${JSON.stringify(classes)}\n`);
    // The fuzzer reached both sides of the door: some requests succeeded, many were refused.
    expect(classes['2xx'] ?? 0).toBeGreaterThan(REQUESTS[d.name] / 50);
    expect(classes['4xx'] ?? 0).toBeGreaterThan(REQUESTS[d.name] / 4);
    await app.close();
  }, 240_000);
});
