/**
 * node/: services that compose the adapters around the pure core. So far: bundle ingest
 * (validate → seal → store → ledger, one transaction), shredding with its ledger entries, and
 * reading stored ledger records for verification. The composition root that builds a node from its config will live here too.
 */
export { ingestBundle, UNVERSIONED } from './ingest.js';
export type { IngestContext, IngestReport, IngestedObject, StixJson } from './ingest.js';
export { ledgerRecords } from './ledger-records.js';
export { shredDue, shredEntryBody } from './shred.js';
export type { ShredContext } from './shred.js';
