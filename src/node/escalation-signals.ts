/**
 * Automatic escalation inputs (issue 5): incident signals (objects by RSIT class and TLP) and
 * intel quality (the Admiralty grade of ingested intel's STIX confidence), computed from the
 * store's object metadata — never by decrypting content — and recorded as escalation events
 * on the ledger, so a replay sees exactly what the live evaluation saw.
 *
 * Each automatic event carries the ingest interval it covers (`window: { from, to }`); the
 * next pass starts where the latest one ended, so no object is counted twice. Signals are
 * recorded at the instant of the pass: objects ingested since the previous pass count from
 * then, which is why `concordat serve` runs a pass every minute (docs/spec/escalation.md
 * "Automatic inputs").
 */
import type { Agreement, RsitClass, Tlp, TriggerCondition } from '../agreement/index.js';
import { RSIT_CLASSES, TLP_LABELS } from '../agreement/index.js';
import { addDuration } from '../core/index.js';
import type { EscalationEvent, IngestWindow } from '../escalation/index.js';
import { confidenceToAdmiralty } from '../intel/index.js';
import { objectSignals } from '../store/index.js';
import type { Queryable, SignalCount } from '../store/index.js';
import type { EscalationInput, WrittenEvent } from './escalation-service.js';

/** What the pass needs of an escalation service (structurally `EscalationService`). */
export interface AutomaticTarget {
  readonly agreement: Agreement;
  readonly events: readonly EscalationEvent[];
  refresh(): Promise<void>;
  record(input: EscalationInput): Promise<{ readonly written: readonly WrittenEvent[] }>;
}

/** What one automatic pass recorded. */
export interface AutomaticInputs {
  /** The ingest interval counted for incident signals; absent when no trigger watches them. */
  readonly incidents?: IngestWindow & { readonly counts: readonly SignalCount[] };
  /** The ingest interval graded; absent when no trigger watches intel quality. */
  readonly quality?: IngestWindow & {
    readonly grades: readonly { readonly objectRef: string; readonly grade: string }[];
  };
  /** Every event written (the inputs, and the receipts and proposals they entailed). */
  readonly written: readonly WrittenEvent[];
}

function conditions(agreement: Agreement): TriggerCondition[] {
  return agreement.triggers.flatMap((t) =>
    t.lowerWhen === undefined ? [t.when] : [t.when, t.lowerWhen.when],
  );
}

/** The end of the latest automatic event of `type`, if any. */
function watermark(
  events: readonly EscalationEvent[],
  type: EscalationEvent['type'],
): number | undefined {
  let to: number | undefined;
  for (const e of events)
    if (e.type === type && 'window' in e && e.window !== undefined)
      to = Math.max(to ?? e.window.to, e.window.to);
  return to;
}

const US = 1000;

/**
 * Records the automatic inputs of `target`'s agreement from objects ingested since its last
 * pass, up to `now` (exclusive): one `incident-signal` per (RSIT class, TLP) with objects, and
 * one `intel-quality-observed` per distinct confidence value (the latest object with it).
 * Incident counting never starts earlier than the longest window any trigger watches (older
 * objects could not count anyway). Does nothing for inputs no trigger watches.
 */
export async function recordAutomaticInputs(
  db: Queryable,
  target: AutomaticTarget,
  party: string,
  now: number,
): Promise<AutomaticInputs> {
  await target.refresh();
  const agreement = target.agreement;
  const watched = conditions(agreement);
  const written: WrittenEvent[] = [];
  const record = async (input: EscalationInput): Promise<void> => {
    written.push(...(await target.record(input)).written);
  };
  let incidents: AutomaticInputs['incidents'];
  let quality: AutomaticInputs['quality'];

  const windows = watched.flatMap((c) => (c.incidents === undefined ? [] : [c.incidents.window]));
  if (windows.length > 0) {
    // The earliest instant any watched window could still reach back to.
    const reach = Math.min(...windows.map((w) => now - (addDuration(now, w) - now)));
    const from = Math.max(
      watermark(target.events, 'incident-signal') ?? agreement.effective.from,
      reach,
      agreement.effective.from,
    );
    if (from < now) {
      const counts = (await objectSignals.incidentCounts(db, from * US, now * US)).filter(
        (c) =>
          (RSIT_CLASSES as readonly string[]).includes(c.rsit) &&
          (TLP_LABELS as readonly string[]).includes(c.tlp),
      );
      for (const c of counts)
        await record({
          type: 'incident-signal',
          actor: party,
          rsit: c.rsit as RsitClass,
          tlp: c.tlp as Tlp,
          count: c.count,
          window: { from, to: now },
        });
      incidents = { from, to: now, counts };
    }
  }

  if (watched.some((c) => c.intelQuality !== undefined)) {
    const from = Math.max(
      watermark(target.events, 'intel-quality-observed') ?? agreement.effective.from,
      agreement.effective.from,
    );
    if (from < now) {
      const grades: { objectRef: string; grade: string }[] = [];
      for (const s of await objectSignals.confidenceSamples(db, from * US, now * US)) {
        const grade = confidenceToAdmiralty(s.confidence);
        if (grade === undefined) continue;
        const objectRef = `${s.id}@${s.modified}`;
        grades.push({ objectRef, grade });
        await record({
          type: 'intel-quality-observed',
          actor: party,
          grade,
          confidence: s.confidence,
          objectRef,
          window: { from, to: now },
        });
      }
      quality = { from, to: now, grades };
    }
  }
  return {
    ...(incidents === undefined ? {} : { incidents }),
    ...(quality === undefined ? {} : { quality }),
    written,
  };
}
