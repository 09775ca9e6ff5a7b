/**
 * What the demo reports after each step of its timeline: one plain JSON object per step
 * (`concordat demo --json` prints exactly these), so a test or a script can assert what
 * happened without parsing prose.
 */

/** The steps of the timeline, in order. */
export type DemoStepId =
  | 'nodes-up'
  | 'baseline-flow'
  | 'risk-rises'
  | 'waiver-granted'
  | 'waiver-expired'
  | 'pause'
  | 'resume'
  | 'de-escalation'
  | 'retention'
  | 'ledgers'
  | 'receipts'
  | 'live';

/** How each node can be reached and checked. */
export interface NodeView {
  readonly party: string;
  readonly name: string;
  readonly dir: string;
  readonly config: string;
  readonly discovery: string;
  /** A read token of one partner agency on this node, and the agency. */
  readonly readToken: { readonly agency: string; readonly token: string };
  /** A ready-to-paste command listing what that agency may receive. */
  readonly curl: string;
  readonly verify: string;
  /** The node's web dashboard and the operator token to sign in with. */
  readonly dashboard: { readonly url: string; readonly token: string };
}

/** What one node shredded in a step. */
export interface ShredView {
  /** Object versions made unreadable, of the node's own intel. */
  readonly own: number;
  /** Object versions made unreadable, received from partners. */
  readonly partners: number;
}

/** Receipts of one pair of nodes. */
export interface ReceiptView {
  /** Signed receipts the consumer ledgered (one per page pulled). */
  readonly receipts: number;
  /** Present when reconciled: releases ledgered by the producer, receipts proven by the consumer. */
  readonly reconciled?: boolean;
  readonly released?: number;
  readonly received?: number;
  /** Released with no proven receipt, receipted but never released, same version with other hashes. */
  readonly missing?: number;
  readonly extra?: number;
  readonly mismatched?: number;
}

/** One step's report. */
export interface DemoStep {
  readonly n: number;
  readonly id: DemoStepId;
  readonly title: string;
  /** The scripted instant the step ended at (RFC 3339). */
  readonly at: string;
  /** What happened, one sentence a line. */
  readonly story: readonly string[];
  /** The level each node decides at after the step, by party. */
  readonly levels: Readonly<Record<string, string>>;
  /**
   * Objects of each nation that another nation newly holds after this step, by
   * `PRODUCER→CONSUMER` (the producer is the party that published the object, whatever path
   * it took; read from the consumer's store).
   */
  readonly flows?: Readonly<Record<string, number>>;
  /** What each pull stored, by `NODE PULLED→CONSUMER` (the transport's own count). */
  readonly transfers?: Readonly<Record<string, number>>;
  /**
   * Objects each consumer received from a node that did not produce them (another party's
   * intel shared onward), by consumer; absent or empty when there were none.
   */
  readonly onward?: Readonly<Record<string, number>>;
  /** Objects each producer added to its own feed in this step, by party. */
  readonly published?: Readonly<Record<string, number>>;
  readonly shredded?: Readonly<Record<string, ShredView>>;
  /** Ledger verification of each node, by party. */
  readonly ledgers?: Readonly<
    Record<string, { readonly ok: boolean; readonly entries: number; readonly checkpoints: number }>
  >;
  /**
   * Signed receipts per `PRODUCER→CONSUMER` (ledgered by the consumer), and, when the pair
   * was reconciled, whether the producer's releases and the consumer's proven receipts agree.
   */
  readonly receipts?: Readonly<Record<string, ReceiptView>>;
  /** Where to look (first and last steps). */
  readonly nodes?: readonly NodeView[];
  /** Step-specific facts (event ids, deadlines), JSON values only. */
  readonly facts?: Readonly<Record<string, string | number | boolean>>;
}

/** `PRODUCER→CONSUMER`, the key of {@link DemoStep.flows}. */
export function pairKey(producer: string, consumer: string): string {
  return `${producer}→${consumer}`;
}
