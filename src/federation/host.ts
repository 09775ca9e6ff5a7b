/**
 * What federation needs from the node it runs in, structurally (federation/ never imports the
 * composition root, which starts federation: no cycle). `openNode`'s `Node` plus its signing
 * key provides all of it; `hostOf` in the CLI and `serve` builds one.
 */
import type { KeyObject } from 'node:crypto';
import type { Agreement } from '../agreement/index.js';
import type { Clock } from '../core/index.js';
import type { JsonObject, LedgerEntry } from '../ledger/index.js';
import type { Database } from '../store/index.js';

/** What one ingest reported (a structural subset of node's `IngestReport`). */
export interface HostIngestReport {
  readonly objects: readonly {
    readonly id: string;
    readonly version: string;
    readonly status: 'inserted' | 'unchanged';
  }[];
}

/** The node ledger operations federation uses (node's `NodeLedger`). */
export interface HostLedger {
  checkpoint(): Promise<unknown>;
  head(): Promise<{ readonly size: number; readonly text: string } | undefined>;
  inclusion(
    seq: number,
    size?: number,
  ): Promise<{
    readonly entry: LedgerEntry;
    readonly proof: readonly Uint8Array[];
    readonly size: number;
  }>;
  append(kind: string, body: JsonObject): Promise<{ readonly seq: number }>;
}

/** Versions withdrawn locally (the server's `Withdrawals`, so the door sees them at once). */
export interface HostWithdrawals {
  withdraw(
    versions: readonly { readonly id: string; readonly version: string }[],
    at: number,
    origin?: { readonly producer: string; readonly ledgerSeq: number },
  ): Promise<void>;
  isWithdrawn(id: string, version: string): boolean;
}

/** The node federation runs in. */
export interface FederationHost {
  /** This node's party. */
  readonly party: string;
  /** This node's ledger origin (checkpoint name). */
  readonly origin: string;
  readonly db: Database;
  readonly clock: Clock;
  /** The agreements in force, by id. */
  readonly agreements: ReadonlyMap<string, { readonly agreement: Agreement }>;
  /** Ingests a bundle all or nothing, honouring each object's handling retention. */
  ingest(
    bundle: unknown,
    options: { readonly producer: string; readonly collection: string },
  ): Promise<{ readonly report: HostIngestReport }>;
  readonly ledger: HostLedger;
  /** The node's Ed25519 signing key (receipts are signed with it). */
  readonly signingKey: KeyObject;
  /** Local withdrawals (revocations pulled from peers land here). */
  readonly withdrawals?: HostWithdrawals;
  /** Trusted party keys (PEM), from `agreements[].keys`: receipts are verified with them. */
  readonly partyKeys: Readonly<Record<string, readonly string[]>>;
}

/** The party of `agency` under `agreement`, if it is one of its agencies. */
export function partyOfAgency(agreement: Agreement, agency: string): string | undefined {
  return agreement.agencies.find((a) => a.id === agency)?.party;
}

/** The agreements in which both this node's party and `peer` take part, by id. */
export function sharedAgreements(host: FederationHost, peer: string): Agreement[] {
  return [...host.agreements.values()]
    .map((a) => a.agreement)
    .filter(
      (a) => a.parties.some((p) => p.id === host.party) && a.parties.some((p) => p.id === peer),
    );
}
