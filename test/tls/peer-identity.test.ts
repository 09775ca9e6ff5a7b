/**
 * The identity rules on certificates alone (no sockets): each refusal of the negative matrix
 * by its reason code, and the one accepted case.
 */
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  certificateFingerprint,
  createDevCa,
  createIntermediateCa,
  issueNodeCertificate,
  pemCertificates,
  peerIdentity,
  subjectCommonNames,
  subjectOrganizations,
} from '../../src/tls/index.js';
import { partyTls, trusted, wideValidity } from './fixtures.js';
import type { PartyTls } from './fixtures.js';

const DAY = 86_400_000;
let bor: PartyTls;
let cal: PartyTls;
const now = Date.now();

beforeAll(async () => {
  [bor, cal] = await Promise.all([partyTls('BOR'), partyTls('CAL')]);
});

describe('development certificates', () => {
  it('issue a CA (CA:true, pathlen 0) and a node certificate with the design’s subject, SAN and EKU', async () => {
    const ca = new X509Certificate(bor.ca.cert);
    const node = new X509Certificate(bor.node.cert);
    expect(ca.ca).toBe(true);
    expect(subjectOrganizations(ca)).toEqual(['BOR']);
    expect(subjectCommonNames(ca)).toEqual(['Concordat BOR development CA']);
    expect(node.ca).toBe(false);
    expect(subjectCommonNames(node)).toEqual(['concordat.bor.node']);
    expect(subjectOrganizations(node)).toEqual(['BOR']);
    expect(node.subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(node.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(node.checkIssued(ca) && node.verify(ca.publicKey)).toBe(true);
    expect(node.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(certificateFingerprint(bor.node.cert)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuse a validity window that ends before it begins', async () => {
    await expect(
      createDevCa('BOR', { notBefore: new Date(now), notAfter: new Date(now - DAY) }),
    ).rejects.toMatchObject({ code: 'ERR_USAGE' });
  });

  it('refuse a CA key that is not PEM as ERR_TLS_MATERIAL_INVALID', async () => {
    await expect(
      issueNodeCertificate({ cert: bor.ca.cert, key: 'not a key' }, { party: 'BOR', origin: 'x' }),
    ).rejects.toMatchObject({ code: 'ERR_TLS_MATERIAL_INVALID' });
  });
});

describe('peerIdentity', () => {
  it('accepts a certificate issued by the peer’s CA for the peer’s party', () => {
    const r = peerIdentity(bor.node.cert, [trusted(cal), trusted(bor)], now);
    expect(r).toMatchObject({ ok: true, peer: { party: 'BOR', agency: 'BOR-CERT' } });
  });

  it('accepts a matching pin', () => {
    const pin = certificateFingerprint(bor.node.cert);
    expect(peerIdentity(bor.node.cert, [trusted(bor, { pin })], now).ok).toBe(true);
  });

  const refused = (
    cert: string | undefined,
    peers: Parameters<typeof peerIdentity>[1],
    at = now,
  ): string => {
    const r = peerIdentity(cert, peers, at);
    if (r.ok) throw new Error('accepted');
    return r.error.code;
  };

  it('no-certificate: ERR_TLS_PEER_UNKNOWN', () => {
    expect(refused(undefined, [trusted(bor)])).toBe('ERR_TLS_PEER_UNKNOWN');
  });

  it('garbage-certificate: ERR_TLS_PEER_UNKNOWN, no throw', () => {
    expect(
      refused('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', [trusted(bor)]),
    ).toBe('ERR_TLS_PEER_UNKNOWN');
  });

  it('wrong-ca: a certificate from an unconfigured CA is ERR_TLS_PEER_UNKNOWN', async () => {
    const rogue = await createDevCa('BOR', wideValidity());
    const cert = await issueNodeCertificate(rogue, {
      party: 'BOR',
      origin: 'concordat.bor.node',
      ...wideValidity(),
    });
    expect(refused(cert.cert, [trusted(bor), trusted(cal)])).toBe('ERR_TLS_PEER_UNKNOWN');
  });

  it('other-party: a trusted peer CA issuing for another party is ERR_TLS_PARTY_MISMATCH', async () => {
    const forged = await issueNodeCertificate(cal.ca, {
      party: 'BOR',
      origin: 'concordat.bor.node',
      ...wideValidity(),
    });
    expect(refused(forged.cert, [trusted(bor), trusted(cal)])).toBe('ERR_TLS_PARTY_MISMATCH');
  });

  it('expired and not-yet-valid: ERR_TLS_CERT_NOT_VALID_NOW', async () => {
    const expired = await issueNodeCertificate(bor.ca, {
      party: 'BOR',
      origin: 'o',
      notBefore: new Date(now - 10 * DAY),
      notAfter: new Date(now - DAY),
    });
    const early = await issueNodeCertificate(bor.ca, {
      party: 'BOR',
      origin: 'o',
      notBefore: new Date(now + DAY),
      notAfter: new Date(now + 10 * DAY),
    });
    expect(refused(expired.cert, [trusted(bor)])).toBe('ERR_TLS_CERT_NOT_VALID_NOW');
    expect(refused(early.cert, [trusted(bor)])).toBe('ERR_TLS_CERT_NOT_VALID_NOW');
  });

  it('wrong-pin: ERR_TLS_PIN_MISMATCH', () => {
    expect(refused(bor.node.cert, [trusted(bor, { pin: '0'.repeat(64) })])).toBe(
      'ERR_TLS_PIN_MISMATCH',
    );
  });

  it('injected-o: an O holding `, O=BOR` is one value, never party BOR', async () => {
    // The subject is read from the DER, not from a text rendering a comma could split.
    const tricky = await issueNodeCertificate(cal.ca, {
      party: 'CAL, O=BOR',
      origin: 'o',
      ...wideValidity(),
    });
    expect(subjectOrganizations(tricky.cert)).toEqual(['CAL, O=BOR']);
    expect(refused(tricky.cert, [trusted(bor), trusted(cal)])).toBe('ERR_TLS_PARTY_MISMATCH');
  });

  it('no-peers: nothing is trusted', () => {
    expect(refused(bor.node.cert, [])).toBe('ERR_TLS_PEER_UNKNOWN');
  });
});

describe('intermediate CAs', () => {
  let root: PartyTls['ca'];
  let intermediate: { cert: string; key: string };
  let leaf: { cert: string; key: string };
  beforeAll(async () => {
    const window = wideValidity();
    root = await createDevCa('BOR', { ...window, intermediates: 1 });
    intermediate = await createIntermediateCa(root, 'BOR', window);
    leaf = await issueNodeCertificate(intermediate, {
      party: 'BOR',
      origin: 'concordat.bor.node',
      ...window,
    });
  });
  const chainOf = (pem: string): string[] => pemCertificates(pem).slice(1);

  it('a node certificate carries its intermediate after it, never the root', () => {
    const certs = pemCertificates(leaf.cert);
    expect(certs).toHaveLength(2);
    expect(new X509Certificate(certs[1]!).ca).toBe(true);
    expect(certs.some((c) => c.trim() === root.cert.trim())).toBe(false);
  });

  it('accept a certificate issued through an intermediate the peer presents', () => {
    const id = peerIdentity(
      leaf.cert,
      [trusted({ party: 'BOR', ca: root })],
      now,
      chainOf(leaf.cert),
    );
    expect(id).toMatchObject({ ok: true, peer: { party: 'BOR' } });
  });

  it('refuse it without the intermediate, or with the intermediate of another party’s CA', async () => {
    const alone = peerIdentity(leaf.cert, [trusted({ party: 'BOR', ca: root })], now);
    expect(alone.ok ? undefined : alone.error.code).toBe('ERR_TLS_PEER_UNKNOWN');
    // CAL's root, an intermediate under it, and a certificate it issued claiming BOR.
    const window = wideValidity();
    const calRoot = await createDevCa('CAL', { ...window, intermediates: 1 });
    const calInter = await createIntermediateCa(calRoot, 'CAL', window);
    const forged = await issueNodeCertificate(calInter, {
      party: 'BOR',
      origin: 'concordat.bor.node',
      ...window,
    });
    const id = peerIdentity(
      forged.cert,
      [trusted({ party: 'BOR', ca: root }), trusted({ party: 'CAL', ca: calRoot })],
      now,
      chainOf(forged.cert),
    );
    expect(id.ok ? undefined : id.error.code).toBe('ERR_TLS_PARTY_MISMATCH');
  });

  it('refuse an expired intermediate, and a non-CA certificate posing as one', async () => {
    const window = wideValidity();
    const stale = await createIntermediateCa(root, 'BOR', {
      notBefore: new Date(now - 30 * DAY),
      notAfter: new Date(now - DAY),
    });
    const viaStale = await issueNodeCertificate(stale, {
      party: 'BOR',
      origin: 'concordat.bor.node',
      ...window,
    });
    const a = peerIdentity(
      viaStale.cert,
      [trusted({ party: 'BOR', ca: root })],
      now,
      chainOf(viaStale.cert),
    );
    expect(a.ok ? undefined : a.error.code).toBe('ERR_TLS_PEER_UNKNOWN');
    // A node certificate (CA:false) used to sign another: never an issuer.
    const viaLeaf = await issueNodeCertificate(
      { cert: pemCertificates(leaf.cert)[0]!, key: leaf.key },
      { party: 'BOR', origin: 'concordat.bor.other', ...window },
    );
    const b = peerIdentity(viaLeaf.cert, [trusted({ party: 'BOR', ca: root })], now, [
      pemCertificates(leaf.cert)[0]!,
      ...chainOf(leaf.cert),
    ]);
    expect(b.ok ? undefined : b.error.code).toBe('ERR_TLS_PEER_UNKNOWN');
  });
});
