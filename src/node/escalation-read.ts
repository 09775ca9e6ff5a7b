/**
 * Reading escalation events back from the ledger: entries of kind `escalation` whose body
 * names the agreement; the body without that member is the event.
 */
import { ConcordatError } from '../core/index.js';
import type { EscalationEvent } from '../escalation/index.js';
import { ledgerEntries } from '../store/index.js';
import type { Queryable } from '../store/index.js';

/** The ledger entry kind of every escalation event. */
export const ESCALATION_ENTRY_KIND = 'escalation';

const CHUNK = 10_000;

/**
 * Reads the escalation events of `agreementId` from the ledger entries `from <= seq < to`
 * (default: the whole ledger), in ledger order.
 */
export async function readEscalationEvents(
  db: Queryable,
  agreementId: string,
  from = 0,
  to?: number,
): Promise<EscalationEvent[]> {
  const events: EscalationEvent[] = [];
  const end = to ?? (await ledgerEntries.size(db));
  for (let start = from; start < end; start += CHUNK) {
    for (const row of await ledgerEntries.range(db, start, Math.min(end, start + CHUNK))) {
      if (row.kind !== ESCALATION_ENTRY_KIND) continue;
      let body: unknown;
      try {
        body = JSON.parse(row.body) as unknown;
      } catch (cause) {
        throw new ConcordatError(
          'ERR_LEDGER_INTEGRITY',
          `ledger entry \`${row.seq}\` body is not json`,
          { cause, details: { seq: row.seq } },
        );
      }
      if (typeof body !== 'object' || body === null) continue;
      const { agreement, ...event } = body as Record<string, unknown>;
      if (agreement === agreementId) events.push(event as unknown as EscalationEvent);
    }
  }
  return events;
}
