/**
 * node/: the composition root and the services that compose the adapters around the pure
 * core. `loadNodeConfig` + `openNode` build a running node from its config file (the only
 * place that does); `initNode` creates a node's directory; bundle ingest (validate → seal →
 * store → ledger, one transaction), shredding with its ledger entries, the node's ledger
 * (incremental signed checkpoints, verification, proofs), and reading stored ledger records.
 */
export { ingestBundle, UNVERSIONED } from './ingest.js';
export { IngestWorkers, WORKER_MIN_OBJECTS, defaultIngestWorkers } from './ingest-workers.js';
export { inlinePreparer } from './ingest-prepare.js';
export type { BundlePreparer } from './ingest-prepare.js';
export type { IngestContext, IngestReport, IngestedObject, StixJson } from './ingest.js';
export { ledgerRecords } from './ledger-records.js';
export { shredDue, shredEntryBody } from './shred.js';
export type { ShredContext } from './shred.js';
export {
  DEFAULT_FEDERATION_LISTEN,
  DEFAULT_LISTEN,
  DEFAULT_MAX_BUNDLE_BYTES,
  DEFAULT_PULL_EVERY,
  DEFAULT_RATE_LIMIT,
  DEFAULT_RETENTION,
  configError,
  configWhere,
  loadNodeConfig,
  nodeOrigin,
  parseNodeConfig,
} from './config.js';
export type {
  AgreementConfig,
  ConfigIssue,
  ConfigPosition,
  FederationConfig,
  KeyringUnlock,
  NodeConfig,
  NodeLimits,
  PeerConfig,
  StoreConfig,
  TlsIdentityConfig,
} from './config.js';
export {
  NODE_CONFIG_SCHEMA,
  NODE_CONFIG_SCHEMA_ID,
  renderNodeConfigSchema,
} from './config-schema.js';
export { openNode } from './open-node.js';
export type {
  Node,
  NodeIngestOptions,
  NodeIngestResult,
  NodeRepositories,
  NodeShredResult,
  OpenNodeOptions,
} from './open-node.js';
export type { NodeAgreement } from './load-agreements.js';
export { NodeLedger } from './node-ledger.js';
export type {
  ConsistencyProof,
  InclusionProof,
  NodeLedgerOptions,
  NodeLedgerVerification,
} from './node-ledger.js';
export { EscalationService } from './escalation-service.js';
export { ESCALATION_ENTRY_KIND, readEscalationEvents } from './escalation-read.js';
export { MAX_EVENT_TEXT, refusalLine } from './escalation-checks.js';
export type {
  EscalationContext,
  EscalationInput,
  RecordResult,
  WrittenEvent,
} from './escalation-service.js';
export { openEscalation } from './escalation-open.js';
export { recordAutomaticInputs } from './escalation-signals.js';
export { startAutomaticInputs } from './escalation-schedule.js';
export type { AutomaticSchedule, AutomaticScheduleOptions } from './escalation-schedule.js';
export type { AutomaticInputs, AutomaticTarget } from './escalation-signals.js';
export type { OpenEscalationOptions } from './escalation-open.js';
export { loadOfficialKeys } from './escalation-keys.js';
export { initNode } from './init-node.js';
export { TOKEN_SCOPES, storeAuthStore, storeWithdrawals } from './auth-store.js';
export { derivePseudonymKey, nodePartyKeys, nodeServerContext } from './server-context.js';
export type { NodeServer } from './server-context.js';
export { federationPeerIssues, openNodeTls } from './node-tls.js';
export type { NodeTls } from './node-tls.js';
export { isLoopbackHost, startNodeServers } from './serve-node.js';
export type {
  AnalystListen,
  ListenAddress,
  NodeServers,
  StartNodeServersOptions,
} from './serve-node.js';
export type { IssueTokenInput, StoreAuthStore, StoreWithdrawals, TokenInfo } from './auth-store.js';
export type { InitNodeOptions, InitNodeResult } from './init-node.js';
export { federationHost, federationPorts } from './federation-host.js';
export {
  WINDOW_MS,
  nodeIndicators,
  nodeLedgerExport,
  nodeOversight,
  nodeTransparencyReport,
  servedIndicators,
} from './oversight.js';
export type { NodeIndicatorOptions, NodeOversight } from './oversight.js';
