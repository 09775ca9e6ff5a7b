/**
 * The ledger module's only public door: RFC 6962 Merkle trees and proofs, ledger entries,
 * C2SP checkpoints and whole-ledger verification. Pure: node:crypto only, no I/O.
 */
export { HASH_SIZE, leafHash, nodeHash, emptyRoot } from './hash.js';
export { MerkleTree } from './merkle-tree.js';
export { CompactRange } from './compact-range.js';
export { isValidSubtree } from './tree-math.js';
export type { ProofFailure, ProofResult } from './proof-result.js';
export { verifyInclusion, verifySubtreeInclusion } from './verify-inclusion.js';
export { verifyConsistency, verifySubtreeConsistency } from './verify-consistency.js';
export { encodeEntry, decodeEntry, entryLeafHash, entryRow } from './entry.js';
export type { LedgerEntry, JsonObject, JsonValue, EntryRow } from './entry.js';
export { assertNoContent, BODY_LIMITS } from './assert-no-content.js';
export {
  noteVerifier,
  noteVerifierKey,
  parseNoteVerifierKey,
  noteKeyId,
  signNote,
  parseNote,
  verifyNote,
} from './note.js';
export type {
  NoteSigner,
  NoteVerifier,
  NoteSignature,
  ParsedNote,
  NoteFailure,
  NoteVerification,
} from './note.js';
export {
  formatCheckpoint,
  signCheckpoint,
  parseCheckpoint,
  verifyCheckpoint,
} from './checkpoint.js';
export type {
  Checkpoint,
  CheckpointFailure,
  CheckpointParse,
  CheckpointVerification,
  CheckpointExpectations,
} from './checkpoint.js';
export { verifyLedger } from './verify-ledger.js';
export type {
  LedgerRecord,
  LedgerBreak,
  LedgerBreakKind,
  LedgerVerification,
  VerifyLedgerOptions,
} from './verify-ledger.js';
export { checkpointFor } from './checkpoint-for.js';
export type { CheckpointForOptions } from './checkpoint-for.js';
export {
  LEDGER_EXPORT_TYPE,
  exportCheckpointLine,
  exportEntryLine,
  exportHeaderLine,
  readLedgerExport,
} from './ledger-export.js';
export type { LedgerExportHeader, LedgerExportReading } from './ledger-export.js';
