/**
 * Migration 4: officials' tokens and the metadata automatic escalation inputs read (issue 5).
 * Kept in its own file so the migrations list changes by one entry. Released migrations are
 * never edited.
 *
 * - `api_tokens.official`: a token bound to a designated official of the agreement (REST
 *   escalation endpoints); NULL for agency tokens. Its roles are read from the agreement at
 *   request time, never stored.
 * - `objects.rsit`, `objects.confidence`: the RSIT class (MISP `rsit:` label) and STIX
 *   confidence of an object version, written at ingest from the plaintext being sealed, so
 *   incident signals and intel quality are counted from metadata — never by decrypting content.
 *   NULL when the object carries neither (and for versions ingested before this migration).
 */

/** The statements of migration 4 for `d`. */
export function escalationInputs(d: 'sqlite' | 'postgres'): string[] {
  const SMALL = d === 'sqlite' ? 'INTEGER' : 'SMALLINT';
  return [
    `ALTER TABLE api_tokens ADD COLUMN official TEXT`,
    `ALTER TABLE objects ADD COLUMN rsit TEXT`,
    `ALTER TABLE objects ADD COLUMN confidence ${SMALL} CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 100))`,
    // Signals read by ingest instant; only tagged versions are indexed.
    `CREATE INDEX objects_signals ON objects (date_added_us)
       WHERE rsit IS NOT NULL OR confidence IS NOT NULL`,
  ];
}
