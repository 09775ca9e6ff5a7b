/**
 * The REST API in process with `inject`, on SQLite: bundles, agreements, decisions, ledger
 * proofs, health, metrics, and bad input (coded JSON errors, never a 500, nothing written).
 */
import { createPrivateKey, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  generateSigningKeyPair,
  parseAgreement,
  signAgreement,
  signatureFile,
} from '../../src/agreement/index.js';
import { noteVerifier, verifyInclusion, verifyConsistency } from '../../src/ledger/index.js';
import { NodeLedger, ingestBundle } from '../../src/node/index.js';
import { compileAgreement } from '../../src/policy/index.js';
import type { DecisionState } from '../../src/policy/index.js';
import {
  buildServer,
  memoryAgreementRegistry,
  memoryAuthStore,
  memoryWithdrawals,
} from '../../src/server/index.js';
import type { ServerContext } from '../../src/server/index.js';
import { SCHEMAS } from '../../src/server/rest/index.js';
import type { SchemaName } from '../../src/server/rest/index.js';
import {
  checkpoints,
  dataKeys,
  ledgerEntries,
  objects,
  openSqlite,
  runMigrations,
} from '../../src/store/index.js';
import { AT, indicator, serverAgreement } from './harness.js';
import { makeVault } from '../vault/fixtures.js';

const ORIGIN = 'concordat.test/ledger';
const SOURCE = readFileSync(
  new URL('../../examples/agreements/northsea-compact.yaml', import.meta.url),
  'utf8',
);

async function makeRest(tamperHead = false) {
  const db = await openSqlite({ path: ':memory:' });
  await runMigrations(db, AT);
  const vault = await makeVault();
  vault.clock.set(AT);
  const agreement = serverAgreement();
  const auth = memoryAuthStore();
  const key = createPrivateKey(generateSigningKeyPair().privateKey);
  const ledger = await NodeLedger.open(
    { db, clock: vault.clock, origin: ORIGIN, signer: { name: ORIGIN, privateKey: key } },
    noteVerifier(ORIGIN, key),
  );
  const partyKeys = {
    ARV: generateSigningKeyPair(),
    BOR: generateSigningKeyPair(),
    CAL: generateSigningKeyPair(),
  };
  const registry = memoryAgreementRegistry();
  const state: DecisionState = { level: 'baseline', waivers: [], pauses: [], revocations: [] };
  const ingest: ServerContext['ingest'] = (bundle, t) =>
    ingestBundle(bundle, {
      db,
      vault: vault.vault,
      clock: vault.clock,
      producer: t.producer,
      collection: t.collection,
      retention: { untilMs: t.retainUntilMs },
    });
  const ctx: ServerContext = {
    db,
    vault: vault.vault,
    clock: vault.clock,
    agreements: [
      {
        agreement,
        engine: compileAgreement(agreement),
        pseudonymKey: { pseudonymKey: randomBytes(32), agreementId: agreement.id },
      },
    ],
    state: () => state,
    ingest,
    auth,
    withdrawals: memoryWithdrawals(),
    rest: {
      registry,
      trustedKeys: {
        ARV: partyKeys.ARV.publicKey,
        BOR: partyKeys.BOR.publicKey,
        CAL: partyKeys.CAL.publicKey,
      },
      ledger: {
        head: async () => {
          const h = await ledger.head();
          return h === undefined || !tamperHead ? h : { ...h, root: new Uint8Array(32) };
        },
        checkpoints: async (from) => (await checkpoints.list(db)).filter((c) => c.size >= from),
        inclusion: (s, n) => ledger.inclusion(s, n),
        consistency: (a, b) => ledger.consistency(a, b),
        append: (k, b) => ledger.append(k, b),
        verifier: ledger.verifier,
      },
    },
  };
  const app = buildServer(ctx);
  await app.ready();
  const tok = {
    arvW: auth.issue('ARV-CERT', ['read', 'write']).token,
    arvR: auth.issue('ARV-CERT', ['read']).token,
    cal: auth.issue('CAL-CSIRT', ['read', 'write']).token,
    admin: auth.issue('ARV-CERT', ['read', 'write', 'admin']).token,
    nobody: auth.issue('NOBODY', ['read', 'write']).token,
  };
  const snapshot = async () => ({
    objects: await objects.count(db),
    ledger: await ledgerEntries.size(db),
    keys: (await dataKeys.list(db)).length,
    registry: (await registry.list()).map((v) => `${v.id}@${v.version}:${v.status}`),
  });
  const signed = (parties: readonly ('ARV' | 'BOR' | 'CAL')[]) => {
    const parsed = parseAgreement(SOURCE);
    if (!parsed.ok) throw new Error('example agreement does not parse');
    return signatureFile(
      parsed.document,
      parties.map((party) =>
        signAgreement(parsed.document, {
          party,
          privateKey: partyKeys[party].privateKey,
          signedAt: AT,
        }),
      ),
    );
  };
  return { app, db, ledger, registry, tok, snapshot, signed, vault };
}

type Rest = Awaited<ReturnType<typeof makeRest>>;

function call(
  s: Rest,
  method: 'GET' | 'POST',
  url: string,
  token: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return s.app.inject({
    method,
    url,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined
      ? {}
      : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'concordat', components: { schemas: SCHEMAS } });
/** Asserts `body` matches the documented response schema `name`. */
function conforms(name: SchemaName, body: unknown): void {
  const v = ajv.compile({ $ref: `concordat#/components/schemas/${name}` });
  expect(v(body), JSON.stringify(v.errors)).toBe(true);
}

function expectError(r: { statusCode: number; body: string }, status: number, code: string) {
  expect(r.statusCode, r.body).toBe(status);
  const body = JSON.parse(r.body);
  conforms('Error', body);
  expect(body.error.code).toBe(code);
  return body.error;
}

function bundle(objs: unknown[]) {
  return { type: 'bundle', id: `bundle--${randomUUID()}`, objects: objs };
}

describe('rest api (sqlite)', () => {
  it('POST /bundles publishes as the agency’s party, through ingest, all or nothing', async () => {
    const s = await makeRest();
    const a = indicator('green');
    const r = await call(s, 'POST', '/api/v1/bundles?agreement=fixture', s.tok.arvW, bundle([a]));
    expect(r.statusCode, r.body).toBe(200);
    const body = JSON.parse(r.body);
    conforms('IngestSummary', body);
    expect(body).toMatchObject({ agreement: 'fixture', producer: 'ARV', total: 1, inserted: 1 });
    const again = JSON.parse(
      (await call(s, 'POST', '/api/v1/bundles?agreement=fixture', s.tok.arvW, bundle([a]))).body,
    );
    expect(again).toMatchObject({ inserted: 0, unchanged: 1 });
    // One invalid object rejects the whole bundle, every issue listed, nothing written.
    const before = await s.snapshot();
    const bad = await call(
      s,
      'POST',
      '/api/v1/bundles?agreement=fixture',
      s.tok.arvW,
      bundle([
        indicator('green'),
        { type: 'indicator', id: 'indicator--x' },
        { type: 'indicator', spec_version: '2.1' },
      ]),
    );
    const err = expectError(bad, 422, 'ERR_STIX_INVALID');
    expect(JSON.stringify(err.details)).toContain('/objects/1');
    expect(JSON.stringify(err.details)).toContain('/objects/2');
    expect(await s.snapshot()).toEqual(before);
    // Scope, membership.
    expectError(
      await call(s, 'POST', '/api/v1/bundles?agreement=fixture', s.tok.arvR, bundle([indicator()])),
      403,
      'ERR_FORBIDDEN',
    );
    expectError(
      await call(
        s,
        'POST',
        '/api/v1/bundles?agreement=fixture',
        s.tok.nobody,
        bundle([indicator()]),
      ),
      404,
      'ERR_NOT_FOUND',
    );
    expectError(
      await call(s, 'POST', '/api/v1/bundles?agreement=nope', s.tok.arvW, bundle([indicator()])),
      404,
      'ERR_NOT_FOUND',
    );
    expectError(
      await call(s, 'POST', '/api/v1/bundles?agreement=fixture', undefined, bundle([indicator()])),
      401,
      'ERR_UNAUTHENTICATED',
    );
    expect(await s.snapshot()).toEqual(before);
  });

  it('bad input: malformed json, media types, oversized, unknown fields — coded, never 5xx, nothing written', async () => {
    const s = await makeRest();
    const before = await s.snapshot();
    const url = '/api/v1/bundles?agreement=fixture';
    expectError(
      await call(s, 'POST', url, s.tok.arvW, '{"type": "bundle",'),
      400,
      'ERR_INPUT_SYNTAX',
    );
    expectError(
      await call(s, 'POST', url, s.tok.arvW, '{"__proto__": {"x": 1}}'),
      400,
      'ERR_INPUT_SYNTAX',
    );
    expectError(
      await call(s, 'POST', url, s.tok.arvW, bundle([]), { 'content-type': 'text/plain' }),
      415,
      'ERR_MEDIA_TYPE_UNSUPPORTED',
    );
    expectError(
      await call(s, 'POST', url, s.tok.arvW, bundle([]), {
        'content-type': 'application/taxii+json;version=2.1',
      }),
      415,
      'ERR_MEDIA_TYPE_UNSUPPORTED',
    );
    const unknown = expectError(
      await call(s, 'POST', url, s.tok.arvW, { ...bundle([]), extra: 1 }),
      400,
      'ERR_BODY_INVALID',
    );
    expect(JSON.stringify(unknown.details)).toContain('unknown field `extra`');
    expectError(
      await call(s, 'POST', `${url}&debug=1`, s.tok.arvW, bundle([])),
      400,
      'ERR_BODY_INVALID',
    );
    const big = 'x'.repeat(10 * 1024 * 1024 + 10);
    expectError(
      await call(s, 'POST', url, s.tok.arvW, `{"pad":"${big}"}`),
      413,
      'ERR_INPUT_TOO_LARGE',
    );
    expectError(await call(s, 'GET', '/api/v1/nothing-here', s.tok.arvW), 404, 'ERR_NOT_FOUND');
    expectError(
      await call(s, 'GET', '/api/v1/ledger/checkpoints', s.tok.arvW, undefined, {
        accept: 'image/png',
      }),
      406,
      'ERR_NOT_ACCEPTABLE',
    );
    expectError(
      await call(s, 'GET', '/api/v1/ledger/proof/inclusion?seq=-1', s.tok.arvW),
      400,
      'ERR_BODY_INVALID',
    );
    expect(await s.snapshot()).toEqual(before);
  });

  it('agreements: validate, load (signed by all parties → pending), activate (admin, ledgered), list and read', async () => {
    const s = await makeRest();
    const v = JSON.parse(
      (
        await call(s, 'POST', '/api/v1/agreements/validate', s.tok.arvR, SOURCE, {
          'content-type': 'application/yaml',
        })
      ).body,
    );
    conforms('ValidationReport', v);
    expect(v).toMatchObject({ ok: true, id: 'northsea-cti-compact', version: 3 });
    const broken = SOURCE.replace('max_retention:', 'max_retentionn:');
    const bv = JSON.parse(
      (
        await call(s, 'POST', '/api/v1/agreements/validate', s.tok.arvR, broken, {
          'content-type': 'application/yaml',
        })
      ).body,
    );
    expect(bv.ok).toBe(false);
    expect(bv.issues.length).toBeGreaterThan(0);
    expect(bv.issues[0].line).toBeGreaterThan(1);
    // Not signed by CAL: refused, nothing stored.
    const before = await s.snapshot();
    const unsigned = await call(s, 'POST', '/api/v1/agreements', s.tok.admin, {
      source: SOURCE,
      signatures: s.signed(['ARV', 'BOR']),
    });
    const e = expectError(unsigned, 422, 'ERR_AGREEMENT_NOT_SIGNED');
    expect(e.details.missing).toEqual(['CAL']);
    expectError(
      await call(s, 'POST', '/api/v1/agreements', s.tok.arvW, {
        source: SOURCE,
        signatures: s.signed(['ARV', 'BOR', 'CAL']),
      }),
      403,
      'ERR_FORBIDDEN',
    );
    expect(await s.snapshot()).toEqual(before);
    const loaded = await call(s, 'POST', '/api/v1/agreements', s.tok.admin, {
      source: SOURCE,
      signatures: s.signed(['ARV', 'BOR', 'CAL']),
    });
    expect(loaded.statusCode, loaded.body).toBe(201);
    conforms('AgreementLoaded', JSON.parse(loaded.body));
    expectError(
      await call(s, 'POST', '/api/v1/agreements', s.tok.admin, {
        source: SOURCE,
        signatures: s.signed(['ARV', 'BOR', 'CAL']),
      }),
      409,
      'ERR_AGREEMENT_VERSION_CONFLICT',
    );
    // Activation: admin only; ledgered before it takes effect.
    const act = '/api/v1/agreements/northsea-cti-compact/versions/3/activate';
    expectError(await call(s, 'POST', act, s.tok.arvW), 403, 'ERR_FORBIDDEN');
    const size = await ledgerEntries.size(s.db);
    const ok = await call(s, 'POST', act, s.tok.admin);
    expect(ok.statusCode, ok.body).toBe(200);
    conforms('Activation', JSON.parse(ok.body));
    expect(await ledgerEntries.size(s.db)).toBe(size + 1);
    const entry = await ledgerEntries.get(s.db, JSON.parse(ok.body).ledgerSeq);
    expect(entry?.kind).toBe('governance');
    expectError(await call(s, 'POST', act, s.tok.admin), 409, 'ERR_AGREEMENT_VERSION_CONFLICT');
    expectError(
      await call(
        s,
        'POST',
        '/api/v1/agreements/northsea-cti-compact/versions/9/activate',
        s.tok.admin,
      ),
      404,
      'ERR_NOT_FOUND',
    );
    // List and read: members and admins only; a non-member gets the same 404 as a missing id.
    const list = JSON.parse((await call(s, 'GET', '/api/v1/agreements', s.tok.arvR)).body);
    conforms('AgreementList', list);
    expect(list.agreements).toEqual([
      expect.objectContaining({ id: 'northsea-cti-compact', version: 3, status: 'active' }),
    ]);
    expect(
      JSON.parse((await call(s, 'GET', '/api/v1/agreements', s.tok.nobody)).body).agreements,
    ).toEqual([]);
    const doc = JSON.parse(
      (await call(s, 'GET', '/api/v1/agreements/northsea-cti-compact', s.tok.arvR)).body,
    );
    conforms('AgreementDocument', doc);
    expect(doc.signatures).toMatchObject({ ok: true, missing: [] });
    expect(doc.digest).toBe(v.digest);
    expectError(
      await call(s, 'GET', '/api/v1/agreements/northsea-cti-compact', s.tok.nobody),
      404,
      'ERR_NOT_FOUND',
    );
    expectError(await call(s, 'GET', '/api/v1/agreements/nope', s.tok.arvR), 404, 'ERR_NOT_FOUND');
  });

  it('decisions: own agency only unless admin, with explanation; reads no stored intel', async () => {
    const s = await makeRest();
    const req = (agency: string, tlp = 'green') => ({
      agreement: 'fixture',
      request: {
        agency,
        purpose: 'incident-response',
        at: AT,
        object: { type: 'indicator', tlp, personalData: 'none', producer: 'ARV' },
      },
    });
    const before = await s.snapshot();
    const allow = JSON.parse(
      (await call(s, 'POST', '/api/v1/decisions', s.tok.cal, req('CAL-CSIRT'))).body,
    );
    conforms('Decision', allow);
    expect(allow.decision.effect).toBe('allow');
    expect(allow.decision.allowedBy[0].source.line).toBeGreaterThan(0);
    const deny = JSON.parse(
      (await call(s, 'POST', '/api/v1/decisions', s.tok.cal, req('CAL-CSIRT', 'red'))).body,
    );
    conforms('Decision', deny);
    expect(deny.decision).toMatchObject({ effect: 'deny' });
    expectError(
      await call(s, 'POST', '/api/v1/decisions', s.tok.cal, req('ARV-CERT')),
      403,
      'ERR_FORBIDDEN',
    );
    expect(
      (await call(s, 'POST', '/api/v1/decisions', s.tok.admin, req('CAL-CSIRT'))).statusCode,
    ).toBe(200);
    expectError(
      await call(s, 'POST', '/api/v1/decisions', s.tok.nobody, req('NOBODY')),
      404,
      'ERR_NOT_FOUND',
    );
    expectError(
      await call(s, 'POST', '/api/v1/decisions', s.tok.cal, {
        ...req('CAL-CSIRT'),
        objectId: 'indicator--1',
      }),
      400,
      'ERR_BODY_INVALID',
    );
    expect(await s.snapshot()).toEqual(before);
  });

  it('ledger: checkpoint (text and json), checkpoints, inclusion and consistency proofs verify; no entry bodies', async () => {
    const s = await makeRest();
    expectError(
      await call(s, 'GET', '/api/v1/ledger/checkpoint', s.tok.arvR),
      404,
      'ERR_NOT_FOUND',
    );
    await s.ledger.append('governance', { event: 'test', agreementId: 'fixture' });
    const first = (await s.ledger.head())!.size;
    await s.ledger.append('governance', { event: 'test', agreementId: 'fixture' });
    await s.ledger.append('governance', { event: 'test', agreementId: 'fixture' });
    const text = await call(s, 'GET', '/api/v1/ledger/checkpoint', s.tok.arvR, undefined, {
      accept: 'text/plain',
    });
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(text.body.split('\n')[0]).toBe(ORIGIN);
    const cp = JSON.parse((await call(s, 'GET', '/api/v1/ledger/checkpoint', s.tok.arvR)).body);
    conforms('Checkpoint', cp);
    expect(cp.note).toBe(text.body);
    const list = JSON.parse(
      (await call(s, 'GET', `/api/v1/ledger/checkpoints?from=${first}`, s.tok.arvR)).body,
    );
    conforms('CheckpointList', list);
    expect(list.checkpoints.every((c: { size: number }) => c.size >= first)).toBe(true);
    const inc = JSON.parse(
      (await call(s, 'GET', `/api/v1/ledger/proof/inclusion?seq=1&size=${cp.size}`, s.tok.arvR))
        .body,
    );
    conforms('InclusionProof', inc);
    const buf = (x: string) => new Uint8Array(Buffer.from(x, 'base64'));
    expect(
      verifyInclusion(buf(inc.leafHash), 1, cp.size, inc.proof.map(buf), buf(cp.root)).ok,
    ).toBe(true);
    const con = JSON.parse(
      (
        await call(
          s,
          'GET',
          `/api/v1/ledger/proof/consistency?from=${first}&to=${cp.size}`,
          s.tok.arvR,
        )
      ).body,
    );
    conforms('ConsistencyProof', con);
    expect(
      verifyConsistency(first, cp.size, con.proof.map(buf), buf(con.fromRoot), buf(con.toRoot)).ok,
    ).toBe(true);
    expect(JSON.stringify(inc)).not.toContain('agreementId');
    const bad = await call(
      s,
      'GET',
      `/api/v1/ledger/proof/inclusion?seq=99&size=${cp.size}`,
      s.tok.arvR,
    );
    expect(bad.statusCode).toBe(400);
    expectError(
      await call(s, 'GET', '/api/v1/ledger/checkpoint', undefined),
      401,
      'ERR_UNAUTHENTICATED',
    );
  });

  it('healthz, readyz, metrics (admin, counts only, no intel in labels)', async () => {
    const s = await makeRest();
    const h = await call(s, 'GET', '/healthz', undefined);
    expect(h.statusCode).toBe(200);
    conforms('Health', JSON.parse(h.body));
    const r = await call(s, 'GET', '/readyz', undefined);
    expect(r.statusCode, r.body).toBe(200);
    conforms('Readiness', JSON.parse(r.body));
    const a = indicator('green');
    await call(s, 'POST', '/api/v1/bundles?agreement=fixture', s.tok.arvW, bundle([a]));
    const got = await s.app.inject({
      url: '/taxii2/fixture/collections/incident-response/objects/',
      headers: {
        accept: 'application/taxii+json;version=2.1',
        authorization: `Bearer ${s.tok.cal}`,
      },
    });
    expect(got.statusCode).toBe(200);
    expectError(await call(s, 'GET', '/metrics', s.tok.arvW), 403, 'ERR_FORBIDDEN');
    expectError(await call(s, 'GET', '/metrics', undefined), 401, 'ERR_UNAUTHENTICATED');
    const m = await call(s, 'GET', '/metrics', s.tok.admin);
    expect(m.statusCode).toBe(200);
    expect(m.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(m.body).toContain('concordat_ingested_objects_total{status="inserted"} 1');
    expect(m.body).toContain('concordat_released_objects_total{channel="objects"} 1');
    expect(m.body).toMatch(/concordat_decisions_total\{effect="allow",stage="allow"\} \d+/);
    expect(m.body).toContain('route="/api/v1/bundles",method="POST",status="200"');
    expect(m.body).not.toContain(a['id'] as string);
    expect(m.body).not.toContain('host');
    // Every sample line is `name{labels} value` or `name value`.
    for (const line of m.body
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('#')))
      expect(line).toMatch(/^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? \d+$/);
    // A readiness failure: a stored head whose root is not the signed one does not verify.
    const s2 = await makeRest(true);
    await s2.ledger.append('governance', { event: 'test' });
    const nr = await call(s2, 'GET', '/readyz', undefined);
    expect(nr.statusCode).toBe(503);
    expect(JSON.parse(nr.body)).toEqual({
      status: 'unavailable',
      checks: { store: true, agreements: true, ledger: false },
    });
  });
  it('random bad input to every REST route: coded errors, never 5xx, nothing written', async () => {
    const s = await makeRest();
    const seed = Number(process.env['REST_FUZZ_SEED'] ?? Date.now() % 2 ** 31);
    let x = seed || 1;
    const rnd = (n: number): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % n;
    };
    const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)] as T;
    const urls = [
      '/api/v1/bundles?agreement=fixture',
      '/api/v1/bundles?agreement=%00',
      '/api/v1/bundles',
      '/api/v1/agreements',
      '/api/v1/agreements/fixture',
      '/api/v1/agreements/%E2%80%AEfixture?version=0',
      '/api/v1/agreements/validate',
      '/api/v1/agreements/x/versions/99999999999/activate',
      '/api/v1/agreements/x/versions/1/activate',
      '/api/v1/decisions',
      '/api/v1/ledger/checkpoint',
      '/api/v1/ledger/checkpoints?from=abc',
      '/api/v1/ledger/proof/inclusion?seq=0&size=0',
      '/api/v1/ledger/proof/inclusion?seq=1e400',
      '/api/v1/ledger/proof/consistency?from=5&to=1',
      '/api/v1/openapi.json?x=1',
      '/metrics',
      '/readyz',
    ];
    const bodies: unknown[] = [
      '',
      '{',
      'null',
      '[]',
      '"x"',
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"x":1}}}',
      { type: 'bundle', id: 'bundle--x', objects: [{}] },
      {
        agreement: 'fixture',
        request: { agency: 'CAL-CSIRT', purpose: 'x', at: 'yesterday', object: {} },
      },
      {
        agreement: 'fixture',
        request: {
          agency: '\u202eCAL',
          purpose: 'incident-response',
          at: AT,
          object: { type: 'indicator', tlp: 'mauve', personalData: 'none', producer: 'ARV' },
        },
      },
      { source: 'concordat: 1\nid: [', signatures: {} },
      { source: SOURCE, signatures: { concordat_signatures: 1, signatures: [{}] } },
      'concordat: 1\nid: x\n  - broken: [',
    ];
    const types = [
      'application/json',
      'application/yaml',
      'text/plain',
      'application/json; charset=utf-16',
      'multipart/form-data',
      '',
    ];
    const tokens = [s.tok.arvW, s.tok.cal, s.tok.admin, s.tok.nobody, 'cct_bogus', undefined];
    const before = await s.snapshot();
    for (let i = 0; i < 300; i++) {
      const body = pick(bodies);
      const type = pick(types);
      const token = pick(tokens);
      const r = await s.app.inject({
        method: pick(['GET', 'POST', 'POST', 'PUT', 'DELETE'] as const),
        url: pick(urls),
        headers: {
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(type === '' ? {} : { 'content-type': type }),
          ...(rnd(4) === 0
            ? { accept: pick(['text/html', 'application/*', '*/*;q=0', 'text/plain']) }
            : {}),
        },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });
      expect(r.statusCode, `seed ${seed} request ${i}: ${r.body}`).toBeLessThan(500);
      if (r.statusCode >= 400 && r.statusCode !== 404 && r.statusCode !== 405) {
        const e = JSON.parse(r.body);
        expect(e.error?.code ?? e.error_code, `seed ${seed} request ${i}`).toMatch(/^ERR_/);
      }
    }
    expect(await s.snapshot(), `seed ${seed}`).toEqual(before);
  });
});
