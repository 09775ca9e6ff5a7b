/**
 * federation/: node-to-node sharing (issue 6, docs/federation-sync.md). The TAXII 2.1 pull
 * client with durable cursors and retries, signed receipts on both ledgers, revocation on the
 * consumer, the pull schedule, and reconciliation from checkpoints, proofs and hashes only.
 * An adapter: it runs in a node through the structural {@link FederationHost}; importing it
 * starts nothing.
 */
export { partyOfAgency, sharedAgreements } from './host.js';
export type { FederationHost, HostIngestReport, HostLedger, HostWithdrawals } from './host.js';
export { nodeTransport } from './transport.js';
export type {
  NodeTransportOptions,
  Transport,
  TransportRequest,
  TransportResponse,
} from './transport.js';
export { isRetriable, timerSleep, withRetry } from './retry.js';
export type { RetryPolicy } from './retry.js';
export { TAXII_MEDIA_TYPE } from './taxii-client.js';
export {
  MAX_RECEIPT_ITEMS,
  parseSignedReceipt,
  receiptHash,
  receiptItem,
  receiptVerifies,
  releasedHash,
  signReceipt,
} from './receipt.js';
export type { Receipt, SignedReceipt } from './receipt.js';
export { pullPeer } from './pull.js';
export type { CollectionPull, PullOptions, PullPeer, PullProgress, PullReport } from './pull.js';
export { RECEIPTS_PATH, deliverReceipts } from './deliver.js';
export type { DeliveryReport } from './deliver.js';
export { WITHDRAWALS_PATH, syncWithdrawals, withdrawalHash } from './revocation.js';
export { acknowledgeReceipt, peerPartyOf, receiptProofs, withdrawalHashes } from './acknowledge.js';
export type { Acknowledgement, ProvenReceipt, ReceiptProofs } from './acknowledge.js';
export { RECEIPT_PROOFS_PATH, reconcile, releasedTo } from './reconcile.js';
export type { ReconcilePeer, ReconcileReport, UnprovenReceipt } from './reconcile.js';
export { startPullScheduler } from './scheduler.js';
export type { PullScheduler, ScheduledPeer, SchedulerOptions } from './scheduler.js';
