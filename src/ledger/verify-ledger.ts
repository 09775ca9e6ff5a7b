import { isConcordatError } from '../core/index.js';
import { parseCheckpoint, verifyCheckpoint, type Checkpoint } from './checkpoint.js';
import { CompactRange } from './compact-range.js';
import { decodeEntry, encodeEntry, type LedgerEntry } from './entry.js';
import { HASH_SIZE, emptyRoot, equalBytes, leafHash } from './hash.js';
import type { NoteVerifier } from './note.js';
import { scanEntrySeq } from './scan-entry.js';

/**
 * A record as a store holds it: the entry — preferably the exact canonical bytes it persisted,
 * or the decoded object — and the leaf hash it stored beside it.
 */
export interface LedgerRecord {
  readonly entry: LedgerEntry | Uint8Array;
  readonly storedLeafHash: Uint8Array;
}

/** What kind of break the verifier found. */
export type LedgerBreakKind =
  /** A checkpoint is not a well-formed signed checkpoint. */
  | 'checkpoint-malformed'
  /** A checkpoint's signatures fail (bad, missing, or no trusted signer). */
  | 'checkpoint-signature'
  /** A checkpoint names another log. */
  | 'checkpoint-origin'
  /** Checkpoints go back in size. */
  | 'checkpoint-order'
  /** A record is not a valid canonical entry. */
  | 'entry-malformed'
  /** A record's `seq` is not its position. */
  | 'sequence-gap'
  /** A record's stored leaf hash is not the hash of its entry. */
  | 'leaf-hash-mismatch'
  /** The root recomputed at a checkpoint's size is not the signed root. */
  | 'checkpoint-root-mismatch'
  /** A checkpoint covers more entries than the ledger holds (entries were removed). */
  | 'checkpoint-beyond-ledger';

/** The first break found, located precisely. */
export interface LedgerBreak {
  readonly kind: LedgerBreakKind;
  /** The entry's position, for record breaks and root mismatches (the last entry covered). */
  readonly seq?: number;
  /** Index of the checkpoint in the list given, for checkpoint breaks. */
  readonly checkpointIndex?: number;
  readonly checkpointSize?: number;
  readonly message: string;
}

/** The outcome of {@link verifyLedger}. */
export type LedgerVerification =
  | {
      readonly ok: true;
      /** Entries verified. */
      readonly size: number;
      /** RFC 6962 root over all entries. */
      readonly root: Uint8Array;
      /** Largest checkpoint size: entries beyond it are not yet covered by a signature. */
      readonly anchoredSize: number;
      readonly checkpoints: number;
    }
  | { readonly ok: false; readonly break: LedgerBreak; readonly verified: number };

/** Options for {@link verifyLedger}. */
export interface VerifyLedgerOptions {
  /** Keys trusted to sign checkpoints (the node's log key, the oversight body's, ...). */
  readonly verifiers: readonly NoteVerifier[];
  /** `all`: every verifier must sign every checkpoint. Default `any`. */
  readonly require?: 'any' | 'all';
  /** The log's origin; default: the first checkpoint's, and all must agree. */
  readonly origin?: string;
  /** Call `onProgress` every this many entries (default 10,000). */
  readonly progressEvery?: number;
  readonly onProgress?: (verified: number) => void;
}

interface Anchor {
  readonly index: number;
  readonly checkpoint: Checkpoint;
}

/**
 * Verifies a whole ledger from its stored records and its signed checkpoints, and reports the
 * FIRST break. Order of checks: every checkpoint (format, signatures, origin, sizes
 * non-decreasing) — they are the trust anchors; then each record in order (valid canonical
 * entry, `seq` equal to its position, stored leaf hash equal to the recomputed one), comparing
 * the recomputed RFC 6962 root with each checkpoint as the stream reaches its size, which also
 * proves the checkpoints consistent with one another; finally that no checkpoint covers more
 * entries than exist. Streams: memory is O(log n) (a compact range), whatever the ledger size.
 * Accepts sync or async iterables; never throws on bad data.
 */
export async function verifyLedger(
  records: Iterable<LedgerRecord> | AsyncIterable<LedgerRecord>,
  checkpoints: readonly (string | Uint8Array)[],
  options: VerifyLedgerOptions,
): Promise<LedgerVerification> {
  const anchors = checkAnchors(checkpoints, options);
  if (!('length' in anchors)) return { ok: false, break: anchors, verified: 0 };
  const state = new LedgerWalk(anchors, options);
  const early = state.start();
  if (early !== undefined) return { ok: false, break: early, verified: 0 };
  if (Symbol.asyncIterator in records) {
    for await (const record of records) {
      const broken = state.push(record);
      if (broken !== undefined) return { ok: false, break: broken, verified: state.size };
    }
  } else {
    for (const record of records) {
      const broken = state.push(record);
      if (broken !== undefined) return { ok: false, break: broken, verified: state.size };
    }
  }
  return state.finish();
}

function checkAnchors(
  checkpoints: readonly (string | Uint8Array)[],
  options: VerifyLedgerOptions,
): Anchor[] | LedgerBreak {
  const anchors: Anchor[] = [];
  let origin = options.origin;
  for (const [index, note] of checkpoints.entries()) {
    const parsed = parseCheckpoint(note);
    if (!parsed.ok) {
      return { kind: 'checkpoint-malformed', checkpointIndex: index, message: parsed.message };
    }
    const checked = verifyCheckpoint(
      note,
      options.verifiers,
      options.require === undefined ? {} : { require: options.require },
    );
    if (!checked.ok) {
      const kind =
        checked.reason === 'malformed-checkpoint' ? 'checkpoint-malformed' : 'checkpoint-signature';
      return {
        kind,
        checkpointIndex: index,
        checkpointSize: parsed.checkpoint.size,
        message: checked.message,
      };
    }
    const { checkpoint } = checked;
    origin ??= checkpoint.origin;
    if (checkpoint.origin !== origin) {
      return {
        kind: 'checkpoint-origin',
        checkpointIndex: index,
        checkpointSize: checkpoint.size,
        message: `checkpoint origin is not \`${origin}\``,
      };
    }
    const previous = anchors[anchors.length - 1];
    if (previous !== undefined && checkpoint.size < previous.checkpoint.size) {
      return {
        kind: 'checkpoint-order',
        checkpointIndex: index,
        checkpointSize: checkpoint.size,
        message: `checkpoint size ${String(checkpoint.size)} is below the previous ${String(previous.checkpoint.size)}`,
      };
    }
    anchors.push({ index, checkpoint });
  }
  return anchors;
}

/** The streaming part of {@link verifyLedger}, one record at a time. */
class LedgerWalk {
  readonly #range = new CompactRange();
  readonly #anchors: readonly Anchor[];
  readonly #every: number;
  readonly #onProgress: ((verified: number) => void) | undefined;
  #next = 0;

  constructor(anchors: readonly Anchor[], options: VerifyLedgerOptions) {
    this.#anchors = anchors;
    this.#every = Math.max(1, Math.floor(options.progressEvery ?? 10_000));
    this.#onProgress = options.onProgress;
  }

  get size(): number {
    return this.#range.size;
  }

  /** Checkpoints of size 0 must carry the empty-tree root. */
  start(): LedgerBreak | undefined {
    return this.#reachAnchors();
  }

  push(record: LedgerRecord): LedgerBreak | undefined {
    const seq = this.#range.size;
    let bytes: Uint8Array;
    let entrySeq: number;
    try {
      if (record.entry instanceof Uint8Array) {
        bytes = record.entry;
        // Fast path: a byte scan that proves canonicality (see scan-entry.ts); anything it
        // does not cover is decoded, re-encoded and compared by the reference path.
        entrySeq = scanEntrySeq(bytes) ?? decodeEntry(bytes).seq;
      } else {
        const entry: LedgerEntry = record.entry;
        bytes = encodeEntry(entry);
        entrySeq = entry.seq;
      }
    } catch (err) {
      const message = isConcordatError(err) ? err.message : 'record is not a ledger entry';
      return { kind: 'entry-malformed', seq, message };
    }
    if (entrySeq !== seq) {
      return {
        kind: 'sequence-gap',
        seq,
        message: `entry at position ${String(seq)} has seq ${String(entrySeq)}`,
      };
    }
    const recomputed = leafHash(bytes);
    const stored = record.storedLeafHash;
    if (
      !(stored instanceof Uint8Array) ||
      stored.length !== HASH_SIZE ||
      !equalBytes(stored, recomputed)
    ) {
      return {
        kind: 'leaf-hash-mismatch',
        seq,
        message: `stored leaf hash of entry ${String(seq)} is not the hash of its entry`,
      };
    }
    this.#range.append(recomputed);
    const size = this.#range.size;
    if (size % this.#every === 0) this.#onProgress?.(size);
    return this.#reachAnchors();
  }

  finish(): LedgerVerification {
    const size = this.#range.size;
    const beyond = this.#anchors[this.#next];
    if (beyond !== undefined) {
      return {
        ok: false,
        verified: size,
        break: {
          kind: 'checkpoint-beyond-ledger',
          checkpointIndex: beyond.index,
          checkpointSize: beyond.checkpoint.size,
          message: `checkpoint covers ${String(beyond.checkpoint.size)} entries but the ledger holds ${String(size)}`,
        },
      };
    }
    if (size % this.#every !== 0) this.#onProgress?.(size);
    const last = this.#anchors[this.#anchors.length - 1];
    return {
      ok: true,
      size,
      root: this.#range.root(),
      anchoredSize: last?.checkpoint.size ?? 0,
      checkpoints: this.#anchors.length,
    };
  }

  /** Compares the root with every checkpoint whose size the stream has just reached. */
  #reachAnchors(): LedgerBreak | undefined {
    const size = this.#range.size;
    let root: Uint8Array | undefined;
    for (
      let anchor = this.#anchors[this.#next];
      anchor?.checkpoint.size === size;
      anchor = this.#anchors[this.#next]
    ) {
      root ??= size === 0 ? emptyRoot() : this.#range.root();
      if (!equalBytes(root, anchor.checkpoint.root)) {
        return {
          kind: 'checkpoint-root-mismatch',
          ...(size > 0 ? { seq: size - 1 } : {}),
          checkpointIndex: anchor.index,
          checkpointSize: size,
          message: `recomputed root at size ${String(size)} is not the signed root`,
        };
      }
      this.#next++;
    }
    return undefined;
  }
}
