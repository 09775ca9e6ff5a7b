/**
 * TAXII 2.1 endpoints, filters, pagination, content negotiation, the auth matrix, channel
 * parity and bad input — on SQLite and PostgreSQL, in process with `inject`.
 */
import { expect, it } from 'vitest';
import { describeDialects } from '../store/dialects.js';
import { AT, DAY, TAXII, get, indicator, ipv4, makeServer, threatActor } from './harness.js';
import type { ServerUnderTest } from './harness.js';

const ROOT = '/taxii2/fixture';
const IR = `${ROOT}/collections/incident-response`;
const ATTR = `${ROOT}/collections/attribution`;

async function json(s: ServerUnderTest, url: string, token: string | undefined) {
  const r = await s.app.inject({ url, headers: get(token) });
  return {
    status: r.statusCode,
    body: r.body === '' ? undefined : JSON.parse(r.body),
    headers: r.headers,
  };
}

/** Follows `next` (without resending `limit`) and returns every object id seen. */
async function walk(s: ServerUnderTest, first: string, token: string): Promise<string[]> {
  const seen: string[] = [];
  let url: string | undefined = first;
  for (let i = 0; url !== undefined && i < 1000; i++) {
    const r = await json(s, url, token);
    expect(r.status).toBe(200);
    for (const o of r.body.objects ?? []) seen.push(o.id);
    if (r.body.more === true) {
      expect(r.body.objects?.length ?? 0).toBeGreaterThan(0);
      url = `${IR}/objects/?next=${encodeURIComponent(r.body.next)}`;
    } else url = undefined;
  }
  return seen;
}

describeDialects('taxii', (d) => {
  it('discovery, api root, collections: one root per agreement, one collection per purpose', async () => {
    const s = await makeServer((await d.fresh()).db);
    const t = s.tokens['CAL-CSIRT:r'];
    const disc = await json(s, '/taxii2/', t);
    expect(disc.status).toBe(200);
    expect(disc.headers['content-type']).toBe(TAXII);
    expect(disc.body.api_roots).toEqual(['/taxii2/fixture/']);
    const root = await json(s, `${ROOT}/`, t);
    expect(root.body).toMatchObject({ versions: [TAXII], max_content_length: 10 * 1024 * 1024 });
    const cols = await json(s, `${ROOT}/collections/`, t);
    expect(cols.body.collections.map((c: { alias: string }) => c.alias)).toEqual([
      'incident-response',
      'attribution',
    ]);
    expect(cols.body.collections[0]).toMatchObject({ can_read: true, can_write: false });
    const byId = await json(s, `${ROOT}/collections/${cols.body.collections[0].id}/`, t);
    expect(byId.body.alias).toBe('incident-response');
    // An agency the agreement does not name sees no root, and the root is 404 like a missing one.
    const nobody = s.tokens['NOBODY:rw'];
    expect((await json(s, '/taxii2/', nobody)).body.api_roots).toEqual([]);
    expect((await json(s, `${ROOT}/`, nobody)).status).toBe(404);
    expect((await json(s, '/taxii2/nope/', t)).status).toBe(404);
  });

  it('objects: each agency receives what the agreement gives it for the purpose, stamped and ledgered', async () => {
    const s = await makeServer((await d.fresh()).db);
    const green = indicator('green');
    const red = indicator('red');
    const actor = threatActor('green');
    await s.seed('ARV', [green, red, actor]);
    const cal = await json(s, `${IR}/objects/`, s.tokens['CAL-CSIRT:r']);
    expect(cal.body.objects.map((o: { id: string }) => o.id)).toEqual([green.id]);
    const ext =
      cal.body.objects[0].extensions['extension-definition--6b3f5e1c-9a4d-4c2e-8f7a-2d5b9c0e4a13'];
    expect(ext).toMatchObject({
      agreement_id: 'fixture',
      purpose: 'incident-response',
      tier: 'operational',
    });
    // ARV-CERT holds the attribution-cell certification: it also gets the threat actor.
    const arv = await json(s, `${ATTR}/objects/`, s.tokens['ARV-CERT:r']);
    expect(arv.body.objects.map((o: { id: string }) => o.id)).toEqual([green.id, actor.id]);
    // CAL is outside the ARV–BOR extension: no attribution view at all.
    expect((await json(s, `${ATTR}/objects/`, s.tokens['CAL-CSIRT:r'])).body).toEqual({
      more: false,
    });
    // BOR forbids attribution coming in: an empty view, not an error.
    const bor = await json(s, `${ATTR}/objects/`, s.tokens['BOR-CERT:r']);
    expect(bor.status).toBe(200);
    expect(bor.body).toEqual({ more: false });
    expect(bor.headers['x-taxii-date-added-first']).toBeUndefined();
  });

  it('filters: added_after, match[id|type|version|spec_version], versions and manifest', async () => {
    const s = await makeServer((await d.fresh()).db);
    const v1 = indicator('green');
    const v2 = { ...v1, modified: '2026-02-10T00:00:00.000Z' };
    const other = indicator('green');
    await s.seed('ARV', [v1]);
    await s.seed('ARV', [v2, other]);
    const t = s.tokens['CAL-CSIRT:r'];
    const all = await json(s, `${IR}/objects/`, t);
    expect(
      all.body.objects.map((o: { id: string; modified: string }) => [o.id, o.modified]),
    ).toEqual([
      [v1.id, v2.modified],
      [other.id, other.modified],
    ]);
    const first = all.headers['x-taxii-date-added-first'] as string;
    const after = await json(s, `${IR}/objects/?added_after=${first}`, t);
    expect(after.body.objects.map((o: { id: string }) => o.id)).toEqual([other.id]);
    const ids = await json(s, `${IR}/objects/?match[id]=${v1.id}&match[version]=all`, t);
    expect(ids.body.objects.map((o: { modified: string }) => o.modified)).toEqual([
      v1.modified,
      v2.modified,
    ]);
    const firstV = await json(s, `${IR}/objects/?match[id]=${v1.id}&match[version]=first`, t);
    expect(firstV.body.objects.map((o: { modified: string }) => o.modified)).toEqual([v1.modified]);
    const exact = await json(s, `${IR}/objects/?match[version]=${v2.modified}`, t);
    expect(exact.body.objects.map((o: { id: string }) => o.id)).toEqual([v1.id]);
    expect((await json(s, `${IR}/objects/?match[type]=malware`, t)).body).toEqual({ more: false });
    expect((await json(s, `${IR}/objects/?match[spec_version]=2.0`, t)).body).toEqual({
      more: false,
    });
    const versions = await json(s, `${IR}/objects/${v1.id}/versions/`, t);
    expect(versions.body).toEqual({ more: false, versions: [v1.modified, v2.modified] });
    const manifest = await json(s, `${IR}/manifest/`, t);
    expect(manifest.body.objects).toEqual([
      expect.objectContaining({
        id: v1.id,
        version: v2.modified,
        media_type: 'application/stix+json;version=2.1',
      }),
      expect.objectContaining({ id: other.id, version: other.modified }),
    ]);
    const one = await json(s, `${IR}/objects/${other.id}/`, t);
    expect(one.body.objects.map((o: { id: string }) => o.id)).toEqual([other.id]);
  });

  it('pagination: many objects added at one instant, next followed without limit, a page never short because of denials', async () => {
    const s = await makeServer((await d.fresh()).db);
    const objs: Record<string, unknown>[] = [];
    for (let i = 0; i < 120; i++) objs.push(i % 3 === 0 ? indicator('red') : indicator('green'));
    await s.seed('ARV', objs); // one bundle: one instant, one transaction
    const visible = objs.filter((_, i) => i % 3 !== 0).map((o) => o.id);
    const t = s.tokens['CAL-CSIRT:r']!;
    const page = await json(s, `${IR}/objects/?limit=7`, t);
    expect(page.body.objects).toHaveLength(7);
    expect(await walk(s, `${IR}/objects/?limit=7`, t)).toEqual(visible);
    // Objects added while paging come after, once.
    const p1 = await json(s, `${IR}/objects/?limit=50`, t);
    const late = indicator('green');
    await s.seed('BOR', [late]);
    const rest = await walk(s, `${IR}/objects/?next=${encodeURIComponent(p1.body.next)}`, t);
    expect([...p1.body.objects.map((o: { id: string }) => o.id), ...rest]).toEqual([
      ...visible,
      late.id,
    ]);
    // A huge limit is lowered to the server's page size, not refused.
    const huge = await json(s, `${IR}/objects/?limit=99999999999999999999`, t);
    expect(huge.status).toBe(200);
    expect(huge.body.objects).toHaveLength(81);
  });

  it('content negotiation: 406 for other accepts, 415 for other bodies', async () => {
    const s = await makeServer((await d.fresh()).db);
    const auth = { authorization: `Bearer ${s.tokens['ARV-CERT:rw']}` };
    for (const accept of [
      'application/json',
      'application/taxii+json;version=2.0',
      'text/html',
      'application/taxii+json;q=0',
    ]) {
      const r = await s.app.inject({ url: '/taxii2/', headers: { ...auth, accept } });
      expect(r.statusCode, accept).toBe(406);
      expect(JSON.parse(r.body)).toMatchObject({
        error_code: 'ERR_NOT_ACCEPTABLE',
        http_status: '406',
      });
    }
    for (const accept of [
      TAXII,
      'application/taxii+json',
      '*/*',
      'application/json, application/taxii+json;version=2.1',
    ])
      expect(
        (await s.app.inject({ url: '/taxii2/', headers: { ...auth, accept } })).statusCode,
        accept,
      ).toBe(200);
    for (const ct of ['application/json', 'text/plain', 'application/taxii+json;version=2.0']) {
      const before = await s.snapshot();
      const r = await s.app.inject({
        method: 'POST',
        url: `${IR}/objects/`,
        headers: { ...auth, accept: TAXII, 'content-type': ct },
        payload: JSON.stringify({ objects: [indicator()] }),
      });
      expect(r.statusCode, ct).toBe(415);
      expect(JSON.parse(r.body).error_code).toBe('ERR_MEDIA_TYPE_UNSUPPORTED');
      expect(await s.snapshot()).toEqual(before);
    }
  });

  it('auth matrix: no default principal; 401 for bad credentials, 403 for missing scope, 404 for what is not visible', async () => {
    const s = await makeServer((await d.fresh()).db);
    const red = indicator('red');
    const green = indicator('green');
    await s.seed('ARV', [red, green]);
    const urls = [
      '/taxii2/',
      `${ROOT}/`,
      `${ROOT}/collections/`,
      `${IR}/objects/`,
      `${IR}/manifest/`,
      `${IR}/objects/${green.id}/`,
    ];
    const bad = [
      {},
      { authorization: '' },
      { authorization: 'Bearer' },
      { authorization: 'Bearer cct_x' },
      { authorization: `Bearer cct_${'A'.repeat(43)}` },
      { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      { authorization: `Bearer ${s.tokens['ARV-CERT:r']} extra` },
    ];
    for (const url of urls)
      for (const h of bad) {
        const r = await s.app.inject({ url, headers: { accept: TAXII, ...h } });
        expect(r.statusCode, `${url} ${JSON.stringify(h)}`).toBe(401);
        expect(JSON.parse(r.body).error_code).toBe('ERR_UNAUTHENTICATED');
      }
    const expiring = s.auth.issue('CAL-CSIRT', ['read'], { expiresAt: AT + 1000 });
    expect((await json(s, '/taxii2/', expiring.token)).status).toBe(200);
    s.vault.clock.advance(1000);
    expect((await json(s, '/taxii2/', expiring.token)).status).toBe(401);
    const revoked = s.auth.issue('CAL-CSIRT', ['read']);
    s.auth.revoke(revoked.record.id, AT);
    expect((await json(s, '/taxii2/', revoked.token)).status).toBe(401);
    // write-only token cannot read; read-only cannot write
    expect((await json(s, `${IR}/objects/`, s.tokens['CAL-CSIRT:w'])).status).toBe(403);
    const post = await s.app.inject({
      method: 'POST',
      url: `${IR}/objects/`,
      headers: {
        accept: TAXII,
        'content-type': TAXII,
        authorization: `Bearer ${s.tokens['CAL-CSIRT:r']}`,
      },
      payload: JSON.stringify({ objects: [indicator()] }),
    });
    expect(post.statusCode).toBe(403);
    // A red object exists but is never released: 404 byte-for-byte like a missing id.
    const t = s.tokens['CAL-CSIRT:r'];
    const denied = await s.app.inject({ url: `${IR}/objects/${red.id}/`, headers: get(t) });
    const missing = await s.app.inject({
      url: `${IR}/objects/indicator--00000000-0000-4000-8000-000000000000/`,
      headers: get(t),
    });
    expect(denied.statusCode).toBe(404);
    expect(denied.body).toBe(missing.body);
    expect(
      (await s.app.inject({ url: `${IR}/objects/${red.id}/versions/`, headers: get(t) })).body,
    ).toBe(
      (
        await s.app.inject({
          url: `${IR}/objects/indicator--00000000-0000-4000-8000-000000000000/versions/`,
          headers: get(t),
        })
      ).body,
    );
    // Request fields cannot switch on anything: extra headers and params change nothing.
    const sneaky = await s.app.inject({
      url: `${IR}/objects/?match[id]=${red.id}`,
      headers: { ...get(t), 'x-concordat-admin': 'true', 'x-forwarded-for': '127.0.0.1' },
    });
    expect(JSON.parse(sneaky.body)).toEqual({ more: false });
    expect((await json(s, `${IR}/objects/?admin=true`, t)).status).toBe(400);
  });

  it('client certificates map to agencies by fingerprint; unregistered or expired ones are 401', async () => {
    const { db } = await d.fresh();
    const { buildServer } = await import('../../src/server/index.js');
    const base = await makeServer(db);
    void base;
    // The peer-certificate reader is the composition root's; here it stands in for a TLS socket.
    const fp = 'ab'.repeat(32);
    const cert = {
      fingerprint256: fp.match(/../g)!.join(':').toUpperCase(),
      valid_from: 'Jan 1 00:00:00 2026 GMT',
      valid_to: 'Jan 1 00:00:00 2027 GMT',
    };
    const { compileAgreement } = await import('../../src/policy/index.js');
    const { serverAgreement } = await import('./harness.js');
    const a = serverAgreement();
    const app = buildServer({
      db,
      vault: base.vault.vault,
      clock: base.vault.clock,
      agreements: [
        {
          agreement: a,
          engine: compileAgreement(a),
          pseudonymKey: { pseudonymKey: Buffer.alloc(32, 1), agreementId: a.id },
        },
      ],
      state: () => base.state.current,
      ingest: async () => ({ objects: [] }),
      auth: base.auth,
      withdrawals: base.withdrawals,
      certificates: (f) => (f === fp ? { agency: 'BOR-CERT', scopes: ['read'] } : undefined),
      peerCertificate: (req) =>
        req.headers['x-test-peer'] === 'known'
          ? cert
          : req.headers['x-test-peer'] === 'other'
            ? { ...cert, fingerprint256: 'CD'.repeat(32) }
            : undefined,
    });
    const ok = await app.inject({
      url: '/taxii2/',
      headers: { accept: TAXII, 'x-test-peer': 'known' },
    });
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body).api_roots).toEqual(['/taxii2/fixture/']);
    expect(
      (await app.inject({ url: '/taxii2/', headers: { accept: TAXII, 'x-test-peer': 'other' } }))
        .statusCode,
    ).toBe(401);
    expect((await app.inject({ url: '/taxii2/', headers: { accept: TAXII } })).statusCode).toBe(
      401,
    );
    base.vault.clock.set(Date.UTC(2027, 0, 1));
    expect(
      (await app.inject({ url: '/taxii2/', headers: { accept: TAXII, 'x-test-peer': 'known' } }))
        .statusCode,
    ).toBe(401);
  });

  it('add objects: 202 and a status only its creator can read; the producer is the agency party; delete withdraws everywhere', async () => {
    const s = await makeServer((await d.fresh()).db);
    const o = indicator('green');
    const h = {
      accept: TAXII,
      'content-type': TAXII,
      authorization: `Bearer ${s.tokens['BOR-CERT:rw']}`,
    };
    const r = await s.app.inject({
      method: 'POST',
      url: `${IR}/objects/`,
      headers: h,
      payload: JSON.stringify({ objects: [o] }),
    });
    expect(r.statusCode).toBe(202);
    const status = JSON.parse(r.body);
    expect(status).toMatchObject({
      status: 'complete',
      total_count: 1,
      success_count: 1,
      failure_count: 0,
    });
    expect((await json(s, `${ROOT}/status/${status.id}/`, s.tokens['BOR-CERT:rw'])).body).toEqual(
      status,
    );
    expect((await json(s, `${ROOT}/status/${status.id}/`, s.tokens['CAL-CSIRT:r'])).status).toBe(
      404,
    );
    const cal = s.tokens['CAL-CSIRT:r'];
    expect((await json(s, `${IR}/objects/${o.id}/`, cal)).status).toBe(200);
    // Only the producing party can withdraw; anyone else gets 404 whether or not it exists.
    const del = (token: string) =>
      s.app.inject({
        method: 'DELETE',
        url: `${IR}/objects/${o.id}/`,
        headers: { accept: TAXII, authorization: `Bearer ${token}` },
      });
    expect((await del(s.tokens['ARV-CERT:rw']!)).statusCode).toBe(404);
    expect((await del(s.tokens['CAL-CSIRT:r']!)).statusCode).toBe(403);
    const ledgerBefore = ((await s.snapshot()) as { ledger: number }).ledger;
    expect((await del(s.tokens['BOR-CERT:rw']!)).statusCode).toBe(200);
    expect(((await s.snapshot()) as { ledger: number }).ledger).toBe(ledgerBefore + 1);
    for (const url of [`${IR}/objects/${o.id}/`, `${IR}/objects/${o.id}/versions/`])
      expect((await json(s, url, cal)).status).toBe(404);
    expect((await json(s, `${IR}/objects/`, cal)).body).toEqual({ more: false });
    expect((await json(s, `${IR}/manifest/`, cal)).body).toEqual({ more: false });
    expect((await del(s.tokens['BOR-CERT:rw']!)).statusCode).toBe(404);
  });

  it('bad input is a coded TAXII error, never a 500, and writes nothing', async () => {
    const s = await makeServer((await d.fresh()).db, { maxContentLength: 4096 });
    await s.seed('ARV', [indicator('green')]);
    const rw = `Bearer ${s.tokens['ARV-CERT:rw']}`;
    const post = (payload: string, ct = TAXII) =>
      s.app.inject({
        method: 'POST',
        url: `${IR}/objects/`,
        headers: { accept: TAXII, 'content-type': ct, authorization: rw },
        payload,
      });
    const before = await s.snapshot();
    const cases: [string, Promise<{ statusCode: number; body: string }>, number][] = [
      ['malformed json', post('{"objects": ['), 400],
      ['proto poisoning', post('{"__proto__": {"admin": true}, "objects": []}'), 400],
      ['not an envelope', post('[1,2,3]'), 400],
      ['no objects', post('{"more": false}'), 400],
      ['invalid stix', post(JSON.stringify({ objects: [{ type: 'indicator', id: 'nope' }] })), 422],
      [
        'oversized',
        post(JSON.stringify({ objects: [indicator('green', { description: 'x'.repeat(5000) })] })),
        413,
      ],
      ['empty body', post(''), 400],
    ];
    for (const [name, p, status] of cases) {
      const r = await p;
      expect(r.statusCode, name).toBe(status);
      const body = JSON.parse(r.body);
      expect(body.http_status, name).toBe(String(status));
      expect(typeof body.error_code, name).toBe('string');
    }
    expect(await s.snapshot()).toEqual(before);
    const t = s.tokens['CAL-CSIRT:r'];
    const gets: [string, number][] = [
      [`${IR}/objects/?match[foo]=x`, 400],
      [`${IR}/objects/?limit=0`, 400],
      [`${IR}/objects/?limit=-1`, 400],
      [`${IR}/objects/?limit=1.5`, 400],
      [`${IR}/objects/?next=garbage`, 400],
      [`${IR}/objects/?next=${encodeURIComponent('MTIz.5')}`, 400],
      [`${IR}/objects/?added_after=yesterday`, 400],
      [`${IR}/objects/?added_after=2026-13-45T99:00:00Z`, 400],
      [`${IR}/objects/?match[version]=latest`, 400],
      [
        `${IR}/objects/?match[id]=${encodeURIComponent('indicator--ａ0000000-0000-4000-8000-000000000000')}`,
        400,
      ],
      [
        `${IR}/objects/${encodeURIComponent('indicator--0000000０-0000-4000-8000-000000000000')}/`,
        400,
      ],
      [
        `${IR}/objects/${encodeURIComponent('indicator--00000000-0000-4000-8000-000000000000\u202e')}/`,
        400,
      ],
      [`${IR}/objects/${encodeURIComponent('../../../etc/passwd')}/`, 400],
      [`${IR}/objects/${'a'.repeat(2000)}/`, 400],
      [`${IR}/objects/%E0%A4%A/`, 400],
      [`${ROOT}/collections/nope/objects/`, 404],
      [`${ROOT}/status/nope/`, 404],
      ['/taxii2/fixture/collections/incident-response/objects/?limit=1&limit=2', 400],
      ['/nothing/here', 404],
    ];
    for (const [url, status] of gets) {
      const r = await s.app.inject({ url, headers: get(t) });
      expect(r.statusCode, url).toBe(status);
      expect(r.headers['content-type'], url).toBe(TAXII);
      expect(JSON.parse(r.body).error_code, url).toMatch(/^ERR_/);
    }
    const ledgerOnly = (x: unknown) => ({ ...(x as object), ledger: 0 });
    expect(ledgerOnly(await s.snapshot())).toEqual(ledgerOnly(before));
  });

  it('a warm release cache changes no decision: pauses and deadlines apply to the next request', async () => {
    const s = await makeServer((await d.fresh()).db);
    const a = indicator('green');
    const b = indicator('green');
    await s.seed('ARV', [a, b]);
    const url = `${IR}/objects/`;
    const token = s.tokens['CAL-CSIRT:r'];
    const ids = (r: { body: { objects?: { id: string }[] } }) =>
      (r.body.objects ?? []).map((o) => o.id);
    const entryOf = (o: { extensions: Record<string, { ledger_entry: string }> }) =>
      o.extensions['extension-definition--6b3f5e1c-9a4d-4c2e-8f7a-2d5b9c0e4a13']!.ledger_entry;
    const first = await json(s, url, token);
    expect(ids(first)).toEqual([a.id, b.id]);
    const second = await json(s, url, token);
    expect(ids(second)).toEqual([a.id, b.id]);
    // Each request is its own release on the ledger, and says so in its stamp.
    expect(entryOf(second.body.objects[0])).not.toBe(entryOf(first.body.objects[0]));
    const unstamped = (o: Record<string, unknown>) => ({ ...o, extensions: undefined });
    expect(unstamped(second.body.objects[0])).toEqual(unstamped(first.body.objects[0]));
    // ARV pauses: the next request gets nothing, cached or not.
    s.state.current = {
      ...s.state.current,
      pauses: [{ id: 'p', party: 'ARV', scope: {}, since: AT }],
    };
    expect(await json(s, url, token)).toMatchObject({ status: 200, body: { more: false } });
    expect(ids(await json(s, url, token))).toEqual([]);
    s.state.current = { ...s.state.current, pauses: [] };
    expect(ids(await json(s, url, token))).toEqual([a.id, b.id]);
    // Past the retention deadline the versions are gone for everyone.
    s.vault.clock.set(AT + 61 * DAY);
    expect(ids(await json(s, url, token))).toEqual([]);
  });

  it('channel parity: for random (agency, object) pairs, objects, manifest, versions and by-id agree on visibility', async () => {
    const s = await makeServer((await d.fresh()).db);
    const seed = Number(process.env.CONCORDAT_TEST_SEED ?? Date.now() % 1_000_000);
    process.stdout.write(`channel parity seed ${seed}\n`);
    let x = seed;
    const rand = (n: number) => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x % n;
    };
    const makers = [
      () => indicator('green'),
      () => indicator('amber'),
      () => indicator('red'),
      () => threatActor('green'),
      () => threatActor('amber'),
      () => ipv4(rand(60000)),
    ];
    const arv: Record<string, unknown>[] = [];
    const bor: Record<string, unknown>[] = [];
    for (let i = 0; i < 30; i++) (rand(2) === 0 ? arv : bor).push(makers[rand(makers.length)]!());
    const distinct = (l: Record<string, unknown>[]) => [
      ...new Map(l.map((o) => [o.id, o])).values(),
    ];
    await s.seed('ARV', distinct(arv));
    await s.seed('BOR', distinct(bor));
    const agencies = ['ARV-CERT', 'BOR-CERT', 'CAL-CSIRT'];
    for (const agency of agencies)
      for (const coll of [IR, ATTR]) {
        const t = s.tokens[`${agency}:r`]!;
        const objs = (await json(s, `${coll}/objects/?limit=1000`, t)).body.objects ?? [];
        const man = (await json(s, `${coll}/manifest/?limit=1000`, t)).body.objects ?? [];
        const ids = objs.map((o: { id: string }) => o.id);
        expect(
          man.map((o: { id: string }) => o.id),
          `${agency} ${coll}`,
        ).toEqual(ids);
        for (const id of ids) {
          expect((await json(s, `${coll}/objects/${id}/`, t)).status).toBe(200);
          expect((await json(s, `${coll}/objects/${id}/versions/`, t)).status).toBe(200);
          const m = (await json(s, `${coll}/objects/?match[id]=${id}`, t)).body.objects;
          expect(m.map((o: { id: string }) => o.id)).toEqual([id]);
        }
        // Every stored id the agency was not given is invisible through every channel.
        for (const o of [...arv, ...bor]) {
          const id = String(o.id);
          if (ids.includes(id)) continue;
          expect((await json(s, `${coll}/objects/${id}/`, t)).status, `${agency} ${id}`).toBe(404);
          expect((await json(s, `${coll}/objects/${id}/versions/`, t)).status).toBe(404);
          expect((await json(s, `${coll}/manifest/?match[id]=${id}`, t)).body).toEqual({
            more: false,
          });
        }
      }
  });
});
