/**
 * tls/: the node's TLS identity and mutual TLS between nodes (docs/federation.md). An adapter:
 * development CA and node certificates (@peculiar/x509 over node's WebCrypto), loading TLS
 * material from disk, the peer identity rules, and node:https options for the federation
 * listener and for pulling clients.
 */
export {
  certificateFingerprint,
  pemCertificates,
  subjectCommonNames,
  subjectOrganizations,
  toX509,
} from './certificate.js';
export type { CertificateInput } from './certificate.js';
export {
  createDevCa,
  createIntermediateCa,
  DEV_CA_DAYS,
  DEV_NODE_CERT_DAYS,
  issueNodeCertificate,
} from './dev-ca.js';
export type { DevCa, NodeCertificateOptions, NodeKeyUsage, ValidityOptions } from './dev-ca.js';
export { assertPrivateFile, loadTlsIdentity, loadTrustedPeers } from './identity.js';
export type { TlsIdentity, Where } from './identity.js';
export { peerIdentity } from './peer-identity.js';
export type { PeerIdentity, TrustedPeer } from './peer-identity.js';
export {
  analystTlsOptions,
  clientTlsOptions,
  guardFederationServer,
  MIN_TLS_VERSION,
  presentedChain,
  serverTlsOptions,
  socketPeer,
} from './tls-options.js';
export type {
  AnalystServerOptions,
  FederationServerOptions,
  GuardEvents,
  LinkedCertificate,
} from './tls-options.js';
export type { FederationConfig, PeerConfig, PemPair, TlsIdentityConfig } from './types.js';
