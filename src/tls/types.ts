/**
 * The shapes the TLS module works on. They are declared here, not in node/, so that node/ (the
 * composition root, which reads them from the config) imports tls/ and never the reverse.
 */
import type { Duration } from '../core/index.js';

/** This node's TLS identity (config `tls:`), every path absolute. */
export interface TlsIdentityConfig {
  /** PEM: the node certificate (and any chain), issued by this node's CA. */
  readonly cert: string;
  /** PEM private key of the node certificate (mode 0600). */
  readonly key: string;
  /** This node's own CA certificate: what partners are given to trust. */
  readonly ca: string;
}

/** One partner node (config `federation.peers[]`), paths absolute. */
export interface PeerConfig {
  /** A party of one of the node's agreements (never the node's own). */
  readonly party: string;
  /** The peer's federation TAXII discovery URL. */
  readonly url: string;
  /** The CA that issues the peer's node certificate (absolute path). */
  readonly ca: string;
  /** SHA-256 of the peer certificate's DER, 64 lowercase hex digits; checked when set. */
  readonly pin?: string;
  /** The agreement agency this peer's pulls are decided for. */
  readonly agency: string;
  /** How often this node pulls from the peer. */
  readonly pullEvery: Duration;
}

/** Config `federation:`. */
export interface FederationConfig {
  /** Where the mutual-TLS federation listener binds. */
  readonly listen: { readonly host: string; readonly port: number };
  readonly peers: readonly PeerConfig[];
}

/** A certificate and its private key, both PEM. */
export interface PemPair {
  readonly cert: string;
  readonly key: string;
}
