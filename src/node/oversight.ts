/**
 * The oversight body's view of a node: compliance indicators over a period, computed from the
 * node's ledger alone (`IndicatorFold`, one pass over every entry), with each agreement's
 * escalation events replayed to the period's end (`replay`, with the officials' keys the node
 * is configured with), and the transparency report built from them after the ledger verifies.
 * Nothing here reads the object store or the vault: no intelligence is in reach.
 */
import { exportCheckpointLine, exportEntryLine, exportHeaderLine } from '../ledger/index.js';
import {
  LedgerIndicators,
  renderTransparencyReport,
  reportVerification,
} from '../oversight/index.js';
import type { AgreementInForce, Indicators, Period, ReportOptions } from '../oversight/index.js';
import { checkpoints } from '../store/index.js';
import { loadOfficialKeys } from './escalation-keys.js';
import { ledgerRecords } from './ledger-records.js';
import type { Node } from './open-node.js';

/** Entries read per query. */
const CHUNK = 10_000;

/** Widths of the vault's retention windows. */
export const WINDOW_MS = { hour: 3_600_000, day: 86_400_000, week: 604_800_000 } as const;

/** Options of {@link nodeIndicators} and {@link nodeLedgerExport}. */
export interface NodeIndicatorOptions {
  /** Called after each chunk of entries: how many are read, of how many. */
  readonly onProgress?: (read: number, total: number) => void;
}

/** Every entry of the node's ledger, in order, a chunk per query. */
async function* entries(node: Node, options: NodeIndicatorOptions) {
  const total = await node.repositories.ledgerEntries.size(node.db);
  for (let start = 0; start < total; start += CHUNK) {
    const end = Math.min(total, start + CHUNK);
    for (const { entry } of await ledgerRecords(node.db, start, end))
      // `ledgerRecords` throws on a body that is not JSON; raw bytes never come from it.
      if (!(entry instanceof Uint8Array)) yield entry;
    options.onProgress?.(end, total);
  }
}

/** The node's agreements with the officials' keys its config names for each. */
async function agreementsInForce(node: Node): Promise<AgreementInForce[]> {
  const out: AgreementInForce[] = [];
  for (const entry of node.agreements.values()) {
    const keysFile = node.config.agreements.find((a) => a.file === entry.file)?.officialKeys;
    out.push({
      agreement: entry.agreement,
      ...(keysFile === undefined ? {} : { keys: await loadOfficialKeys(keysFile) }),
    });
  }
  return out;
}

/**
 * The compliance indicators of `node` over `period` (docs/oversight.md). The period may end in
 * the future: it is judged at its end or now, whichever is earlier.
 */
export async function nodeIndicators(
  node: Node,
  period: Period,
  options: NodeIndicatorOptions = {},
): Promise<Indicators> {
  const indicators = new LedgerIndicators({
    period,
    agreements: await agreementsInForce(node),
    asOf: Math.min(period.to, node.clock.now()),
    windowMs: WINDOW_MS[node.vault.window],
  });
  for await (const entry of entries(node, options)) indicators.add(entry);
  return indicators.result();
}

/** How long a served figure may be reused while the ledger has not grown. */
const REUSE_MS = 60_000;
/** Periods remembered at once. */
const REMEMBERED = 8;

/**
 * {@link nodeIndicators} for a server: a period asked again while the ledger has not grown
 * (a dashboard polling every few seconds) gets the figures computed within the last minute —
 * or the computation already under way — instead of another pass over the whole ledger.
 */
export function servedIndicators(node: Node): (period: Period) => Promise<Indicators> {
  const recent = new Map<string, { readonly at: number; readonly value: Promise<Indicators> }>();
  return async (period) => {
    const size = await node.repositories.ledgerEntries.size(node.db);
    const key = `${period.from}:${period.to}:${size}`;
    const now = node.clock.now();
    const hit = recent.get(key);
    if (hit !== undefined && now - hit.at < REUSE_MS) return hit.value;
    const value = nodeIndicators(node, period);
    recent.set(key, { at: now, value });
    // A failure is not remembered; the oldest period goes first.
    value.catch(() => recent.delete(key));
    while (recent.size > REMEMBERED) recent.delete(recent.keys().next().value as string);
    return value;
  };
}

/**
 * The node's whole ledger as export lines (`ledger/ledger-export.ts`): the header, every
 * stored checkpoint, every entry. The checkpoints are read first, so every one covers only
 * entries the export holds.
 */
export async function* nodeLedgerExport(
  node: Node,
  options: NodeIndicatorOptions = {},
): AsyncGenerator<string> {
  const cps = await checkpoints.list(node.db);
  const size = await node.repositories.ledgerEntries.size(node.db);
  yield exportHeaderLine({
    origin: node.ledger.origin,
    verifierKey: node.ledger.verifierKey,
    size,
    checkpoints: cps.length,
  });
  for (const cp of cps) yield exportCheckpointLine(cp.text);
  let n = 0;
  for await (const entry of entries(node, options)) {
    if (n++ >= size) break;
    yield exportEntryLine(entry);
  }
}

/** What the oversight body reads of a node: the indicators and the verification behind them. */
export interface NodeOversight {
  readonly indicators: Indicators;
  readonly origin: string;
  readonly party: string;
  readonly verification: NonNullable<ReportOptions['verification']>;
}

/** Verifies the node's ledger, then computes the indicators of `period` (see {@link nodeIndicators}). */
export async function nodeOversight(
  node: Node,
  period: Period,
  options: NodeIndicatorOptions = {},
): Promise<NodeOversight> {
  const v = await node.ledger.verify();
  return {
    indicators: await nodeIndicators(node, period, options),
    origin: node.ledger.origin,
    party: node.config.party,
    verification: reportVerification(v, v.ok ? v.size : v.total),
  };
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
  const o = await nodeOversight(node, period, options);
  return renderTransparencyReport(o.indicators, {
    node: o.origin,
    party: o.party,
    generatedAt: node.clock.now(),
    ...(quarter === undefined ? {} : { title: `Transparency report — ${quarter}` }),
    verification: o.verification,
  });
}
