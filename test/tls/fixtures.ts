/**
 * TLS material for tests: development CAs and node certificates per party, issued once per test
 * file with the product's own functions (src/tls), including the deliberately bad ones of the
 * negative matrix.
 */
import { toX509 } from '../../src/tls/index.js';
import type { DevCa, PeerConfig, PemPair, TrustedPeer } from '../../src/tls/index.js';
import { createDevCa, issueNodeCertificate } from '../../src/tls/index.js';

const DAY = 86_400_000;
/**
 * A validity window that holds both at the wall clock (what OpenSSL checks during the handshake)
 * and at the tests' manual clock (2026-03-03, what the server's authentication checks).
 */
export function wideValidity(): { notBefore: Date; notAfter: Date } {
  const earliest = Math.min(Date.now(), Date.UTC(2026, 2, 3, 14));
  const latest = Math.max(Date.now(), Date.UTC(2026, 2, 3, 14));
  return { notBefore: new Date(earliest - 30 * DAY), notAfter: new Date(latest + 365 * DAY) };
}

/** A party's CA and its node certificate. */
export interface PartyTls {
  readonly party: string;
  readonly origin: string;
  readonly ca: DevCa;
  readonly node: PemPair;
}

/** A CA and a node certificate for `party`, valid across {@link wideValidity}. */
export async function partyTls(party: string): Promise<PartyTls> {
  const window = wideValidity();
  const ca = await createDevCa(party, window);
  const origin = `concordat.${party.toLowerCase()}.node`;
  const node = await issueNodeCertificate(ca, { party, origin, ...window });
  return { party, origin, ca, node };
}

/** A peer entry trusting `tls`'s CA, read from memory. */
export function trusted(
  tls: Pick<PartyTls, 'party' | 'ca'>,
  over: Partial<PeerConfig> = {},
): TrustedPeer {
  const peer: PeerConfig = {
    party: tls.party,
    url: 'https://127.0.0.1:1/taxii2/',
    ca: `/nowhere/${tls.party}-ca.crt`,
    agency: `${tls.party}-CERT`,
    pullEvery: { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 60 },
    ...over,
  };
  return { peer, caPem: tls.ca.cert, ca: toX509(tls.ca.cert) };
}
