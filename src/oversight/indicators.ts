/**
 * Compliance indicators from the ledger alone: one pass over the entries in ledger order
 * ({@link IndicatorFold}), reading only the metadata each kind of entry carries — `ingest`
 * (producer, TLP, type, key, retention deadline), `release` (agency, purpose, level, channel,
 * items, withheld), `shred`, `receipt`, `receipt-acknowledged` and `governance`. Entries before
 * the period are read too, but only to know when each object version was ingested (timeliness)
 * and which keys hold data (retention); entries at or after its end are ignored.
 *
 * The docs (docs/oversight.md) define each indicator; the tests hold this fold to them on
 * ledgers written by the real ingest, release, shred and federation code.
 */
import type { LedgerEntry } from '../ledger/index.js';
import type {
  BurdenRow,
  ContributionRow,
  FederationRow,
  Indicators,
  Period,
  ReleaseRow,
  RetentionIndicators,
  TimelinessRow,
  EscalationIndicators,
} from './types.js';

/** What the fold needs beside the entries. */
export interface IndicatorOptions {
  readonly period: Period;
  /** Agency → party, from the agreements in force (releases to unknown agencies count under no party). */
  readonly agencyParty: ReadonlyMap<string, string>;
  /**
   * The longest a retention window may be (the node's vault window; default a week, the widest
   * there is): a key is overdue only once every deadline under it plus this and the grace has
   * passed, so a node is never flagged for a shred that is not due yet.
   */
  readonly windowMs?: number;
  /** How long after a window ends its shred may come before it counts as late. Default 1 day. */
  readonly graceMs?: number;
  /**
   * The instant overdue keys are judged at: the period's end (the default) or, for a period
   * that ends in the future, now — a deadline still to come is never overdue.
   */
  readonly asOf?: number;
}

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** Per data key, what ingest entries put under it. */
interface KeyUse {
  objects: number;
  lastDeadline: number;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function bump(m: Record<string, number>, k: string, by = 1): void {
  m[k] = (m[k] ?? 0) + by;
}

/** The `p`-quantile (0..1) of sorted values, nearest rank. */
function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i] ?? 0;
}

/** Sorted by a string key, so the output never depends on ledger order. */
function byKey<T>(rows: Iterable<T>, key: (r: T) => string): T[] {
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * The fold: {@link IndicatorFold.add} every entry in ledger order (before, in and after the
 * period), then {@link IndicatorFold.result}.
 */
export class IndicatorFold {
  readonly #o: Required<IndicatorOptions>;
  #entries = 0;
  #firstSeq: number | null = null;
  #lastSeq: number | null = null;
  readonly #byKind: Record<string, number> = {};
  readonly #contributions = new Map<
    string,
    { objects: number; byTlp: Record<string, number>; byType: Record<string, number> }
  >();
  readonly #releases = new Map<string, { -readonly [K in keyof ReleaseRow]: ReleaseRow[K] }>();
  /** `<id> <version>` → when it was ingested. */
  readonly #ingestedAt = new Map<string, number>();
  /** `<party> <id> <version>` released already (only the first release counts for timeliness). */
  readonly #releasedTo = new Set<string>();
  readonly #delays = new Map<string, number[]>();
  readonly #received = new Map<string, number>();
  readonly #federation = new Map<
    string,
    { -readonly [K in Exclude<keyof FederationRow, 'peer'>]: number }
  >();
  readonly #keys = new Map<string, KeyUse>();
  readonly #shredded = new Set<string>();
  readonly #retention = {
    keysShredded: 0,
    objectsShredded: 0,
    shreddedLate: 0,
    maxShredDelayMs: 0,
  };
  readonly #activations: { agreementId: string; version: number; at: number }[] = [];

  constructor(options: IndicatorOptions) {
    this.#o = { windowMs: WEEK, graceMs: DAY, asOf: options.period.to, ...options };
  }

  /** Reads one entry; entries must come in ledger order. */
  add(e: LedgerEntry): void {
    const { from, to } = this.#o.period;
    if (e.at >= to) return;
    const inPeriod = e.at >= from;
    const b = e.body;
    if (inPeriod) {
      this.#entries++;
      this.#firstSeq ??= e.seq;
      this.#lastSeq = e.seq;
      bump(this.#byKind, e.kind);
    }
    switch (e.kind) {
      case 'ingest':
        this.#ingest(b, e.at, inPeriod);
        break;
      case 'release':
        if (inPeriod) this.#release(b, e.at);
        break;
      case 'shred':
        this.#shred(b, e.at, inPeriod);
        break;
      case 'receipt':
      case 'receipt-acknowledged':
        if (inPeriod) this.#receipt(e.kind, b);
        break;
      case 'governance':
        if (inPeriod && b['event'] === 'agreement-activated') {
          const agreementId = str(b['agreementId']);
          const version = num(b['version']);
          if (agreementId !== undefined && version !== undefined)
            this.#activations.push({ agreementId, version, at: e.at });
        }
        break;
      default:
    }
  }

  #ingest(b: LedgerEntry['body'], at: number, inPeriod: boolean): void {
    const id = str(b['objectId']);
    const version = str(b['version']);
    if (id !== undefined && version !== undefined) this.#ingestedAt.set(`${id} ${version}`, at);
    const keyId = str(b['keyId']);
    const deadline = num(b['retainUntil']);
    if (keyId !== undefined && deadline !== undefined) {
      const use = this.#keys.get(keyId);
      if (use === undefined) this.#keys.set(keyId, { objects: 1, lastDeadline: deadline });
      else {
        use.objects++;
        use.lastDeadline = Math.max(use.lastDeadline, deadline);
      }
    }
    if (!inPeriod) return;
    const producer = str(b['producer']) ?? 'unknown';
    let c = this.#contributions.get(producer);
    if (c === undefined)
      this.#contributions.set(producer, (c = { objects: 0, byTlp: {}, byType: {} }));
    c.objects++;
    bump(c.byTlp, str(b['tlp']) ?? 'none');
    bump(c.byType, str(b['type']) ?? 'unknown');
  }

  #release(b: LedgerEntry['body'], at: number): void {
    const agreementId = str(b['agreementId']) ?? '';
    const agency = str(b['agency']) ?? '';
    const purpose = str(b['purpose']) ?? '';
    const level = str(b['level']) ?? '';
    const channel = str(b['channel']) ?? '';
    const items = Array.isArray(b['items']) ? b['items'] : [];
    const withheld = num(b['withheld']) ?? 0;
    const party = this.#o.agencyParty.get(agency) ?? null;
    const key = JSON.stringify([agreementId, agency, purpose, level, channel]);
    let row = this.#releases.get(key);
    if (row === undefined) {
      row = {
        agreementId,
        agency,
        party,
        purpose,
        level,
        channel,
        calls: 0,
        objects: 0,
        withheld: 0,
      };
      this.#releases.set(key, row);
    }
    // A call's later entries (past 100 items) carry `part`: only a first entry is a call.
    row.objects += items.length;
    row.withheld += withheld;
    if (b['part'] === undefined) row.calls++;
    if (party === null) return;
    this.#received.set(party, (this.#received.get(party) ?? 0) + items.length);
    for (const item of items) {
      if (typeof item !== 'string') continue;
      // `<released id> <version> sha256:<hex>`: the first two words name the version.
      const sp = item.indexOf(' ', item.indexOf(' ') + 1);
      const version = sp < 0 ? item : item.slice(0, sp);
      const seen = `${party} ${version}`;
      if (this.#releasedTo.has(seen)) continue;
      this.#releasedTo.add(seen);
      const ingested = this.#ingestedAt.get(version);
      if (ingested === undefined || ingested > at) continue;
      let d = this.#delays.get(party);
      if (d === undefined) this.#delays.set(party, (d = []));
      d.push(at - ingested);
    }
  }

  #shred(b: LedgerEntry['body'], at: number, inPeriod: boolean): void {
    const keyId = str(b['keyId']);
    if (keyId !== undefined) this.#shredded.add(keyId);
    if (!inPeriod) return;
    const r = this.#retention;
    r.keysShredded++;
    r.objectsShredded += num(b['objectCount']) ?? 0;
    const windowEnd = num(b['windowEnd']);
    if (windowEnd === undefined) return;
    const delay = Math.max(0, at - windowEnd);
    r.maxShredDelayMs = Math.max(r.maxShredDelayMs, delay);
    if (delay > this.#o.graceMs) r.shreddedLate++;
  }

  #receipt(kind: 'receipt' | 'receipt-acknowledged', b: LedgerEntry['body']): void {
    // On a receipt this node signed, the peer is the producer; on one it acknowledged, the receiver.
    const peer = str(kind === 'receipt' ? b['producer'] : b['receiver']) ?? 'unknown';
    let row = this.#federation.get(peer);
    if (row === undefined) {
      row = {
        receiptsIssued: 0,
        objectsReceived: 0,
        receiptsAcknowledged: 0,
        objectsAcknowledged: 0,
      };
      this.#federation.set(peer, row);
    }
    if (kind === 'receipt') {
      row.receiptsIssued++;
      row.objectsReceived += Array.isArray(b['items']) ? b['items'].length : 0;
    } else {
      row.receiptsAcknowledged++;
      row.objectsAcknowledged += num(b['count']) ?? 0;
    }
  }

  #retentionResult(): RetentionIndicators {
    const { asOf } = this.#o;
    let overdueKeys = 0;
    let overdueObjects = 0;
    for (const [keyId, use] of this.#keys) {
      if (this.#shredded.has(keyId)) continue;
      if (use.lastDeadline + this.#o.windowMs + this.#o.graceMs >= asOf) continue;
      overdueKeys++;
      overdueObjects += use.objects;
    }
    return { ...this.#retention, overdueKeys, overdueObjects };
  }

  /** The indicators, with the escalation records of each agreement (`escalationIndicators`). */
  result(escalation: readonly EscalationIndicators[] = []): Indicators {
    const contributions: ContributionRow[] = byKey(
      [...this.#contributions].map(([producer, c]) => ({ producer, ...c })),
      (r) => r.producer,
    );
    const releases = byKey(this.#releases.values(), (r) =>
      JSON.stringify([r.agreementId, r.agency, r.purpose, r.level, r.channel]),
    ).map((r): ReleaseRow => ({ ...r }));
    const parties = new Set<string>([
      ...contributions.map((c) => c.producer),
      ...this.#received.keys(),
    ]);
    const burden: BurdenRow[] = byKey(parties, (p) => p).map((party) => ({
      party,
      contributed: this.#contributions.get(party)?.objects ?? 0,
      received: this.#received.get(party) ?? 0,
    }));
    const timeliness: TimelinessRow[] = byKey(this.#delays.keys(), (p) => p).map((party) => {
      const d = [...(this.#delays.get(party) ?? [])].sort((a, b) => a - b);
      return {
        party,
        releases: d.length,
        medianMs: quantile(d, 0.5),
        p90Ms: quantile(d, 0.9),
        maxMs: d[d.length - 1] ?? 0,
      };
    });
    const federation: FederationRow[] = byKey(this.#federation.keys(), (p) => p).map((peer) => ({
      peer,
      ...(this.#federation.get(peer) as Omit<FederationRow, 'peer'>),
    }));
    return {
      period: this.#o.period,
      ledger: {
        entries: this.#entries,
        firstSeq: this.#firstSeq,
        lastSeq: this.#lastSeq,
        byKind: Object.fromEntries(byKey(Object.entries(this.#byKind), ([k]) => k)),
      },
      contributions,
      releases,
      burden,
      timeliness,
      federation,
      retention: this.#retentionResult(),
      governance: { agreementsActivated: [...this.#activations] },
      escalation: [...escalation],
    };
  }
}
