/**
 * Delivering signed receipts to the producer: `POST /api/v1/federation/receipts` on the peer
 * (same server as its TAXII discovery URL), oldest first, each marked delivered once the
 * producer acknowledged it. Undelivered receipts stay stored and are retried at the next pull;
 * the producer's acknowledgement is idempotent, so a retry after a lost answer is harmless.
 */
import { federationReceipts } from '../store/index.js';
import type { FederationHost } from './host.js';
import { postJson } from './taxii-client.js';
import type { PeerClient } from './taxii-client.js';

/** REST path of the producer's receipt intake. */
export const RECEIPTS_PATH = '/api/v1/federation/receipts';

/** What a delivery round did. */
export interface DeliveryReport {
  readonly delivered: number;
  /** Receipts still waiting for the producer's acknowledgement. */
  readonly pending: number;
  /** Why delivery stopped early, if it did (one line). */
  readonly errors: readonly string[];
}

/** The base URL of a peer's server, from its discovery URL. */
export function peerBase(discoveryUrl: string): string {
  return new URL('/', discoveryUrl).toString().replace(/\/$/, '');
}

/** Delivers every undelivered receipt of `client.party`; stops at the first failure. */
export async function deliverReceipts(
  host: FederationHost,
  client: PeerClient,
  discoveryUrl: string,
): Promise<DeliveryReport> {
  const pending = await federationReceipts.undelivered(host.db, client.party);
  let delivered = 0;
  const errors: string[] = [];
  for (const r of pending) {
    try {
      await postJson(client, `${peerBase(discoveryUrl)}${RECEIPTS_PATH}`, JSON.parse(r.receipt));
    } catch (err) {
      errors.push(err instanceof Error ? err.message : String(err));
      break;
    }
    await host.db.transaction((tx) =>
      federationReceipts.delivered(tx, r.receiptHash, host.clock.now()),
    );
    delivered++;
  }
  return { delivered, pending: pending.length - delivered, errors };
}
