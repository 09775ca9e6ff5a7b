/**
 * Compliance indicators: what an oversight body reads about a node over a period, computed
 * from the node's ledger (and, for levels, waivers and pauses, the escalation state the same
 * ledger replays to). INVARIANT: only aggregates of ledger metadata — counts, durations, ids
 * of governance records (agreements, waivers, pauses, sanctions) — never an object id, a
 * hash of an object, or anything of intelligence content.
 */

/** A half-open period `from ≤ at < to`, epoch milliseconds (UTC). */
export interface Period {
  readonly from: number;
  readonly to: number;
}

/** Objects a producer contributed (ingested on this node) in the period. */
export interface ContributionRow {
  readonly producer: string;
  readonly objects: number;
  /** By TLP 2.0 marking (`clear`, `green`, `amber`, `amber+strict`, `red`, `none`). */
  readonly byTlp: Readonly<Record<string, number>>;
  /** By STIX type. */
  readonly byType: Readonly<Record<string, number>>;
}

/** Release decisions of one agency, purpose, level and channel in the period. */
export interface ReleaseRow {
  readonly agreementId: string;
  readonly agency: string;
  /** The agency's party, when the agreement in force names it. */
  readonly party: string | null;
  readonly purpose: string;
  readonly level: string;
  /** `objects`, `object`, `manifest`, `versions` or `export`. */
  readonly channel: string;
  /** Release calls (pages, exports) decided. */
  readonly calls: number;
  /** Object versions released. */
  readonly objects: number;
  /** Candidates withheld (denied) while filling those calls. */
  readonly withheld: number;
}

/**
 * Burden sharing per party (the seed: "metrics per party: contributed vs received"): objects
 * it contributed to this node, and objects this node released to its agencies.
 */
export interface BurdenRow {
  readonly party: string;
  readonly contributed: number;
  readonly received: number;
}

/** Timeliness per receiving party: from an object's ingest to its first release to that party. */
export interface TimelinessRow {
  readonly party: string;
  /** Object versions first released to the party in the period whose ingest the ledger shows. */
  readonly releases: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly maxMs: number;
}

/** Federation: signed receipts this node issued (as receiver) and acknowledged (as producer). */
export interface FederationRow {
  /** The other party. */
  readonly peer: string;
  /** Receipts this node signed for pages it pulled from the peer, and the objects they name. */
  readonly receiptsIssued: number;
  readonly objectsReceived: number;
  /** Receipts of the peer this node verified and ledgered, and the objects they name. */
  readonly receiptsAcknowledged: number;
  readonly objectsAcknowledged: number;
}

/** Retention: data keys destroyed, and keys the ledger shows due but not destroyed. */
export interface RetentionIndicators {
  /** `shred` entries in the period (one per data key). */
  readonly keysShredded: number;
  /** Objects those keys protected. */
  readonly objectsShredded: number;
  /** Keys shredded more than the grace after their window ended. */
  readonly shreddedLate: number;
  /** Largest delay between a window's end and its shred in the period (0 if none). */
  readonly maxShredDelayMs: number;
  /**
   * Keys with objects whose retention ended (plus the window and the grace) before the
   * period's end and no `shred` entry by then: data kept past its deadline.
   */
  readonly overdueKeys: number;
  /** Objects under those keys. */
  readonly overdueObjects: number;
}

/** Governance records in the period (ids and versions only). */
export interface GovernanceIndicators {
  readonly agreementsActivated: readonly {
    readonly agreementId: string;
    readonly version: number;
    readonly at: number;
  }[];
}

/** Time at each cooperation level within the period, in agreement order. */
export interface LevelTime {
  readonly level: string;
  readonly ms: number;
}

/** A compliance finding in the period (waiver reviews overdue or filed late). */
export interface FindingRow {
  readonly kind: 'review-overdue' | 'review-filed-late';
  readonly waiver: string;
  readonly due: number;
  readonly filedAt?: number;
}

/** One agreement's proportionality record over the period (escalation replayed from the ledger). */
export interface EscalationIndicators {
  readonly agreementId: string;
  readonly levels: readonly LevelTime[];
  /** Level at the end of the period. */
  readonly levelAtEnd: string;
  readonly raised: number;
  readonly renewed: number;
  readonly lowered: number;
  /** Raises that ended by their sunset (`max_duration`) rather than hysteresis or by hand. */
  readonly sunsets: number;
  readonly waivers: {
    readonly requested: number;
    /** Waivers that were active at some instant of the period. */
    readonly active: number;
    readonly closedEarly: number;
    readonly reviewsFiled: number;
  };
  readonly pauses: {
    readonly started: number;
    readonly resumed: number;
    /** Pause time overlapping the period, summed over pauses (may exceed the period). */
    readonly pausedMs: number;
  };
  readonly disputesOpened: number;
  readonly sanctionsApplied: number;
  readonly certificationsRevoked: number;
  readonly riskRatingsPublished: number;
  readonly findings: readonly FindingRow[];
  /** Events replay refused or receipts that disagreed with replay. */
  readonly rejectedEvents: number;
  readonly anomalies: number;
}

/** Everything an oversight body reads for a period; see the module comment. */
export interface Indicators {
  readonly period: Period;
  /** Ledger entries in the period, by kind, and the range of leaf indexes they occupy. */
  readonly ledger: {
    readonly entries: number;
    readonly firstSeq: number | null;
    readonly lastSeq: number | null;
    readonly byKind: Readonly<Record<string, number>>;
  };
  readonly contributions: readonly ContributionRow[];
  readonly releases: readonly ReleaseRow[];
  readonly burden: readonly BurdenRow[];
  readonly timeliness: readonly TimelinessRow[];
  readonly federation: readonly FederationRow[];
  readonly retention: RetentionIndicators;
  readonly governance: GovernanceIndicators;
  readonly escalation: readonly EscalationIndicators[];
}
