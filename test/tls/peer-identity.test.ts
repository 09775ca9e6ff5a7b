/**
 * The identity rules on certificates alone (no sockets): each refusal of the negative matrix
 * by its reason code, and the one accepted case.
 */
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  certificateFingerprint,
  createDevCa,
  issueNodeCertificate,
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
