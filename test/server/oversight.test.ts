/**
 * The oversight routes and the `oversight` credential, in process with `inject`, over a fake
 * oversight port (fixed indicators, every call recorded): indicators and the report for a
 * quarter, a from/to period and the default; bad periods refused before the port is called;
 * who may call them (oversight, admin) and who may not (read, write, officials, nobody); and
 * the one-door invariant for the new credential — every route fastify registers refuses an
 * oversight-only token, except the oversight routes, the ledger proofs and the probes.
 */
import { createPrivateKey } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair } from '../../src/agreement/index.js';
import { noteVerifier } from '../../src/ledger/index.js';
import { NodeLedger } from '../../src/node/index.js';
import type { Indicators, Period } from '../../src/oversight/index.js';
import {
  buildServer,
  federationRoutes,
  generateToken,
  hashToken,
  memoryAgreementRegistry,
  memoryAuthStore,
  memoryWithdrawals,
} from '../../src/server/index.js';
import type { OversightPort, ServerContext, TokenRecord } from '../../src/server/index.js';
import { ALL_ROUTES, SCHEMAS } from '../../src/server/rest/index.js';
import type { SchemaName } from '../../src/server/rest/index.js';
import { checkpoints, openSqlite, runMigrations } from '../../src/store/index.js';
import { AT, contextCore, serverAgreement } from './harness.js';
import { makeVault } from '../vault/fixtures.js';

const ORIGIN = 'concordat.test/oversight';

/** Indicators with every field and every optional shape present (party null, filedAt both ways). */
const INDICATORS: Indicators = {
  period: { from: Date.UTC(2026, 6, 1), to: Date.UTC(2026, 9, 1) },
  ledger: { entries: 42, firstSeq: 3, lastSeq: 44, byKind: { ingest: 30, release: 12 } },
  contributions: [
    { producer: 'ARV', objects: 30, byTlp: { green: 20, amber: 10 }, byType: { indicator: 30 } },
  ],
  releases: [
    {
      agreementId: 'fixture',
      agency: 'BOR-CERT',
      party: 'BOR',
      purpose: 'incident-response',
      level: 'baseline',
      channel: 'objects',
      calls: 4,
      objects: 12,
      withheld: 3,
    },
    {
      agreementId: 'fixture',
      agency: 'GONE-CERT',
      party: null,
      purpose: 'incident-response',
      level: 'baseline',
      channel: 'manifest',
      calls: 1,
      objects: 0,
      withheld: 0,
    },
  ],
  burden: [{ party: 'ARV', contributed: 30, received: 0 }],
  timeliness: [{ party: 'BOR', releases: 12, medianMs: 60_000, p90Ms: 120_000, maxMs: 300_000 }],
  federation: [
    {
      peer: 'BOR',
      receiptsIssued: 2,
      objectsReceived: 7,
      receiptsAcknowledged: 1,
      objectsAcknowledged: 5,
    },
  ],
  retention: {
    keysShredded: 1,
    objectsShredded: 9,
    shreddedLate: 0,
    maxShredDelayMs: 3_600_000,
    overdueKeys: 0,
    overdueObjects: 0,
  },
  governance: {
    agreementsActivated: [{ agreementId: 'fixture', version: 2, at: Date.UTC(2026, 7, 1) }],
  },
  escalation: [
    {
      agreementId: 'fixture',
      levels: [
        { level: 'baseline', ms: 6_000_000_000 },
        { level: 'severe', ms: 1_948_800_000 },
      ],
      levelAtEnd: 'baseline',
      raised: 1,
      renewed: 0,
      lowered: 1,
      sunsets: 1,
      waivers: { requested: 2, active: 1, closedEarly: 1, reviewsFiled: 1 },
      pauses: { started: 1, resumed: 1, pausedMs: 86_400_000 },
      disputesOpened: 0,
      sanctionsApplied: 0,
      certificationsRevoked: 0,
      riskRatingsPublished: 3,
      findings: [
        { kind: 'review-overdue', waiver: 'w-1', due: Date.UTC(2026, 8, 1) },
        {
          kind: 'review-filed-late',
          waiver: 'w-2',
          due: Date.UTC(2026, 7, 1),
          filedAt: Date.UTC(2026, 7, 9),
        },
      ],
      rejectedEvents: 0,
      anomalies: 0,
    },
  ],
};

const HTML = '<!doctype html><html><head><title>t</title></head><body>report</body></html>';

/** A fake port: fixed answers, every call recorded. */
function fakePort(indicators: unknown = INDICATORS) {
  const calls: { kind: 'indicators' | 'report'; period: Period; quarter?: string }[] = [];
  const port: OversightPort = {
    async indicators(period) {
      calls.push({ kind: 'indicators', period });
      return indicators as Indicators;
    },
    async report(period, quarter) {
      calls.push({ kind: 'report', period, ...(quarter === undefined ? {} : { quarter }) });
      return HTML;
    },
  };
  return { port, calls };
}

async function makeOversight(options: { indicators?: unknown; withPort?: boolean } = {}) {
  const db = await openSqlite({ path: ':memory:' });
  await runMigrations(db, AT);
  const vault = await makeVault();
  vault.clock.set(AT);
  const agreement = serverAgreement();
  const key = createPrivateKey(generateSigningKeyPair().privateKey);
  const ledger = await NodeLedger.open(
    { db, clock: vault.clock, origin: ORIGIN, signer: { name: ORIGIN, privateKey: key } },
    noteVerifier(ORIGIN, key),
  );
  await ledger.append('governance', { event: 'test' });
  const memory = memoryAuthStore();
  // An official's token (no scope), as `concordat token issue --official` stores it.
  const officialToken = generateToken();
  const official: TokenRecord = {
    id: 'official',
    agency: 'ARV-LIAISON',
    hash: hashToken(officialToken),
    scopes: [],
    official: 'ARV-LIAISON',
  };
  const auth: ServerContext['auth'] = {
    async findTokenByHash(hash) {
      return Buffer.from(hash).equals(Buffer.from(official.hash))
        ? official
        : memory.findTokenByHash(hash);
    },
  };
  const fake = fakePort(options.indicators);
  const ctx: ServerContext = {
    ...contextCore(db, vault, agreement),
    state: () => ({ level: 'baseline', waivers: [], pauses: [], revocations: [] }),
    auth,
    withdrawals: memoryWithdrawals(),
    rest: {
      registry: memoryAgreementRegistry(),
      trustedKeys: {},
      ledger: {
        head: () => ledger.head(),
        checkpoints: async (from) => (await checkpoints.list(db)).filter((c) => c.size >= from),
        inclusion: (s, n) => ledger.inclusion(s, n),
        consistency: (a, b) => ledger.consistency(a, b),
        append: (k, b) => ledger.append(k, b),
        verifier: ledger.verifier,
      },
      ...(options.withPort === false ? {} : { oversight: fake.port }),
    },
  };
  const app = buildServer(ctx);
  // Every route a node can serve: the federation endpoints too, as `startNodeServers` does.
  const unused = (): never => {
    throw new Error('a federation port was called');
  };
  federationRoutes(app, {
    acknowledgeReceipt: unused,
    receiptProofs: unused,
    withdrawalHashes: unused,
  });
  await app.ready();
  const tok = {
    oversight: memory.issue('NL-OVERSIGHT', ['oversight']).token,
    admin: memory.issue('ARV-CERT', ['admin']).token,
    read: memory.issue('ARV-CERT', ['read']).token,
    write: memory.issue('ARV-CERT', ['write']).token,
    rw: memory.issue('ARV-CERT', ['read', 'write']).token,
    official: officialToken,
  };
  return { app, tok, calls: fake.calls, ledger };
}

type Oversight = Awaited<ReturnType<typeof makeOversight>>;

function get(s: Oversight, url: string, token?: string, headers: Record<string, string> = {}) {
  return s.app.inject({
    method: 'GET',
    url,
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
  });
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'concordat', components: { schemas: SCHEMAS } });
function conforms(name: SchemaName, body: unknown): void {
  const v = ajv.compile({ $ref: `concordat#/components/schemas/${name}` });
  expect(v(body), JSON.stringify(v.errors)).toBe(true);
}

/** The coded error of a REST (`{ error: { code } }`) or TAXII (`error_code`) error body. */
function errorCode(body: string): string | undefined {
  const b = JSON.parse(body) as { error?: { code?: string }; error_code?: string };
  return b.error?.code ?? b.error_code;
}

function expectError(r: { statusCode: number; body: string }, status: number, code: string) {
  expect(r.statusCode, r.body).toBe(status);
  expect(errorCode(r.body), r.body).toBe(code);
}

const Q3: Period = { from: Date.UTC(2026, 6, 1), to: Date.UTC(2026, 9, 1) };

describe('oversight routes', () => {
  it('indicators: the port’s value, for a quarter, a from/to period and the current quarter so far', async () => {
    const s = await makeOversight();
    const r = await get(s, '/api/v1/oversight/indicators?quarter=2026Q3', s.tok.oversight);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    const body: unknown = JSON.parse(r.body);
    expect(body).toEqual(INDICATORS);
    conforms('Indicators', body);
    expect(s.calls).toEqual([{ kind: 'indicators', period: Q3 }]);

    const lower = await get(s, '/api/v1/oversight/indicators?quarter=2026-q3', s.tok.oversight);
    expect(lower.statusCode).toBe(200);
    expect(s.calls[1]).toEqual({ kind: 'indicators', period: Q3 });

    const range = await get(
      s,
      '/api/v1/oversight/indicators?from=2026-07-01T00:00:00Z&to=2026-08-01T02:00:00%2B02:00',
      s.tok.oversight,
    );
    expect(range.statusCode, range.body).toBe(200);
    expect(s.calls[2]).toEqual({
      kind: 'indicators',
      period: { from: Date.UTC(2026, 6, 1), to: Date.UTC(2026, 7, 1) },
    });

    // No period: the current quarter (AT is 2026-03-01T12:00Z, in 2026Q1) up to now.
    expect((await get(s, '/api/v1/oversight/indicators', s.tok.oversight)).statusCode).toBe(200);
    expect(s.calls[3]).toEqual({
      kind: 'indicators',
      period: { from: Date.UTC(2026, 0, 1), to: AT },
    });
    // Only `from`: up to now.
    const since = await get(
      s,
      '/api/v1/oversight/indicators?from=2026-02-01T00:00:00Z',
      s.tok.oversight,
    );
    expect(since.statusCode).toBe(200);
    expect(s.calls[4]).toEqual({
      kind: 'indicators',
      period: { from: Date.UTC(2026, 1, 1), to: AT },
    });
  });

  it('report: text/html, inline, named after the quarter or the period; the quarter reaches the port', async () => {
    const s = await makeOversight();
    const r = await get(s, '/api/v1/oversight/report?quarter=2026-q3', s.tok.oversight);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-disposition']).toBe('inline; filename="transparency-2026Q3.html"');
    expect(r.body).toBe(HTML);
    expect(s.calls).toEqual([{ kind: 'report', period: Q3, quarter: '2026Q3' }]);

    const range = await get(
      s,
      '/api/v1/oversight/report?from=2026-07-01T00:00:00Z&to=2026-08-01T00:00:00Z',
      s.tok.oversight,
      { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    );
    expect(range.statusCode, range.body).toBe(200);
    expect(range.headers['content-disposition']).toBe(
      'inline; filename="transparency-20260701T000000Z_20260801T000000Z.html"',
    );
    expect(s.calls[1]).toEqual({
      kind: 'report',
      period: { from: Date.UTC(2026, 6, 1), to: Date.UTC(2026, 7, 1) },
    });
    // An Accept the route cannot answer is 406, before the port is asked.
    expectError(
      await get(s, '/api/v1/oversight/report?quarter=2026Q3', s.tok.oversight, {
        accept: 'application/json',
      }),
      406,
      'ERR_NOT_ACCEPTABLE',
    );
    expect(s.calls).toHaveLength(2);
  });

  it('bad quarter, bad instant, reversed or empty period, both forms, unknown field: 400 coded, the port never called', async () => {
    const s = await makeOversight();
    const cases: [string, string][] = [
      ['quarter=2026Q5', 'ERR_USAGE'],
      ['quarter=Q3-2026', 'ERR_USAGE'],
      ['quarter=', 'ERR_USAGE'],
      ['from=yesterday', 'ERR_INSTANT_INVALID'],
      ['from=2026-07-01T00:00:00Z&to=2026-13-01T00:00:00Z', 'ERR_INSTANT_INVALID'],
      ['from=2026-07-01T25:00:00Z', 'ERR_INSTANT_INVALID'],
      ['from=2026-08-01T00:00:00Z&to=2026-07-01T00:00:00Z', 'ERR_USAGE'],
      ['from=2026-07-01T00:00:00Z&to=2026-07-01T00:00:00Z', 'ERR_USAGE'],
      ['quarter=2026Q3&from=2026-07-01T00:00:00Z', 'ERR_USAGE'],
      ['period=2026Q3', 'ERR_BODY_INVALID'],
      [`quarter=${'9'.repeat(40)}`, 'ERR_BODY_INVALID'],
    ];
    for (const route of ['indicators', 'report'])
      for (const [query, code] of cases)
        expectError(
          await get(s, `/api/v1/oversight/${route}?${query}`, s.tok.oversight),
          400,
          code,
        );
    expect(s.calls).toEqual([]);
  });

  it('who: oversight and admin may; read, write, an official and no credential may not', async () => {
    const s = await makeOversight();
    for (const route of ['indicators', 'report']) {
      const url = `/api/v1/oversight/${route}?quarter=2026Q3`;
      expect((await get(s, url, s.tok.oversight)).statusCode).toBe(200);
      expect((await get(s, url, s.tok.admin)).statusCode).toBe(200);
      expectError(await get(s, url), 401, 'ERR_UNAUTHENTICATED');
      for (const token of [s.tok.read, s.tok.write, s.tok.rw, s.tok.official])
        expectError(await get(s, url, token), 403, 'ERR_FORBIDDEN');
    }
    // Only the four admitted calls reached the port.
    expect(s.calls).toHaveLength(4);
  });

  it('an undocumented field in the port’s value is not sent (500, fixed message, nothing of it)', async () => {
    const s = await makeOversight({ indicators: { ...INDICATORS, objectId: 'indicator--secret' } });
    const r = await get(s, '/api/v1/oversight/indicators?quarter=2026Q3', s.tok.oversight);
    expectError(r, 500, 'ERR_INTERNAL');
    expect(r.body).not.toContain('secret');
  });

  it('a node without the oversight port answers ERR_NOT_CONFIGURED (503), after checking the period', async () => {
    const s = await makeOversight({ withPort: false });
    expectError(
      await get(s, '/api/v1/oversight/indicators?quarter=2026Q3', s.tok.oversight),
      503,
      'ERR_NOT_CONFIGURED',
    );
    expectError(
      await get(s, '/api/v1/oversight/report?quarter=2026Q9', s.tok.oversight),
      400,
      'ERR_USAGE',
    );
  });
});

/** Routes an oversight-only credential may call: nothing else, whatever the specs say. */
const OVERSIGHT_REACHES = new Set([
  'GET /api/v1/oversight/indicators',
  'GET /api/v1/oversight/report',
  'GET /api/v1/ledger/checkpoint',
  'GET /api/v1/ledger/checkpoints',
  'GET /api/v1/ledger/proof/inclusion',
  'GET /api/v1/ledger/proof/consistency',
  'GET /api/v1/ledger/checkpoint/cosigned',
  'POST /api/v1/ledger/cosignatures',
  'GET /healthz',
  'GET /readyz',
  'GET /dashboard',
]);

/** A concrete URL for a registered route: every parameter filled with a plausible value. */
function concrete(url: string): string {
  const values: Record<string, string> = {
    root: 'fixture',
    id: 'fixture',
    version: '1',
    collection: 'incident-response',
    object: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    status: '2c2f1c5e-4a5b-4c3d-9e8f-0a1b2c3d4e5f',
    wid: 'w-1',
    pid: 'p-1',
  };
  return url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => values[name] ?? 'x');
}

describe('the oversight credential reaches nothing else (one door)', () => {
  it('every registered route but the oversight, ledger-proof and probe routes refuses it with 403', async () => {
    const s = await makeOversight();
    const routes = s.app.registeredRoutes.map((r) => ({ method: r.method, url: r.url }));
    // The enumeration covers every documented route (TAXII, REST, escalation, federation).
    expect(routes.length).toBe(ALL_ROUTES.length);
    const reached: string[] = [];
    for (const { method, url } of routes) {
      const name = `${method} ${url}`;
      const r = await s.app.inject({
        method: method as 'GET',
        url: concrete(url),
        headers: { authorization: `Bearer ${s.tok.oversight}` },
      });
      if (OVERSIGHT_REACHES.has(name)) {
        expect(r.statusCode, `${name}: ${r.body}`).not.toBe(403);
        reached.push(name);
      } else {
        expect(r.statusCode, `${name} must refuse an oversight credential`).toBe(403);
        expect(errorCode(r.body), name).toBe('ERR_FORBIDDEN');
      }
    }
    expect(reached.sort()).toEqual([...OVERSIGHT_REACHES].sort());
    // Nothing reached a port while being refused: only the oversight routes' own calls.
    expect(s.calls.map((c) => c.kind).sort()).toEqual(['indicators', 'report']);
  });

  it('the refusals the brief names: TAXII collections and objects, bundles, decisions, agreement writes', async () => {
    const s = await makeOversight();
    const refused: ['GET' | 'POST' | 'PUT' | 'DELETE', string, unknown?][] = [
      ['GET', '/taxii2/'],
      ['GET', '/taxii2/fixture/collections/'],
      ['GET', '/taxii2/fixture/collections/incident-response/objects/'],
      ['GET', '/taxii2/fixture/collections/incident-response/manifest/'],
      ['POST', '/api/v1/bundles?agreement=fixture', { type: 'bundle' }],
      ['POST', '/api/v1/decisions', { agreement: 'fixture' }],
      ['POST', '/api/v1/agreements', { source: 'x', signatures: {} }],
      ['POST', '/api/v1/agreements/fixture/versions/1/activate', {}],
      ['GET', '/api/v1/agreements'],
      ['PUT', '/api/v1/agreements/fixture/risk', { party: 'ARV' }],
      ['POST', '/api/v1/agreements/fixture/pauses', { scope: {}, reason: 'x' }],
      ['DELETE', '/taxii2/fixture/collections/incident-response/objects/indicator--x/'],
      ['GET', '/api/v1/openapi.json'],
      ['GET', '/metrics'],
    ];
    for (const [method, url, body] of refused) {
      const r = await s.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${s.tok.oversight}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      expect(r.statusCode, `${method} ${url}`).toBe(403);
      expect(errorCode(r.body)).toBe('ERR_FORBIDDEN');
    }
  });

  it('ledger proofs: 200 for the oversight credential, as for every agency credential', async () => {
    const s = await makeOversight();
    for (const token of [s.tok.oversight, s.tok.read, s.tok.write, s.tok.official]) {
      const r = await get(s, '/api/v1/ledger/checkpoint', token);
      expect(r.statusCode, r.body).toBe(200);
      conforms('Checkpoint', JSON.parse(r.body));
      const p = await get(s, '/api/v1/ledger/proof/inclusion?seq=0', token);
      expect(p.statusCode, p.body).toBe(200);
    }
    // A request that matches no route is still 404, for every credential.
    expectError(await get(s, '/api/v1/nope', s.tok.oversight), 404, 'ERR_NOT_FOUND');
  });
});
