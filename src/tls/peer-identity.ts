/**
 * Who a TLS peer is (docs/federation.md "Identity rules"). A peer is identified ONLY by its
 * certificate: it was issued by the CA configured for exactly one peer — directly, or through
 * intermediate CAs the peer presented, each a CA valid now — its subject `O` equals that peer's
 * `party`, it is valid now, and it hashes to the peer's `pin` when one is set.
 * Every other certificate is refused with the reason as a coded error; the listener and the
 * client refuse before any application data.
 */
import type { X509Certificate } from 'node:crypto';
import { ConcordatError } from '../core/index.js';
import { certificateFingerprint, subjectOrganizations, toX509 } from './certificate.js';
import type { CertificateInput } from './certificate.js';
import type { PeerConfig } from './types.js';

/** A configured peer with its CA certificate read. */
export interface TrustedPeer {
  readonly peer: PeerConfig;
  /** The CA's PEM text (what node:tls trusts). */
  readonly caPem: string;
  readonly ca: X509Certificate;
}

/** The outcome of {@link peerIdentity}: the peer, or why the certificate is refused. */
export type PeerIdentity =
  | { readonly ok: true; readonly peer: PeerConfig; readonly fingerprint: string }
  | { readonly ok: false; readonly error: ConcordatError };

function refuse(
  code:
    | 'ERR_TLS_PEER_UNKNOWN'
    | 'ERR_TLS_PARTY_MISMATCH'
    | 'ERR_TLS_CERT_NOT_VALID_NOW'
    | 'ERR_TLS_PIN_MISMATCH',
  message: string,
  details: Record<string, unknown>,
): PeerIdentity {
  return { ok: false, error: new ConcordatError(code, message, { details }) };
}

function issuedBy(cert: X509Certificate, ca: X509Certificate): boolean {
  try {
    // checkIssued compares names (and key ids); verify checks the signature itself.
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}

/** The most intermediate CAs walked between a certificate and a configured CA. */
const MAX_INTERMEDIATES = 4;

/**
 * Whether `cert` chains to `anchor`: issued by it, or by one of `intermediates` that is a CA,
 * valid at `now`, and itself chains to `anchor` (at most {@link MAX_INTERMEDIATES} deep).
 */
function chainsTo(
  cert: X509Certificate,
  anchor: X509Certificate,
  intermediates: readonly X509Certificate[],
  now: number,
  depth = 0,
): boolean {
  if (issuedBy(cert, anchor)) return true;
  if (depth >= MAX_INTERMEDIATES) return false;
  return intermediates.some(
    (i) =>
      i.ca &&
      i.raw.equals(cert.raw) === false &&
      now >= Date.parse(i.validFrom) &&
      now <= Date.parse(i.validTo) &&
      issuedBy(cert, i) &&
      chainsTo(i, anchor, intermediates, now, depth + 1),
  );
}

/**
 * Identifies the holder of `certificate` among `peers` at `now` (epoch ms), with the
 * intermediate certificates the peer presented in `chain`. Pure given its inputs: no I/O,
 * never throws (a malformed certificate is `ERR_TLS_PEER_UNKNOWN`; a malformed intermediate is
 * ignored).
 */
export function peerIdentity(
  certificate: CertificateInput | undefined,
  peers: readonly TrustedPeer[],
  now: number,
  chain: readonly CertificateInput[] = [],
): PeerIdentity {
  if (certificate === undefined)
    return refuse('ERR_TLS_PEER_UNKNOWN', 'the peer presented no certificate', {});
  let cert: X509Certificate;
  let organizations: readonly string[];
  try {
    cert = toX509(certificate);
    organizations = subjectOrganizations(cert);
  } catch {
    return refuse(
      'ERR_TLS_PEER_UNKNOWN',
      'the peer certificate is not a readable x.509 certificate',
      {},
    );
  }
  const fingerprint = certificateFingerprint(cert);
  const intermediates = chain.flatMap((c) => {
    try {
      return [toX509(c)];
    } catch {
      return [];
    }
  });
  const issuers = peers.filter((p) => chainsTo(cert, p.ca, intermediates, now));
  if (issuers.length === 0)
    return refuse(
      'ERR_TLS_PEER_UNKNOWN',
      `the peer certificate \`${fingerprint}\` was not issued by the ca of any configured peer`,
      { fingerprint },
    );
  const organization = organizations.length === 1 ? organizations[0] : undefined;
  const matching = issuers.filter((p) => p.peer.party === organization);
  if (matching.length === 0)
    return refuse(
      'ERR_TLS_PARTY_MISMATCH',
      `the peer certificate names party \`${organizations.join(', ')}\` but was issued by the ca of ${issuers.map((p) => `\`${p.peer.party}\``).join(', ')}; a peer ca vouches only for its own party`,
      { fingerprint, organizations, issuers: issuers.map((p) => p.peer.party) },
    );
  const [trusted] = matching;
  if (trusted === undefined || matching.length > 1)
    return refuse(
      'ERR_TLS_PEER_UNKNOWN',
      `party \`${organization ?? ''}\` is configured as more than one peer with this ca; keep one`,
      { fingerprint },
    );
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  if (!(now >= from && now <= to))
    return refuse(
      'ERR_TLS_CERT_NOT_VALID_NOW',
      now < from
        ? `the certificate of peer \`${trusted.peer.party}\` is not valid before ${new Date(from).toISOString()}`
        : `the certificate of peer \`${trusted.peer.party}\` expired at ${new Date(to).toISOString()}`,
      { fingerprint, party: trusted.peer.party, validFrom: cert.validFrom, validTo: cert.validTo },
    );
  if (trusted.peer.pin !== undefined && trusted.peer.pin !== fingerprint)
    return refuse(
      'ERR_TLS_PIN_MISMATCH',
      `the certificate of peer \`${trusted.peer.party}\` has sha-256 \`${fingerprint}\`, not the pinned \`${trusted.peer.pin}\``,
      { fingerprint, party: trusted.peer.party, pin: trusted.peer.pin },
    );
  return { ok: true, peer: trusted.peer, fingerprint };
}
