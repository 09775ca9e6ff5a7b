/**
 * node:https options for both ends of a federation connection (docs/federation.md).
 * Server: mutual TLS only — a client certificate is required and must chain to a peer's CA,
 * TLS 1.2 at least; {@link guardFederationServer} then applies the identity rules before the
 * HTTP layer reads a byte. Client: this node's certificate, trusting ONLY the one peer's CA,
 * and the same identity rules on the server's certificate (party, pin, validity).
 */
import { checkServerIdentity } from 'node:tls';
import type { ConnectionOptions, PeerCertificate, Server as TlsServer, TLSSocket } from 'node:tls';
import type { ConcordatError } from '../core/index.js';
import type { TlsIdentity } from './identity.js';
import { peerIdentity } from './peer-identity.js';
import type { TrustedPeer } from './peer-identity.js';
import type { PeerConfig } from './types.js';

/** The lowest protocol either end speaks: TLS 1.2 (issue 6: below 1.2 is refused). */
export const MIN_TLS_VERSION = 'TLSv1.2';

/** Server options for the federation listener (what `https.createServer` takes). */
export interface FederationServerOptions {
  readonly cert: string;
  readonly key: string;
  readonly ca: string[];
  readonly requestCert: true;
  readonly rejectUnauthorized: true;
  readonly minVersion: 'TLSv1.2';
}

/** Server options for the analyst listener when `tls` is set (no client certificate). */
export interface AnalystServerOptions {
  readonly cert: string;
  readonly key: string;
  readonly minVersion: 'TLSv1.2';
}

/**
 * Options of the federation listener: this node's certificate, a client certificate required
 * and verified against every peer's CA. With no peers the CA list is empty and every client is
 * refused in the handshake.
 */
export function serverTlsOptions(
  identity: TlsIdentity,
  peers: readonly TrustedPeer[],
): FederationServerOptions {
  return {
    cert: identity.certPem,
    key: identity.keyPem,
    ca: peers.map((p) => p.caPem),
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: MIN_TLS_VERSION,
  };
}

/** Options of an https analyst listener: the node certificate, bearer tokens inside. */
export function analystTlsOptions(identity: TlsIdentity): AnalystServerOptions {
  return { cert: identity.certPem, key: identity.keyPem, minVersion: MIN_TLS_VERSION };
}

/**
 * Client options for pulling from `peer`: this node's certificate and key, ONLY the peer's CA
 * trusted, TLS 1.2 at least, and the server certificate checked by the host name rules and then
 * by {@link peerIdentity} (party, validity, pin) at `now()`. A refusal fails the connection
 * before any request is sent; its error is a `ConcordatError` (`ERR_TLS_*`).
 */
export function clientTlsOptions(
  identity: TlsIdentity,
  peer: TrustedPeer,
  now: () => number = Date.now,
): ConnectionOptions {
  return {
    cert: identity.certPem,
    key: identity.keyPem,
    ca: [peer.caPem],
    minVersion: MIN_TLS_VERSION,
    rejectUnauthorized: true,
    checkServerIdentity: (host: string, cert: PeerCertificate): Error | undefined => {
      const hostError = checkServerIdentity(host, cert);
      if (hostError !== undefined) return hostError;
      const id = peerIdentity(cert.raw, [peer], now(), presentedChain(cert));
      return id.ok ? undefined : id.error;
    },
  };
}

/** A certificate as node:tls details it: its DER and, with `getPeerCertificate(true)`, its issuer's. */
export interface LinkedCertificate {
  readonly raw?: unknown;
  readonly issuerCertificate?: LinkedCertificate;
}

/**
 * The DER of the certificates above the leaf in a peer's detailed certificate
 * (`getPeerCertificate(true)`): the intermediates it presented, then the root, which node:tls
 * links to itself. At most eight.
 */
export function presentedChain(cert: LinkedCertificate): Buffer[] {
  const out: Buffer[] = [];
  let below = cert;
  for (let at = cert.issuerCertificate; at !== undefined && out.length < 8;) {
    if (at === below || !(at.raw instanceof Uint8Array)) break;
    const raw = Buffer.from(at.raw);
    if (below.raw instanceof Uint8Array && raw.equals(below.raw)) break;
    out.push(raw);
    below = at;
    at = at.issuerCertificate;
  }
  return out;
}

/** What a guarded server reports about each connection. */
export interface GuardEvents {
  /** A connection was refused and destroyed before any application data. */
  readonly onRefused?: (error: ConcordatError, socket: TLSSocket) => void;
  /** A connection was accepted as `peer`. */
  readonly onAccepted?: (peer: PeerConfig, socket: TLSSocket) => void;
}

const identities = new WeakMap<TLSSocket, PeerConfig>();

/** The peer a guarded server accepted `socket` as, if any. */
export function socketPeer(socket: unknown): PeerConfig | undefined {
  return typeof socket === 'object' && socket !== null
    ? identities.get(socket as TLSSocket)
    : undefined;
}

/**
 * Applies the identity rules to every connection of a mutual-TLS server, before the HTTP layer
 * sees it: the handler is prepended to `secureConnection`, and a refused socket is destroyed
 * there, so not one byte of a request is read and no response is written. The TLS layer has
 * already refused missing, expired, not-yet-valid and unknown-CA certificates; this refuses
 * another party's certificate and a wrong pin, and re-checks the rest.
 */
export function guardFederationServer(
  server: TlsServer,
  peers: readonly TrustedPeer[],
  now: () => number = Date.now,
  events: GuardEvents = {},
): void {
  server.prependListener('secureConnection', (socket: TLSSocket) => {
    const cert = socket.getPeerCertificate(true);
    const raw = cert !== null && typeof cert === 'object' && 'raw' in cert ? cert.raw : undefined;
    const id = peerIdentity(raw, peers, now(), raw === undefined ? [] : presentedChain(cert));
    if (!id.ok) {
      socket.destroy();
      events.onRefused?.(id.error, socket);
      return;
    }
    identities.set(socket, id.peer);
    events.onAccepted?.(id.peer, socket);
  });
}
