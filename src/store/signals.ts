/**
 * Object metadata the automatic escalation inputs read (migration 4): the RSIT class and STIX
 * confidence of each object version, written at ingest from the plaintext being sealed, and
 * read back as counts and grades by ingest instant. Nothing here reads or decrypts content:
 * every query touches only metadata columns (`ciphertext`, `nonce`, `tag` are never selected).
 */
import { ConcordatError } from '../core/index.js';
import type { Queryable, Transaction } from './database.js';
import { int, text, textOrNull } from './row.js';

/** What ingest learned about one stored object version, for signals. */
export interface SignalTag {
  readonly id: string;
  /** The stored version key (`objects.modified`). */
  readonly modified: string;
  readonly rsit: string | null;
  /** STIX confidence 0–100, or null. */
  readonly confidence: number | null;
}

/** Object versions of one RSIT class and TLP ingested in a window. */
export interface SignalCount {
  readonly rsit: string;
  /** `objects.tlp`; an unmarked object counts as `amber` (intel's `DEFAULT_UNMARKED_TLP`). */
  readonly tlp: string;
  readonly count: number;
}

/** The latest object version ingested in a window with one confidence value. */
export interface ConfidenceSample {
  readonly id: string;
  readonly modified: string;
  readonly confidence: number;
}

/** The signal columns of `objects`. */
export const objectSignals = {
  /**
   * Records the RSIT class and confidence of stored versions. Only untagged versions change
   * (a tag is written once, like the version it describes); a tag with neither is skipped.
   * Returns how many rows changed.
   */
  async tag(tx: Transaction, tags: readonly SignalTag[]): Promise<number> {
    let changed = 0;
    for (const t of tags) {
      if (t.rsit === null && t.confidence === null) continue;
      if (
        t.confidence !== null &&
        !(Number.isInteger(t.confidence) && t.confidence >= 0 && t.confidence <= 100)
      )
        throw new ConcordatError('ERR_INTERNAL', 'a confidence must be an integer 0–100');
      const r = await tx.run(
        'UPDATE objects SET rsit = ?, confidence = ? ' +
          'WHERE id = ? AND modified = ? AND rsit IS NULL AND confidence IS NULL',
        [t.rsit, t.confidence, t.id, t.modified],
      );
      changed += r.changes;
    }
    return changed;
  },

  /**
   * Distinct objects with an RSIT class ingested at `fromUs ≤ date_added_us < toUs`, by class
   * and TLP (a new version of an object counts the object once per window).
   */
  async incidentCounts(q: Queryable, fromUs: number, toUs: number): Promise<SignalCount[]> {
    const rows = await q.all(
      "SELECT rsit, COALESCE(tlp, 'amber') AS tlp, COUNT(DISTINCT id) AS n FROM objects " +
        'WHERE rsit IS NOT NULL AND date_added_us >= ? AND date_added_us < ? ' +
        "GROUP BY rsit, COALESCE(tlp, 'amber') ORDER BY rsit, tlp",
      [fromUs, toUs],
    );
    return rows.map((r) => ({ rsit: text(r, 'rsit'), tlp: text(r, 'tlp'), count: int(r, 'n') }));
  },

  /**
   * For each confidence value among versions ingested at `fromUs ≤ date_added_us < toUs`, the
   * latest such version (at most 101 rows, whatever the volume).
   */
  async confidenceSamples(q: Queryable, fromUs: number, toUs: number): Promise<ConfidenceSample[]> {
    const rows = await q.all(
      'SELECT o.id, o.modified, o.confidence FROM objects o JOIN (' +
        'SELECT confidence AS c, MAX(seq) AS s FROM objects ' +
        'WHERE confidence IS NOT NULL AND date_added_us >= ? AND date_added_us < ? ' +
        'GROUP BY confidence) g ON o.seq = g.s ORDER BY o.confidence DESC',
      [fromUs, toUs],
    );
    return rows.map((r) => ({
      id: text(r, 'id'),
      modified: text(r, 'modified'),
      confidence: int(r, 'confidence'),
    }));
  },

  /** The tag of one stored version (tests, diagnostics). */
  async tagOf(
    q: Queryable,
    id: string,
    modified: string,
  ): Promise<{ rsit: string | null; confidence: number | null } | undefined> {
    const row = await q.get('SELECT rsit, confidence FROM objects WHERE id = ? AND modified = ?', [
      id,
      modified,
    ]);
    if (row === undefined) return undefined;
    const c = row['confidence'];
    return {
      rsit: textOrNull(row, 'rsit'),
      confidence: c === null ? null : int(row, 'confidence'),
    };
  },
};
