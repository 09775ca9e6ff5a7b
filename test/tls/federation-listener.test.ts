/**
 * The mutual-TLS negative matrix over real loopback sockets (issue 6): every wrong certificate
 * and an old protocol are refused before any application data — the handshake fails or the
 * socket closes with not one HTTP byte — and nothing is written to the node's store or ledger.
 * Then the positive case: peer BOR pulls TAXII discovery and a collection as its agency, by
 * certificate alone. SQLite; the positive case also on PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionOptions } from 'node:tls';
import {
  certificateFingerprint,
  clientTlsOptions,
  createDevCa,
  createIntermediateCa,
  issueNodeCertificate,
  pemCertificates,
  toX509,
} from '../../src/tls/index.js';
import type { PeerConfig, TrustedPeer } from '../../src/tls/index.js';
import { describeDialects } from '../store/dialects.js';
import type { DialectUnderTest } from '../store/dialects.js';
import { storeAuthStore } from '../../src/node/index.js';
import { bundle } from '../node/fixtures.js';
import { partyTls, wideValidity } from './fixtures.js';
import type { PartyTls } from './fixtures.js';
import { get, identityOf, probe, serveNode } from './listener-harness.js';
import type { ServedNode } from './listener-harness.js';

const DAY = 86_400_000;
const AGREEMENT = 'northsea-cti-compact';
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const sqlite: DialectUnderTest = {
  name: 'sqlite',
  fresh: () => Promise.reject(new Error('sqlite nodes need no fresh database')),
};

let bor: PartyTls;
let cal: PartyTls;
beforeAll(async () => {
  [bor, cal] = await Promise.all([partyTls('BOR'), partyTls('CAL')]);
});

/** The client options of a raw probe presenting `pair` (or nothing), trusting ARV's CA. */
function presenting(
  served: ServedNode,
  pair?: { cert: string; key: string },
  extra: ConnectionOptions = {},
): ConnectionOptions {
  return { ca: [served.caPem], ...(pair ?? {}), ...extra };
}

async function footprint(served: ServedNode): Promise<string> {
  const db = served.fixture.node.db;
  const count = async (table: string): Promise<number> =>
    Number((await db.get(`SELECT COUNT(*) AS n FROM ${table}`))?.n);
  return JSON.stringify({
    ledger: await count('ledger_entries'),
    checkpoints: await count('checkpoints'),
    objects: await count('objects'),
    withdrawals: await count('withdrawals'),
  });
}

/** ARV's peer entry for BOR, as BOR's client trusts it (for client-side checks). */
function arvAsPeer(served: ServedNode): TrustedPeer {
  const peer: PeerConfig = {
    party: 'ARV',
    url: served.servers.urls.federation ?? '',
    ca: '/unused',
    agency: 'ARV-CERT',
    pullEvery: { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 1, seconds: 0 },
  };
  return { peer, caPem: served.caPem, ca: toX509(served.caPem) };
}

describe('federation listener: the negative matrix [sqlite]', () => {
  let served: ServedNode;
  let before: string;
  beforeAll(async () => {
    served = await serveNode(sqlite, [
      { tls: bor, agency: 'BOR-CERT' },
      // CAL is pinned to a fingerprint its real certificate does not have.
      { tls: cal, agency: 'CAL-CSIRT', pin: 'ab'.repeat(32) },
    ]);
    before = await footprint(served);
  });
  afterAll(async () => {
    await served?.close();
  });

  const expectRefused = (r: { handshake: boolean; received: string }): void => {
    expect(r.received).toBe(''); // not one byte of an HTTP answer
  };
  /**
   * Refused by the TLS layer itself: under TLS 1.3 (the default) the client's handshake ends
   * before the server has judged its certificate, so the proof is that no byte comes back;
   * under TLS 1.2 the handshake itself fails.
   */
  const expectHandshakeRefused = async (pair?: { cert: string; key: string }): Promise<void> => {
    expectRefused(await probe(served.port, presenting(served, pair)));
    const tls12 = await probe(served.port, presenting(served, pair, { maxVersion: 'TLSv1.2' }));
    expectRefused(tls12);
    expect(tls12.handshake).toBe(false);
    expect(tls12.error).toBeDefined();
  };

  it('no-certificate: refused in the handshake, no HTTP byte', async () => {
    await expectHandshakeRefused();
  });

  it('expired: refused in the handshake', async () => {
    const expired = await issueNodeCertificate(bor.ca, {
      party: 'BOR',
      origin: bor.origin,
      notBefore: new Date(Date.now() - 30 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    await expectHandshakeRefused(expired);
  });

  it('not-yet-valid: refused in the handshake', async () => {
    const early = await issueNodeCertificate(bor.ca, {
      party: 'BOR',
      origin: bor.origin,
      notBefore: new Date(Date.now() + DAY),
      notAfter: new Date(Date.now() + 30 * DAY),
    });
    await expectHandshakeRefused(early);
  });

  it('wrong-ca: a BOR certificate from a CA no peer is configured with is refused', async () => {
    const rogue = await createDevCa('BOR', wideValidity());
    const cert = await issueNodeCertificate(rogue, {
      party: 'BOR',
      origin: bor.origin,
      ...wideValidity(),
    });
    await expectHandshakeRefused(cert);
  });

  it('wrong-pin: CAL’s genuine certificate, pinned to another hash, is refused by the guard', async () => {
    const n = served.refused.length;
    const r = await probe(served.port, presenting(served, cal.node));
    expectRefused(r);
    expect(served.refused.slice(n)).toContain('ERR_TLS_PIN_MISMATCH');
  });

  it('other-party: a certificate CAL’s CA issued for BOR is refused by the guard', async () => {
    const forged = await issueNodeCertificate(cal.ca, {
      party: 'BOR',
      origin: bor.origin,
      ...wideValidity(),
    });
    const n = served.refused.length;
    const r = await probe(served.port, presenting(served, forged));
    expectRefused(r);
    expect(served.refused.slice(n)).toContain('ERR_TLS_PARTY_MISMATCH');
  });

  it('tls-1.1: a client that speaks at most TLS 1.1 never completes a handshake', async () => {
    const r = await probe(
      served.port,
      presenting(served, bor.node, {
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.1',
        // OpenSSL 3 refuses TLS 1.1 locally at the default security level; level 0 lets the
        // client offer it, so that the refusal tested is the server's.
        ciphers: 'DEFAULT@SECLEVEL=0',
      }),
    );
    expect(r.handshake).toBe(false);
    expectRefused(r);
    // The server's alert, not a local refusal.
    expect(r.error).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
  });

  it('bearer-header: a valid peer certificate with an Authorization header is refused, never re-identified', async () => {
    const id = await identityOf(bor);
    const r = await get(
      `${served.servers.urls.federation ?? ''}/taxii2/`,
      clientTlsOptions(id, arvAsPeer(served)),
      { authorization: `Bearer cct_${'A'.repeat(43)}` },
    );
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ error_code: 'ERR_UNAUTHENTICATED' });
  });

  it('nothing refused was written: store and ledger unchanged', async () => {
    expect(await footprint(served)).toBe(before);
  });

  it('a plain-http request to the federation port gets no HTTP answer', async () => {
    const { connect } = await import('node:net');
    const received = await new Promise<string>((resolve) => {
      let data = '';
      const s = connect(served.port, '127.0.0.1', () => {
        s.write('GET /taxii2/ HTTP/1.1\r\nHost: localhost\r\n\r\n');
      });
      s.on('data', (c: Buffer) => (data += c.toString('latin1')));
      s.on('error', () => undefined);
      s.on('close', () => resolve(data));
    });
    expect(received).not.toMatch(/^HTTP\//);
  });
});

describe('client side: clientTlsOptions + identity rules on the server certificate', () => {
  let served: ServedNode;
  beforeAll(async () => {
    served = await serveNode(sqlite, [{ tls: bor, agency: 'BOR-CERT' }]);
  });
  afterAll(async () => {
    await served?.close();
  });

  it('accepts the genuine server (and its pin)', async () => {
    const id = await identityOf(bor);
    const peer = arvAsPeer(served);
    const pin = certificateFingerprint(served.servers.tls?.identity.certPem ?? '');
    const pinned = { ...peer, peer: { ...peer.peer, pin } };
    const r = await get(`${peer.peer.url}/taxii2/`, clientTlsOptions(id, pinned));
    expect(r.status).toBe(200);
  });

  it('refuses a server whose certificate hashes to another pin, before sending a request', async () => {
    const id = await identityOf(bor);
    const peer = arvAsPeer(served);
    const pinned = { ...peer, peer: { ...peer.peer, pin: 'cd'.repeat(32) } };
    await expect(
      get(`${peer.peer.url}/taxii2/`, clientTlsOptions(id, pinned)),
    ).rejects.toMatchObject({ code: 'ERR_TLS_PIN_MISMATCH' });
  });

  it('refuses a server presenting another party’s certificate (peer CA vouching for ARV)', async () => {
    const id = await identityOf(bor);
    // The client expects party CAL behind CAL's CA, but the server is ARV's node.
    const peer = arvAsPeer(served);
    const wrong: TrustedPeer = { ...peer, peer: { ...peer.peer, party: 'CAL' } };
    await expect(
      get(`${peer.peer.url}/taxii2/`, clientTlsOptions(id, wrong)),
    ).rejects.toMatchObject({ code: 'ERR_TLS_PARTY_MISMATCH' });
  });

  it('refuses a server whose certificate another CA issued', async () => {
    const id = await identityOf(bor);
    const peer = arvAsPeer(served);
    const other: TrustedPeer = { ...peer, caPem: cal.ca.cert, ca: toX509(cal.ca.cert) };
    await expect(
      get(`${peer.peer.url}/taxii2/`, clientTlsOptions(id, other)),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/UNABLE_TO_VERIFY|SELF_SIGNED|UNABLE_TO_GET_ISSUER/),
    });
  });
});

describeDialects('federation listener: a peer pulls by certificate', (d) => {
  let served: ServedNode;
  beforeAll(async () => {
    served = await serveNode(d, [{ tls: bor, agency: 'BOR-CERT' }]);
    const indicator = {
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${randomUUID()}`,
      created: '2026-02-01T00:00:00.000Z',
      modified: '2026-02-01T00:00:00.000Z',
      pattern: "[domain-name:value = 'c2.example']",
      pattern_type: 'stix',
      valid_from: '2026-02-01T00:00:00Z',
      object_marking_refs: [GREEN],
    };
    await served.fixture.node.ingest(bundle([indicator]), { collection: AGREEMENT });
  });
  afterAll(async () => {
    await served?.close();
  });

  it('discovery, the collections, and the objects of incident-response, as BOR-CERT', async () => {
    const id = await identityOf(bor);
    const options = clientTlsOptions(id, arvAsPeer(served));
    const base = served.servers.urls.federation ?? '';
    const disc = await get(`${base}/taxii2/`, options);
    expect(disc.status).toBe(200);
    expect(disc.body.api_roots).toEqual([`/taxii2/${AGREEMENT}/`]);
    const cols = await get(`${base}/taxii2/${AGREEMENT}/collections/`, options);
    const ir = (cols.body.collections as { id: string; alias: string; can_read: boolean }[]).find(
      (c) => c.alias === 'incident-response',
    );
    expect(ir).toMatchObject({ can_read: true });
    const objects = await get(
      `${base}/taxii2/${AGREEMENT}/collections/${ir?.id ?? ''}/objects/`,
      options,
    );
    expect(objects.status).toBe(200);
    expect((objects.body.objects as { type: string }[]).map((o) => o.type)).toEqual(['indicator']);
  });

  it('federation endpoints answer on the mutual-TLS listener only, never to a bearer token on the analyst api', async () => {
    const auth = storeAuthStore(served.fixture.node.db, served.fixture.node.clock);
    const { token } = await auth.issue({ agency: 'BOR-CERT', scopes: ['read', 'write'] });
    const analyst = served.servers.urls.analyst ?? '';
    for (const path of ['/api/v1/federation/receipts', '/api/v1/federation/withdrawals']) {
      const r = await fetch(`${analyst}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status, path).toBe(404);
    }
    // The same agency, by its node's certificate on the federation listener: answered.
    const options = clientTlsOptions(await identityOf(bor), arvAsPeer(served));
    const w = await get(
      `${served.servers.urls.federation ?? ''}/api/v1/federation/withdrawals`,
      options,
    );
    expect(w.status).toBe(200);
  });
});

describeDialects('federation listener: a peer whose certificate an intermediate CA issued', (d) => {
  let viaIntermediate: PartyTls;
  let served: ServedNode;
  beforeAll(async () => {
    // BOR's configured CA is its root; its node certificate comes from an intermediate under
    // it and is served with that intermediate (the root stays with the partners).
    const window = wideValidity();
    const root = await createDevCa('BOR', { ...window, intermediates: 1 });
    const intermediate = await createIntermediateCa(root, 'BOR', window);
    const node = await issueNodeCertificate(intermediate, {
      party: 'BOR',
      origin: 'concordat.bor.node',
      ...window,
    });
    viaIntermediate = { party: 'BOR', origin: 'concordat.bor.node', ca: root, node };
    served = await serveNode(d, [{ tls: viaIntermediate, agency: 'BOR-CERT' }]);
  });
  afterAll(async () => {
    await served?.close();
  });

  it('is accepted by certificate and chain, and its party is its own', async () => {
    const options = clientTlsOptions(await identityOf(viaIntermediate), arvAsPeer(served));
    const disc = await get(`${served.servers.urls.federation ?? ''}/taxii2/`, options);
    expect(disc.status).toBe(200);
    expect(served.refused).toEqual([]);
  });

  it('is refused when it leaves its intermediate out', async () => {
    const leafOnly = {
      ...viaIntermediate,
      node: { ...viaIntermediate.node, cert: pemCertificates(viaIntermediate.node.cert)[0]! },
    };
    const options = clientTlsOptions(await identityOf(leafOnly), arvAsPeer(served));
    const outcome = await get(`${served.servers.urls.federation ?? ''}/taxii2/`, options).then(
      () => 'answered',
      () => 'refused',
    );
    expect(outcome).toBe('refused');
  });
});
