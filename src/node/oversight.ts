/**
 * The oversight body's view of a node: compliance indicators over a period, computed from the
 * node's ledger alone (`IndicatorFold`, one pass over every entry), with each agreement's
 * escalation events replayed to the period's end (`replay`, with the officials' keys the node
 * is configured with), and the transparency report built from them after the ledger verifies.
 * Nothing here reads the object store or the vault: no intelligence is in reach.
 */
import { replay } from '../escalation/index.js';
import type { EscalationEvent } from '../escalation/index.js';
import {
  IndicatorFold,
  escalationIndicators,
  renderTransparencyReport,
} from '../oversight/index.js';
import type { EscalationIndicators, Indicators, Period } from '../oversight/index.js';
import { loadOfficialKeys } from './escalation-keys.js';
import { ESCALATION_ENTRY_KIND } from './escalation-read.js';
import { ledgerRecords } from './ledger-records.js';
import type { Node } from './open-node.js';

/** Entries read per query. */
const CHUNK = 10_000;

const WINDOW_MS = { hour: 3_600_000, day: 86_400_000, week: 604_800_000 } as const;

/** Options of {@link nodeIndicators}. */
export interface NodeIndicatorOptions {
  /** Called after each chunk of entries: how many are read, of how many. */
  readonly onProgress?: (read: number, total: number) => void;
}

/**
 * The compliance indicators of `node` over `period` (docs/oversight.md). The period may end in
 * the future: the escalation state is taken at its end or now, whichever is earlier.
 */
export async function nodeIndicators(
  node: Node,
  period: Period,
  options: NodeIndicatorOptions = {},
): Promise<Indicators> {
  const agencyParty = new Map<string, string>();
  for (const { agreement } of node.agreements.values())
    for (const a of agreement.agencies) agencyParty.set(a.id, a.party);
  const at = Math.min(period.to, node.clock.now());
  const fold = new IndicatorFold({
    period,
    agencyParty,
    windowMs: WINDOW_MS[node.vault.window],
    asOf: at,
  });
  const events = new Map<string, EscalationEvent[]>();
  const total = await node.repositories.ledgerEntries.size(node.db);
  for (let start = 0; start < total; start += CHUNK) {
    const end = Math.min(total, start + CHUNK);
    for (const { entry } of await ledgerRecords(node.db, start, end)) {
      // `ledgerRecords` throws on a body that is not JSON; raw bytes never come from it.
      if (entry instanceof Uint8Array) continue;
      fold.add(entry);
      if (entry.kind !== ESCALATION_ENTRY_KIND) continue;
      // The body is the event and the agreement it belongs to (escalation-read.ts).
      const { agreement, ...event } = entry.body as Record<string, unknown>;
      if (typeof agreement !== 'string') continue;
      let list = events.get(agreement);
      if (list === undefined) events.set(agreement, (list = []));
      list.push(event as unknown as EscalationEvent);
    }
    options.onProgress?.(end, total);
  }
  const escalation: EscalationIndicators[] = [];
  for (const [id, entry] of [...node.agreements].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // Not in force at any instant of the period (or not yet at `at`): no record to give.
    if (entry.agreement.effective.from > at) continue;
    const keysFile = node.config.agreements.find((a) => a.file === entry.file)?.officialKeys;
    const state = replay(
      entry.agreement,
      events.get(id) ?? [],
      at,
      keysFile === undefined ? {} : { keys: await loadOfficialKeys(keysFile) },
    );
    escalation.push(escalationIndicators(entry.agreement, state, events.get(id) ?? [], period));
  }
  return fold.result(escalation);
}

/**
 * The transparency report of `node` over `period`: the ledger is verified first (its result
 * is printed in the report, a failure as a warning), then the indicators are computed and
 * rendered. `quarter` names the period in the title when it is one.
 */
export async function nodeTransparencyReport(
  node: Node,
  period: Period,
  quarter?: string,
  options: NodeIndicatorOptions = {},
): Promise<string> {
  const v = await node.ledger.verify();
  const indicators = await nodeIndicators(node, period, options);
  return renderTransparencyReport(indicators, {
    node: node.ledger.origin,
    party: node.config.party,
    generatedAt: node.clock.now(),
    ...(quarter === undefined ? {} : { title: `Transparency report — ${quarter}` }),
    verification: v.ok
      ? {
          ok: true,
          size: v.size,
          root: Buffer.from(v.root).toString('hex'),
          checkpoints: v.checkpoints,
        }
      : {
          ok: false,
          size: v.total,
          root: '',
          checkpoints: 0,
          breakAt: v.break.message,
        },
  });
}
