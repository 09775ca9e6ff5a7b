/**
 * The composition root's half of federation: a {@link FederationHost} over an open node (its
 * store, clock, agreements, ledger, ingest and signing key, and the trusted party keys of
 * `agreements[].keys`), and the REST ports of the federation endpoints over that host.
 * Building it reads the signing key and the key files; it opens no socket.
 */
import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { acknowledgeReceipt, receiptProofs, withdrawalHashes } from '../federation/index.js';
import type { FederationHost, HostWithdrawals } from '../federation/index.js';
import type { FederationPorts } from '../server/index.js';
import type { Node } from './open-node.js';
import { nodePartyKeys } from './server-context.js';

/**
 * The {@link FederationHost} of `node`. Pass the serving process's withdrawals so that
 * revocations pulled from peers hide versions from the running door at once.
 */
export async function federationHost(
  node: Node,
  withdrawals?: HostWithdrawals,
): Promise<FederationHost> {
  const pem = await readFile(node.config.signingKey, 'utf8');
  return {
    party: node.config.party,
    origin: node.config.origin,
    db: node.db,
    clock: node.clock,
    agreements: node.agreements,
    ingest: (bundle, o) => node.ingest(bundle, o),
    ledger: node.ledger,
    signingKey: createPrivateKey({ key: pem, format: 'pem' }),
    partyKeys: await nodePartyKeys(node),
    ...(withdrawals === undefined ? {} : { withdrawals }),
  };
}

/** The federation endpoints' ports over `host` (src/server/rest/federation.ts). */
export function federationPorts(host: FederationHost): FederationPorts {
  return {
    acknowledgeReceipt: (agency, body) => acknowledgeReceipt(host, agency, body),
    receiptProofs: (agency) => receiptProofs(host, agency),
    withdrawalHashes: (agency) => withdrawalHashes(host, agency),
  };
}
