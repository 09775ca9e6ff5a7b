/**
 * The producer's side of receipts and reconciliation, behind the REST routes of
 * src/server/rest/federation.ts (authenticated as a peer's agency):
 * - {@link acknowledgeReceipt}: verifies a receiver's signed receipt against the receiving
 *   party's key from `agreements[].keys` and ledgers it (`receipt-acknowledged`, hashes only),
 *   idempotently;
 * - {@link receiptProofs}: the receiver's side — its `receipt` entries for one producer with
 *   inclusion proofs against its latest signed checkpoint (entry bodies hold ids, versions
 *   and hashes only);
 * - {@link withdrawalHashes}: this node's own withdrawals, as SHA-256 of `<id> <version>`.
 */
import { createHash } from 'node:crypto';
import { ConcordatError } from '../core/index.js';
import { federationReceipts, withdrawals } from '../store/index.js';
import type { JsonObject } from '../ledger/index.js';
import { partyOfAgency } from './host.js';
import type { FederationHost } from './host.js';
import { parseSignedReceipt, receiptHash, receiptVerifies } from './receipt.js';
import { withdrawalHash } from './revocation.js';
import { releasedTo } from './reconcile.js';

/** What {@link acknowledgeReceipt} answers. */
export interface Acknowledgement {
  /** `sha256:<hex>` of the canonical receipt. */
  readonly receiptHash: string;
  /** Leaf index of the `receipt-acknowledged` entry on this node's ledger. */
  readonly ledgerSeq: number;
  /** False when this receipt was acknowledged before (nothing new was written). */
  readonly created: boolean;
}

/** The party of a peer principal under any agreement of the host; refuses the host's own. */
export function peerPartyOf(host: FederationHost, agency: string): string {
  for (const { agreement } of host.agreements.values()) {
    const party = partyOfAgency(agreement, agency);
    if (party !== undefined && party !== host.party) return party;
  }
  throw new ConcordatError(
    'ERR_FORBIDDEN',
    `agency \`${agency.slice(0, 64)}\` is not a partner agency of this node's agreements; federation endpoints answer peers only`,
  );
}

/**
 * Verifies and ledgers a signed receipt sent by the agency `agency`. Throws
 * `ERR_RECEIPT_INVALID` when it is malformed, names another producer, is sent by another
 * party than its receiver, or does not verify under the receiver's party key.
 */
export async function acknowledgeReceipt(
  host: FederationHost,
  agency: string,
  body: unknown,
): Promise<Acknowledgement> {
  const sender = peerPartyOf(host, agency);
  const signed = parseSignedReceipt(body);
  const r = signed.receipt;
  if (r.producer !== host.party)
    throw new ConcordatError(
      'ERR_RECEIPT_INVALID',
      `the receipt names producer \`${r.producer}\`; this node is \`${host.party}\``,
    );
  if (r.receiver !== sender)
    throw new ConcordatError(
      'ERR_RECEIPT_INVALID',
      `the receipt names receiver \`${r.receiver}\` but was sent by party \`${sender}\``,
    );
  const entry = host.agreements.get(r.agreementId);
  if (entry === undefined || !entry.agreement.parties.some((p) => p.id === sender))
    throw new ConcordatError(
      'ERR_RECEIPT_INVALID',
      `agreement \`${r.agreementId}\` is not one this node shares with \`${sender}\``,
    );
  const keys = host.partyKeys[sender] ?? [];
  if (keys.length === 0)
    throw new ConcordatError(
      'ERR_RECEIPT_INVALID',
      `this node holds no key of party \`${sender}\`; add its public key to \`agreements[].keys\``,
    );
  if (!receiptVerifies(signed, keys))
    throw new ConcordatError(
      'ERR_RECEIPT_INVALID',
      `the receipt signature does not verify under the key(s) of party \`${sender}\``,
    );
  const hash = receiptHash(r);
  const hex = `sha256:${Buffer.from(hash).toString('hex')}`;
  const known = await federationReceipts.get(host.db, hash, 'acknowledged');
  if (known !== undefined) return { receiptHash: hex, ledgerSeq: known.ledgerSeq, created: false };
  const ledgerBody: JsonObject = {
    producer: r.producer,
    receiver: r.receiver,
    agreementId: r.agreementId,
    agreementVersion: r.agreementVersion,
    purpose: r.purpose,
    collection: r.collection,
    count: r.items.length,
    itemsHash: `sha256:${createHash('sha256').update(r.items.join('\n'), 'utf8').digest('hex')}`,
    receiptHash: hex,
  };
  const { seq } = await host.ledger.append('receipt-acknowledged', ledgerBody);
  await host.db.transaction(async (tx) => {
    await federationReceipts.insert(tx, {
      receiptHash: hash,
      role: 'acknowledged',
      producer: r.producer,
      receiver: r.receiver,
      agreementId: r.agreementId,
      ledgerSeq: seq,
      receipt: JSON.stringify(signed),
      createdMs: host.clock.now(),
    });
  });
  return { receiptHash: hex, ledgerSeq: seq, created: true };
}

/** One `receipt` ledger entry with its inclusion proof. */
export interface ProvenReceipt {
  readonly seq: number;
  readonly at: number;
  readonly kind: string;
  /** The entry body: receipt fields, item hashes, receipt hash and signature — no content. */
  readonly body: JsonObject;
  /** RFC 6962 audit path, base64 hashes. */
  readonly proof: readonly string[];
}

/** What {@link receiptProofs} answers. */
export interface ReceiptProofs {
  /** The signed checkpoint (C2SP note) the proofs are against. */
  readonly checkpoint: string;
  readonly size: number;
  readonly receipts: readonly ProvenReceipt[];
}

/**
 * This node's `receipt` entries for objects produced by the asking agency's party, each with
 * an inclusion proof against the latest signed checkpoint.
 */
export async function receiptProofs(host: FederationHost, agency: string): Promise<ReceiptProofs> {
  const producer = peerPartyOf(host, agency);
  await host.ledger.checkpoint();
  const head = await host.ledger.head();
  if (head === undefined) throw new ConcordatError('ERR_NOT_FOUND', 'no checkpoint is signed yet');
  const rows = await federationReceipts.byProducer(host.db, 'sent', producer);
  const receipts: ProvenReceipt[] = [];
  for (const row of rows) {
    if (row.ledgerSeq >= head.size) continue;
    const p = await host.ledger.inclusion(row.ledgerSeq, head.size);
    receipts.push({
      seq: p.entry.seq,
      at: p.entry.at,
      kind: p.entry.kind,
      body: p.entry.body,
      proof: p.proof.map((h) => Buffer.from(h).toString('base64')),
    });
  }
  return { checkpoint: head.text, size: head.size, receipts };
}

/**
 * SHA-256 of `<id> <version>` of every version this node's party withdrew whose object it
 * ledgered as released to the asking agency's party: a partner learns of withdrawals of what
 * it was given, never of (or how many of) the rest. The release ledger is read only when there
 * is a withdrawal to filter.
 */
export async function withdrawalHashes(
  host: FederationHost,
  agency: string,
): Promise<{ readonly items: readonly string[] }> {
  const peer = peerPartyOf(host, agency);
  const mine = (await withdrawals.list(host.db)).filter((w) => w.producer === host.party);
  if (mine.length === 0) return { items: [] };
  // Release items are `<id> <version> sha256:<hex>`.
  const given = new Set([...(await releasedTo(host, peer))].map((i) => i.slice(0, i.indexOf(' '))));
  return {
    items: mine
      .filter((w) => given.has(w.objectId))
      .map((w) => withdrawalHash(w.objectId, w.version)),
  };
}
