/**
 * Pulling from a peer (issue 6): for every agreement this node and the peer both take part in,
 * find the peer's API root for it (discovery), its collections (one per purpose), and pull
 * each readable collection with `added_after=<cursor>`, following `next` while `more`.
 *
 * Per page, in this order (INVARIANT: nothing acknowledged is lost, nothing counted twice):
 * 1. ingest the page's objects all or nothing (`host.ingest`: producer = the peer's party,
 *    store collection = the agreement id, the producer's handling extension kept — its
 *    retention deadline caps the local one);
 * 2. in ONE transaction: the `receipt` ledger entry, the stored signed receipt and the cursor
 *    advanced to the page's `X-TAXII-Date-Added-Last`.
 * A node killed between 1 and 2 pulls the page again after restart: the ingest is idempotent
 * (versions already stored are `unchanged`), and the receipt and cursor are written then.
 * Receipts are delivered to the producer afterwards (and retried at every pull until
 * acknowledged), so an unreachable producer never blocks ingest.
 */
import { randomUUID } from 'node:crypto';
import { ConcordatError, formatInstant, isConcordatError } from '../core/index.js';
import { readHandling } from '../intel/index.js';
import type { Agreement } from '../agreement/index.js';
import { entryLeafHash } from '../ledger/index.js';
import type { JsonObject } from '../ledger/index.js';
import { canonicalJson } from '../agreement/index.js';
import { federationCursors, federationReceipts, ledgerEntries } from '../store/index.js';
import { deliverReceipts } from './deliver.js';
import type { DeliveryReport } from './deliver.js';
import { sharedAgreements } from './host.js';
import type { FederationHost } from './host.js';
import {
  MAX_RECEIPT_ITEMS,
  receiptHash,
  receiptItem,
  receiptLedgerBody,
  signReceipt,
} from './receipt.js';
import type { Receipt } from './receipt.js';
import type { RetryPolicy } from './retry.js';
import { applyRevocations, syncWithdrawals } from './revocation.js';
import {
  discoverApiRoots,
  getObjectsPage,
  listCollections,
  rootOfAgreement,
} from './taxii-client.js';
import type { ObjectsPage, PeerClient } from './taxii-client.js';
import type { Transport } from './transport.js';

/** The version of an object with neither `modified` nor `created` (node/ingest's rule). */
const UNVERSIONED = '1970-01-01T00:00:00.000Z';

/** A peer to pull from. */
export interface PullPeer {
  /** The peer's party. */
  readonly party: string;
  /** The peer's TAXII discovery URL (`https://…/taxii2/`). */
  readonly url: string;
  readonly transport: Transport;
}

/** Progress of a pull, reported after every page. */
export interface PullProgress {
  readonly peer: string;
  readonly agreementId: string;
  readonly collection: string;
  readonly pages: number;
  readonly objects: number;
}

/** Options of {@link pullPeer}. */
export interface PullOptions {
  /** Objects asked per page (default and maximum {@link MAX_RECEIPT_ITEMS}). */
  readonly pageSize?: number;
  readonly retry?: RetryPolicy;
  readonly onProgress?: (p: PullProgress) => void;
  /**
   * Called after a page's objects are ingested and before its receipt and cursor commit —
   * the window a crash can hit (tests inject one here).
   */
  readonly onIngested?: (p: PullProgress) => void | Promise<void>;
  /** Stops between pages when aborted (the cursor stands after the last complete page). */
  readonly signal?: AbortSignal;
  /** Deliver receipts to the producer after pulling (default true). */
  readonly deliver?: boolean;
}

/** What was pulled from one collection. */
export interface CollectionPull {
  readonly agreementId: string;
  readonly apiRoot: string;
  readonly collection: string;
  readonly purpose: string;
  readonly pages: number;
  readonly received: number;
  readonly inserted: number;
  readonly unchanged: number;
  /**
   * Versions not stored again because this node holds the same version with another handling
   * stamp — released again after a crash (each release stamps its own ledger entry) or under
   * another purpose. The first copy is kept; the receipt still names it (it was received).
   */
  readonly alreadyHeld: number;
  /** The cursor after the pull (`added_after` of the next one). */
  readonly cursor: string | undefined;
}

/** What {@link pullPeer} did. */
export interface PullReport {
  readonly peer: string;
  readonly collections: readonly CollectionPull[];
  /** Agreements shared with the peer for which it lists no API root. */
  readonly missingRoots: readonly string[];
  /** Earlier versions withdrawn here because a pulled version is `revoked`. */
  readonly revoked: number;
  /** Versions withdrawn here because the producer withdrew them. */
  readonly withdrawn: number;
  readonly receipts: DeliveryReport;
  /** Whether the pull stopped early on its signal. */
  readonly aborted: boolean;
}

function versionOf(o: Readonly<Record<string, unknown>>): string {
  const v = typeof o.modified === 'string' ? o.modified : o.created;
  return typeof v === 'string' ? v : UNVERSIONED;
}

/** Ingests `objects`; versions that conflict with stored ones are dropped and counted. */
async function ingestPage(
  host: FederationHost,
  peer: string,
  agreementId: string,
  objects: readonly Readonly<Record<string, unknown>>[],
): Promise<{
  kept: readonly Readonly<Record<string, unknown>>[];
  inserted: number;
  unchanged: number;
  alreadyHeld: number;
}> {
  let kept = objects;
  let alreadyHeld = 0;
  for (let attempt = 0; ; attempt++) {
    if (kept.length === 0) return { kept, inserted: 0, unchanged: 0, alreadyHeld };
    try {
      const { report } = await host.ingest(
        { type: 'bundle', id: `bundle--${randomUUID()}`, objects: kept },
        { producer: peer, collection: agreementId },
      );
      const inserted = report.objects.filter((o) => o.status === 'inserted').length;
      return { kept, inserted, unchanged: report.objects.length - inserted, alreadyHeld };
    } catch (err) {
      // The same version from two producers (a partner's object shared onward to us as well):
      // keep the first copy, skip the other, so one conflict never blocks the collection.
      if (
        attempt > 0 ||
        !isConcordatError(err, 'ERR_OBJECT_CONFLICT') ||
        !Array.isArray(err.details)
      )
        throw err;
      const bad = new Set(
        (err.details as { path?: string }[]).map((d) => Number(String(d.path).split('/')[2])),
      );
      alreadyHeld += bad.size;
      kept = kept.filter((_, i) => !bad.has(i));
    }
  }
}

/** Signs, ledgers and stores the receipt of a page, and advances the cursor, in one transaction. */
async function commitPage(
  host: FederationHost,
  r: Receipt,
  cursor: { peer: string; apiRoot: string; collection: string },
): Promise<void> {
  const signed = signReceipt(r, host.signingKey);
  const hash = receiptHash(r);
  const body = receiptLedgerBody(signed, hash) as JsonObject;
  const now = host.clock.now();
  await host.db.transaction(async (tx) => {
    const seq = await ledgerEntries.appendWith(tx, 1, (s) => ({
      atMs: now,
      kind: 'receipt',
      body: canonicalJson(body),
      leafHash: entryLeafHash({ seq: s, at: now, kind: 'receipt', body }),
    }));
    await federationReceipts.insert(tx, {
      receiptHash: hash,
      role: 'sent',
      producer: r.producer,
      receiver: r.receiver,
      agreementId: r.agreementId,
      ledgerSeq: seq,
      receipt: JSON.stringify(signed),
      createdMs: now,
    });
    if (r.cursor !== null)
      await federationCursors.advance(
        tx,
        { ...cursor, addedAfter: r.cursor, objects: r.items.length },
        now,
      );
  });
}

async function pullCollection(
  host: FederationHost,
  client: PeerClient,
  agreement: Agreement,
  apiRoot: string,
  collection: { id: string; purpose: string },
  options: PullOptions,
): Promise<CollectionPull & { aborted: boolean; revoked: number }> {
  const limit = Math.min(MAX_RECEIPT_ITEMS, Math.max(1, options.pageSize ?? MAX_RECEIPT_ITEMS));
  const key = { peer: client.party, apiRoot, collection: collection.id };
  const stored = await federationCursors.get(host.db, key.peer, apiRoot, collection.id);
  const addedAfter = stored?.addedAfter;
  let cursor = addedAfter;
  let next: string | undefined;
  let pages = 0;
  let received = 0;
  let inserted = 0;
  let unchanged = 0;
  let alreadyHeld = 0;
  let revoked = 0;
  let aborted = false;
  for (;;) {
    if (options.signal?.aborted === true) {
      aborted = true;
      break;
    }
    const page: ObjectsPage = await getObjectsPage(client, apiRoot, collection.id, {
      limit,
      ...(addedAfter === undefined ? {} : { addedAfter }),
      ...(next === undefined ? {} : { next }),
    });
    if (page.objects.length > 0) {
      const got = await ingestPage(host, client.party, agreement.id, page.objects);
      pages++;
      received += page.objects.length;
      inserted += got.inserted;
      unchanged += got.unchanged;
      alreadyHeld += got.alreadyHeld;
      const progress: PullProgress = {
        peer: client.party,
        agreementId: agreement.id,
        collection: collection.id,
        pages,
        objects: received,
      };
      await options.onIngested?.(progress);
      const handling = got.kept.map((o) => readHandling(o)).find((h) => h !== undefined);
      // The page's cursor: the producer's `X-TAXII-Date-Added-Last`.
      const pageCursor = page.dateAddedLast ?? null;
      await commitPage(
        host,
        {
          type: 'concordat-receipt',
          spec: 1,
          producer: client.party,
          receiver: host.party,
          agreementId: agreement.id,
          agreementVersion: handling?.agreementVersion ?? agreement.version,
          purpose: collection.purpose,
          collection: collection.id,
          // Every object received, including one held already under another purpose.
          items: page.objects.map((o) => receiptItem(o, versionOf(o))),
          at: formatInstant(host.clock.now()),
          cursor: pageCursor,
        },
        key,
      );
      if (pageCursor !== null) cursor = pageCursor;
      revoked += await applyRevocations(host, client.party, page.objects);
      await host.ledger.checkpoint();
      options.onProgress?.(progress);
    }
    if (!page.more || page.next === undefined) break;
    next = page.next;
  }
  return {
    agreementId: agreement.id,
    apiRoot,
    collection: collection.id,
    purpose: collection.purpose,
    pages,
    received,
    inserted,
    unchanged,
    alreadyHeld,
    cursor,
    aborted,
    revoked,
  };
}

/**
 * Pulls everything new from `peer` for every agreement both take part in, then delivers the
 * receipts the producer has not acknowledged. Throws `ERR_FEDERATION_PEER` /
 * `ERR_FEDERATION_PROTOCOL` when the peer fails after every retry; pages ingested before the
 * failure stay ingested, their receipts stored and their cursors advanced.
 */
export async function pullPeer(
  host: FederationHost,
  peer: PullPeer,
  options: PullOptions = {},
): Promise<PullReport> {
  if (peer.party === host.party)
    throw new ConcordatError('ERR_USAGE', `peer \`${peer.party}\` is this node's own party`);
  const client: PeerClient = {
    party: peer.party,
    transport: peer.transport,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  };
  const agreements = sharedAgreements(host, peer.party);
  const roots = agreements.length === 0 ? [] : await discoverApiRoots(client, peer.url);
  const collections: CollectionPull[] = [];
  const missingRoots: string[] = [];
  let revoked = 0;
  let aborted = false;
  for (const agreement of agreements) {
    const root = rootOfAgreement(roots, agreement.id);
    if (root === undefined) {
      missingRoots.push(agreement.id);
      continue;
    }
    for (const c of await listCollections(client, root)) {
      if (!c.canRead) continue;
      const pulled = await pullCollection(host, client, agreement, root, c, options);
      revoked += pulled.revoked;
      collections.push({
        agreementId: pulled.agreementId,
        apiRoot: pulled.apiRoot,
        collection: pulled.collection,
        purpose: pulled.purpose,
        pages: pulled.pages,
        received: pulled.received,
        inserted: pulled.inserted,
        unchanged: pulled.unchanged,
        alreadyHeld: pulled.alreadyHeld,
        cursor: pulled.cursor,
      });
      if (pulled.aborted) {
        aborted = true;
        break;
      }
    }
    if (aborted) break;
  }
  const withdrawn =
    host.withdrawals === undefined || agreements.length === 0 || aborted
      ? 0
      : await syncWithdrawals(host, client, peer.url);
  const receipts =
    options.deliver === false
      ? {
          delivered: 0,
          pending: (await federationReceipts.undelivered(host.db, peer.party)).length,
          errors: [],
        }
      : await deliverReceipts(host, client, peer.url);
  return { peer: peer.party, collections, missingRoots, revoked, withdrawn, receipts, aborted };
}
