/**
 * server/: the node's HTTP server (TAXII 2.1, the REST API and its oversight routes). The
 * module's only public door.
 */
export { buildServer } from './build-server.js';
export type { BuildServerOptions } from './build-server.js';
export { DEFAULT_SERVER_LIMITS } from './context.js';
export type {
  AgreementRoot,
  IngestPort,
  IngestSummary,
  IngestTarget,
  ServerContext,
  ServerLimits,
} from './context.js';
export {
  authenticate,
  generateToken,
  hashToken,
  memoryAuthStore,
  socketPeerCertificate,
} from './auth.js';
export type {
  AuthStore,
  CertificateGrant,
  CertificateResolver,
  CredentialMode,
  MemoryAuthStore,
  PeerCertificate,
  PeerCertificateReader,
  Principal,
  Scope,
  TokenRecord,
} from './auth.js';
export { memoryWithdrawals } from './withdrawals.js';
export type { WithdrawalOrigin, Withdrawals, WithdrawnVersion } from './withdrawals.js';
export { collectionId } from './route-deps.js';
export { tokenBucketLimiter } from './rate-limit.js';
export type { RateLimit, RateLimiter } from './rate-limit.js';
export { STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE } from './media.js';
export type { TaxiiError } from './errors.js';
export { federationRoutes, memoryAgreementRegistry, nodeOpenApiDocument } from './rest/index.js';
export type { FederationPorts } from './rest/index.js';
export type {
  AgreementRegistry,
  AgreementVersionStatus,
  CheckpointView,
  ConsistencyView,
  InclusionView,
  LedgerPort,
  OversightPort,
  RestPorts,
  StoredAgreementVersion,
} from './rest/index.js';
