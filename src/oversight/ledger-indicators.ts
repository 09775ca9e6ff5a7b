/**
 * Indicators from a stream of ledger entries, whoever reads them: the node from its store
 * (`node/oversight.ts`), or an oversight body from an export it verifies as it reads
 * ({@link verifiedIndicators}). One pass: each entry feeds the {@link IndicatorFold} and, when
 * it is an escalation event, its agreement's event list; at the end each agreement in force is
 * replayed to the instant the period is judged at.
 */
import type { Agreement } from '../agreement/index.js';
import { replay } from '../escalation/index.js';
import type { EscalationEvent, KeyRegistry } from '../escalation/index.js';
import { verifyLedger } from '../ledger/index.js';
import type {
  LedgerEntry,
  LedgerExportReading,
  LedgerVerification,
  NoteVerifier,
} from '../ledger/index.js';
import { escalationIndicators } from './escalation-indicators.js';
import { IndicatorFold } from './indicators.js';
import type { EscalationIndicators, Indicators, Period } from './types.js';

/**
 * The ledger kind of escalation events; the body is the event plus `agreement` (the node
 * writes them so: node/escalation-read.ts).
 */
const ESCALATION_KIND = 'escalation';

/** An agreement to account for, with the officials' keys its approvals are checked against. */
export interface AgreementInForce {
  readonly agreement: Agreement;
  readonly keys?: KeyRegistry;
}

/** What {@link LedgerIndicators} needs. */
export interface LedgerIndicatorOptions {
  readonly period: Period;
  readonly agreements: readonly AgreementInForce[];
  /** The instant to judge at: the period's end, or now if that is earlier. */
  readonly asOf: number;
  /** The node's retention window width (see `IndicatorOptions.windowMs`). */
  readonly windowMs?: number;
}

/** Entries in, indicators out; see the module comment. */
export class LedgerIndicators {
  readonly #o: LedgerIndicatorOptions;
  readonly #fold: IndicatorFold;
  readonly #events = new Map<string, EscalationEvent[]>();

  constructor(options: LedgerIndicatorOptions) {
    this.#o = options;
    const agencyParty = new Map<string, string>();
    for (const { agreement } of options.agreements)
      for (const a of agreement.agencies) agencyParty.set(a.id, a.party);
    this.#fold = new IndicatorFold({
      period: options.period,
      agencyParty,
      asOf: options.asOf,
      ...(options.windowMs === undefined ? {} : { windowMs: options.windowMs }),
    });
  }

  /** Reads one entry; entries must come in ledger order. */
  add(entry: LedgerEntry): void {
    this.#fold.add(entry);
    if (entry.kind !== ESCALATION_KIND) return;
    const { agreement, ...event } = entry.body as Record<string, unknown>;
    if (typeof agreement !== 'string') return;
    let list = this.#events.get(agreement);
    if (list === undefined) this.#events.set(agreement, (list = []));
    list.push(event as unknown as EscalationEvent);
  }

  /** The indicators, each agreement in force by `asOf` replayed to it (sorted by id). */
  result(): Indicators {
    const { asOf, period } = this.#o;
    const escalation: EscalationIndicators[] = [];
    const inForce = this.#o.agreements
      .filter(({ agreement }) => agreement.effective.from <= asOf)
      .sort((a, b) => (a.agreement.id < b.agreement.id ? -1 : 1));
    for (const { agreement, keys } of inForce) {
      const events = this.#events.get(agreement.id) ?? [];
      const state = replay(agreement, events, asOf, keys === undefined ? {} : { keys });
      escalation.push(escalationIndicators(agreement, state, events, period));
    }
    return this.#fold.result(escalation);
  }
}

/** A verified export's indicators, or the break that stopped verification. */
export type VerifiedIndicators =
  | {
      readonly verification: LedgerVerification & { readonly ok: true };
      readonly indicators: Indicators;
    }
  | { readonly verification: LedgerVerification & { readonly ok: false } };

/**
 * Verifies an export against its signed checkpoints with `verifier` (a key the oversight body
 * trusts, not the export's own claim) while folding its entries: indicators only from a ledger
 * that verifies whole. `onProgress` is called with the entries read so far.
 */
export async function verifiedIndicators(
  reading: LedgerExportReading,
  verifier: NoteVerifier,
  options: LedgerIndicatorOptions & { readonly onProgress?: (read: number) => void },
): Promise<VerifiedIndicators> {
  const indicators = new LedgerIndicators(options);
  const feed = async function* () {
    for await (const record of reading.records) {
      if (!(record.entry instanceof Uint8Array)) indicators.add(record.entry);
      yield record;
    }
  };
  const verification = await verifyLedger(feed(), reading.checkpoints, {
    verifiers: [verifier],
    origin: reading.header.origin,
    progressEvery: 1000,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  if (!verification.ok) return { verification };
  return { verification, indicators: indicators.result() };
}
