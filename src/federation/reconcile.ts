/**
 * Reconciliation (issue 6), the way an oversight body would do it — checkpoints, inclusion
 * proofs and hashes, never content: for this node (the producer) and a peer (the receiver),
 * what this node ledgered as released to the peer (`release` entries, channel `objects`, to the
 * peer's agencies) must equal what the peer ledgered as received (`receipt` entries naming
 * this node as producer), item by item (`<id> <version> sha256:<hex>`).
 *
 * The peer's side is trusted only as far as it is proven: its checkpoint must verify under the
 * peer party's key (`agreements[].keys`), and every receipt entry must be included in that
 * checkpoint's tree (RFC 6962 inclusion proof over the leaf hash recomputed from the entry).
 * An entry that fails is `unproven` and its items count as not received.
 */
import { createPublicKey } from 'node:crypto';
import {
  entryLeafHash,
  noteVerifier,
  parseCheckpoint,
  verifyCheckpoint,
  verifyInclusion,
} from '../ledger/index.js';
import type { JsonObject, NoteVerifier } from '../ledger/index.js';
import { ledgerEntries } from '../store/index.js';
import { ConcordatError } from '../core/index.js';
import { peerBase } from './deliver.js';
import { partyOfAgency, sharedAgreements } from './host.js';
import type { FederationHost } from './host.js';
import { getJson } from './taxii-client.js';
import type { PeerClient } from './taxii-client.js';
import type { Transport } from './transport.js';
import type { RetryPolicy } from './retry.js';

/** REST path of a receiver's proven receipts. */
export const RECEIPT_PROOFS_PATH = '/api/v1/federation/receipts';

/** Ledger rows read per query while scanning for releases. */
const CHUNK = 5000;

/** A peer to reconcile with. */
export interface ReconcilePeer {
  readonly party: string;
  /** The peer's TAXII discovery URL; its REST API is on the same server. */
  readonly url: string;
  readonly transport: Transport;
  /** Count only releases to this agency (the peer's federation agency); default: any of its party. */
  readonly agency?: string;
}

/** A receipt entry the peer could not prove. */
export interface UnprovenReceipt {
  readonly seq: number;
  readonly reason: string;
}

/** The outcome of {@link reconcile}. */
export interface ReconcileReport {
  readonly peer: string;
  /** The peer checkpoint the receipts were proven against. */
  readonly checkpoint: { readonly origin: string; readonly size: number } | undefined;
  /** Why the peer's checkpoint was not accepted, if it was not. */
  readonly checkpointError?: string;
  /** Distinct items this node ledgered as released to the peer. */
  readonly released: number;
  /** Distinct items the peer proved it ledgered as received. */
  readonly received: number;
  /** Released here, no proven receipt there. */
  readonly missing: readonly string[];
  /** Receipted there, never released here. */
  readonly extra: readonly string[];
  /** Same id and version on both sides, different hashes: `[released, received]`. */
  readonly mismatched: readonly (readonly [string, string])[];
  readonly unproven: readonly UnprovenReceipt[];
  readonly reconciled: boolean;
}

function itemKey(item: string): string {
  return item.slice(0, item.lastIndexOf(' '));
}

/** Items this node ledgered as released (channel `objects`) to `peer`'s agencies. */
export async function releasedTo(
  host: FederationHost,
  peer: string,
  agency?: string,
): Promise<Set<string>> {
  const agreements = new Map(sharedAgreements(host, peer).map((a) => [a.id, a]));
  const size = await ledgerEntries.size(host.db);
  const out = new Set<string>();
  for (let from = 0; from < size; from += CHUNK) {
    for (const row of await ledgerEntries.range(host.db, from, Math.min(size, from + CHUNK))) {
      if (row.kind !== 'release') continue;
      const body = JSON.parse(row.body) as {
        agreementId?: string;
        agency?: string;
        channel?: string;
        items?: string[];
      };
      const agreement = agreements.get(String(body.agreementId));
      if (agreement === undefined || body.channel !== 'objects') continue;
      const to = String(body.agency);
      if (agency !== undefined ? to !== agency : partyOfAgency(agreement, to) !== peer) continue;
      for (const item of body.items ?? []) out.add(item);
    }
  }
  return out;
}

function verifiersFor(keys: readonly string[], origin: string): NoteVerifier[] {
  const out: NoteVerifier[] = [];
  for (const pem of keys) {
    try {
      out.push(noteVerifier(origin, createPublicKey(pem)));
    } catch {
      // A key that is not an Ed25519 public key cannot have signed a checkpoint.
    }
  }
  return out;
}

function b64(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/**
 * Reconciles this node's releases to `peer` with the peer's proven receipts. Throws
 * `ERR_FEDERATION_PEER` / `ERR_FEDERATION_PROTOCOL` when the peer cannot be asked; a peer that
 * answers with unverifiable data is reported (not reconciled), not thrown.
 */
export async function reconcile(
  host: FederationHost,
  peer: ReconcilePeer,
  options: { readonly retry?: RetryPolicy } = {},
): Promise<ReconcileReport> {
  const client: PeerClient = {
    party: peer.party,
    transport: peer.transport,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  };
  const released = await releasedTo(host, peer.party, peer.agency);
  const url = `${peerBase(peer.url)}${RECEIPT_PROOFS_PATH}`;
  const answer = (await getJson(client, url)) as {
    checkpoint?: unknown;
    receipts?: unknown;
  };
  if (typeof answer.checkpoint !== 'string' || !Array.isArray(answer.receipts))
    throw new ConcordatError(
      'ERR_FEDERATION_PROTOCOL',
      `\`${url}\`: expected \`checkpoint\` and \`receipts\``,
    );
  const received = new Set<string>();
  const unproven: UnprovenReceipt[] = [];
  let checkpoint: { origin: string; size: number } | undefined;
  let checkpointError: string | undefined;
  const parsed = parseCheckpoint(answer.checkpoint);
  if (!parsed.ok) checkpointError = parsed.message;
  else {
    const origin = parsed.checkpoint.origin;
    const verified = verifyCheckpoint(
      answer.checkpoint,
      verifiersFor(host.partyKeys[peer.party] ?? [], origin),
    );
    if (!verified.ok) checkpointError = `${verified.reason}: ${verified.message}`;
    else {
      const cp = verified.checkpoint;
      checkpoint = { origin: cp.origin, size: cp.size };
      for (const raw of answer.receipts as unknown[]) {
        const r = raw as {
          seq?: unknown;
          at?: unknown;
          kind?: unknown;
          body?: unknown;
          proof?: unknown;
        };
        const seq = typeof r.seq === 'number' ? r.seq : -1;
        const proof = Array.isArray(r.proof) ? r.proof.map(b64) : [undefined];
        const body = r.body as JsonObject | undefined;
        if (
          !Number.isSafeInteger(seq) ||
          seq < 0 ||
          typeof r.at !== 'number' ||
          r.kind !== 'receipt' ||
          typeof body !== 'object' ||
          body === null ||
          proof.some((p) => p === undefined)
        ) {
          unproven.push({ seq, reason: 'malformed entry' });
          continue;
        }
        let leaf: Uint8Array;
        try {
          leaf = entryLeafHash({ seq, at: r.at, kind: 'receipt', body });
        } catch {
          unproven.push({ seq, reason: 'entry does not encode' });
          continue;
        }
        const ok = verifyInclusion(leaf, seq, cp.size, proof as Uint8Array[], cp.root);
        if (!ok.ok) {
          unproven.push({ seq, reason: `inclusion proof fails (${ok.reason})` });
          continue;
        }
        if (body.producer !== host.party || body.receiver !== peer.party) {
          unproven.push({ seq, reason: 'receipt names other parties' });
          continue;
        }
        const items = body.items;
        if (Array.isArray(items)) for (const i of items) if (typeof i === 'string') received.add(i);
      }
    }
  }
  const releasedKeys = new Map([...released].map((i) => [itemKey(i), i]));
  const receivedKeys = new Map([...received].map((i) => [itemKey(i), i]));
  const mismatched: [string, string][] = [];
  const missing: string[] = [];
  const extra: string[] = [];
  for (const item of released) {
    if (received.has(item)) continue;
    const other = receivedKeys.get(itemKey(item));
    if (other !== undefined && !released.has(other)) mismatched.push([item, other]);
    else missing.push(item);
  }
  for (const item of received) {
    if (released.has(item)) continue;
    const other = releasedKeys.get(itemKey(item));
    if (other === undefined || received.has(other)) extra.push(item);
  }
  return {
    peer: peer.party,
    checkpoint,
    ...(checkpointError === undefined ? {} : { checkpointError }),
    released: released.size,
    received: received.size,
    missing: missing.sort(),
    extra: extra.sort(),
    mismatched,
    unproven,
    reconciled:
      checkpoint !== undefined &&
      unproven.length === 0 &&
      missing.length === 0 &&
      extra.length === 0 &&
      mismatched.length === 0,
  };
}
