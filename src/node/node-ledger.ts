/**
 * The node's ledger: appends, signed checkpoints, whole-ledger verification and proofs over
 * the store's `ledger_entries` and `checkpoints`.
 *
 * Checkpoints are signed incrementally. A compact range over the leaves already covered by the
 * latest checkpoint is built once, at open, from the stored leaf hashes, and checked against
 * that checkpoint's signed root. Each new checkpoint first recomputes the leaf hash of every
 * entry appended since (`checkpointFor`'s guard, applied to the new leaves only) and refuses to
 * sign if one differs from its stored hash: a log never vouches for a leaf it did not verify.
 */
import { canonicalJson } from '../agreement/index.js';
import { ConcordatError, isConcordatError } from '../core/index.js';
import type { Clock } from '../core/index.js';
import {
  CompactRange,
  MerkleTree,
  entryLeafHash,
  noteVerifierKey,
  parseCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  verifyLedger,
} from '../ledger/index.js';
import type {
  JsonObject,
  LedgerBreak,
  LedgerEntry,
  LedgerRecord,
  LedgerVerification,
  NoteSigner,
  NoteVerifier,
} from '../ledger/index.js';
import { checkpoints, ledgerEntries } from '../store/index.js';
import type { CheckpointRecord, Database, LedgerEntryRecord } from '../store/index.js';
import { Mutex } from '../core/index.js';

/** Rows read per query while streaming the ledger. */
const CHUNK = 10_000;

/** An inclusion proof of one entry against a stored checkpoint. */
export interface InclusionProof {
  readonly seq: number;
  readonly size: number;
  readonly entry: LedgerEntry;
  /** RFC 6962 leaf hash of the entry, recomputed from it. */
  readonly leafHash: Uint8Array;
  readonly proof: readonly Uint8Array[];
  readonly root: Uint8Array;
  /** The signed checkpoint of `size` (C2SP note text). */
  readonly checkpoint: string;
}

/** A consistency proof between two stored checkpoints. */
export interface ConsistencyProof {
  readonly oldSize: number;
  readonly newSize: number;
  readonly oldRoot: Uint8Array;
  readonly newRoot: Uint8Array;
  readonly proof: readonly Uint8Array[];
  readonly oldCheckpoint: string;
  readonly newCheckpoint: string;
}

/** What {@link NodeLedger.open} needs. */
export interface NodeLedgerOptions {
  readonly db: Database;
  readonly clock: Clock;
  /** The log's origin; also the checkpoint key name. */
  readonly origin: string;
  readonly signer: NoteSigner;
}

/** A ledger verification as `concordat ledger verify` reports it. */
export type NodeLedgerVerification = LedgerVerification & {
  /** Entries the store says it holds when verification started. */
  readonly total: number;
};

function integrity(message: string, details?: unknown): ConcordatError {
  return new ConcordatError(
    'ERR_LEDGER_INTEGRITY',
    message,
    details === undefined ? {} : { details },
  );
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

const utf8 = new TextEncoder();

/** A stored row as the verifier reads it; a body that is not JSON is passed on as raw bytes. */
function toRecord(r: LedgerEntryRecord): LedgerRecord {
  let body: JsonObject;
  try {
    body = JSON.parse(r.body) as JsonObject;
  } catch {
    // Not an entry at all: the verifier reports it as `entry-malformed` at this position.
    return { entry: utf8.encode(r.body), storedLeafHash: r.leafHash };
  }
  return { entry: { seq: r.seq, at: r.atMs, kind: r.kind, body }, storedLeafHash: r.leafHash };
}

async function* stream(db: Database, from: number, to: number): AsyncGenerator<LedgerRecord> {
  for (let start = from; start < to; start += CHUNK) {
    const rows = await ledgerEntries.range(db, start, Math.min(to, start + CHUNK));
    for (const r of rows) yield toRecord(r);
    // A missing row shows up as a sequence gap in the verifier; stop reading past it.
    if (rows.length < Math.min(to, start + CHUNK) - start) return;
  }
}

async function leafHashes(db: Database, size: number): Promise<MerkleTree> {
  const tree = new MerkleTree();
  for (let start = 0; start < size; start += CHUNK * 5) {
    const end = Math.min(size, start + CHUNK * 5);
    const hashes = await ledgerEntries.leafHashes(db, start, end);
    if (hashes.length !== end - start)
      throw integrity(`ledger entries between \`${start}\` and \`${end}\` are missing`);
    for (const h of hashes) tree.append(h);
  }
  return tree;
}

/** The node's ledger service. Build it with {@link NodeLedger.open}. */
export class NodeLedger {
  readonly #db: Database;
  readonly #clock: Clock;
  readonly #signer: NoteSigner;
  readonly #verifier: NoteVerifier;
  readonly #range: CompactRange;
  readonly #mutex = new Mutex();
  #broken: string | undefined;

  /** The log's origin (C2SP checkpoint first line and key name). */
  readonly origin: string;
  /** The verifier key string of the node's checkpoint key (`name+id+base64`). */
  readonly verifierKey: string;

  private constructor(
    options: NodeLedgerOptions,
    verifier: NoteVerifier,
    range: CompactRange,
    broken: string | undefined,
  ) {
    this.#db = options.db;
    this.#clock = options.clock;
    this.#signer = options.signer;
    this.#verifier = verifier;
    this.#range = range;
    this.#broken = broken;
    this.origin = options.origin;
    this.verifierKey = noteVerifierKey(options.origin, options.signer.privateKey);
  }

  /**
   * Builds the compact range over the leaves the latest checkpoint covers, from the stored
   * leaf hashes, and checks it against that checkpoint. A mismatch does not stop the node from
   * opening (so the ledger can still be verified and read) but every later checkpoint — and
   * so every ingest — is refused with `ERR_LEDGER_INTEGRITY`.
   */
  static async open(options: NodeLedgerOptions, verifier: NoteVerifier): Promise<NodeLedger> {
    const range = new CompactRange();
    const latest = await checkpoints.latest(options.db);
    let broken: string | undefined;
    if (latest !== undefined) {
      for (let start = 0; start < latest.size && broken === undefined; start += CHUNK * 5) {
        const end = Math.min(latest.size, start + CHUNK * 5);
        const hashes = await ledgerEntries.leafHashes(options.db, start, end);
        if (hashes.length !== end - start)
          broken = `ledger entries between \`${start}\` and \`${end}\` are missing`;
        else for (const h of hashes) range.append(h);
      }
      const checked = verifyCheckpoint(latest.text, [verifier], { origin: options.origin });
      if (broken === undefined && !checked.ok)
        broken = `the latest checkpoint (size \`${latest.size}\`) does not verify with this node's key and origin \`${options.origin}\`: ${checked.message}`;
      else if (
        broken === undefined &&
        checked.ok &&
        (!sameBytes(checked.checkpoint.root, range.root()) || !sameBytes(latest.root, range.root()))
      )
        broken = `the stored leaf hashes do not give the root signed at size \`${latest.size}\``;
    }
    return new NodeLedger(options, verifier, range, broken);
  }

  /** The note verifier of the node's checkpoint key. */
  get verifier(): NoteVerifier {
    return this.#verifier;
  }

  /**
   * Appends one entry (in its own transaction) and signs a checkpoint over it. Returns the
   * entry's leaf index and the checkpoint.
   */
  async append(
    kind: string,
    body: JsonObject,
  ): Promise<{ readonly seq: number; readonly checkpoint: CheckpointRecord }> {
    await this.checkpoint();
    const at = this.#clock.now();
    const seq = await this.#db.transaction((tx) =>
      ledgerEntries.appendWith(tx, 1, (s) => ({
        atMs: at,
        kind,
        body: canonicalJson(body),
        leafHash: entryLeafHash({ seq: s, at, kind, body }),
      })),
    );
    return { seq, checkpoint: await this.checkpoint() };
  }

  /**
   * Signs and stores a checkpoint over the whole ledger, after verifying every entry appended
   * since the last one; returns the latest checkpoint unchanged when there is nothing new (an
   * empty ledger gets a size-0 checkpoint). Throws `ERR_LEDGER_INTEGRITY`, signing nothing,
   * when a new entry's stored leaf hash is not the hash of the entry.
   */
  checkpoint(): Promise<CheckpointRecord> {
    return this.#mutex.lock(async () => {
      if (this.#broken !== undefined)
        throw integrity(`refusing to sign a checkpoint: ${this.#broken}`);
      const size = await ledgerEntries.size(this.#db);
      for await (const record of stream(this.#db, this.#range.size, size)) {
        const seq = this.#range.size;
        const entry = record.entry as LedgerEntry;
        let recomputed: Uint8Array | undefined;
        try {
          recomputed = record.entry instanceof Uint8Array ? undefined : entryLeafHash(entry);
        } catch (err) {
          if (!isConcordatError(err)) throw err;
        }
        const why =
          recomputed === undefined
            ? `ledger entry \`${seq}\` is not a valid entry`
            : entry.seq !== seq
              ? `ledger entry at \`${seq}\` has seq \`${entry.seq}\``
              : !sameBytes(recomputed, record.storedLeafHash)
                ? `stored leaf hash of ledger entry \`${seq}\` is not the hash of its entry`
                : undefined;
        if (why !== undefined || recomputed === undefined)
          throw integrity(`refusing to sign a checkpoint: ${why ?? 'bad entry'}`, { seq });
        this.#range.append(recomputed);
      }
      if (this.#range.size < size)
        throw integrity(
          `refusing to sign a checkpoint: ledger entry \`${this.#range.size}\` is missing`,
          { seq: this.#range.size },
        );
      const latest = await checkpoints.latest(this.#db);
      if (latest !== undefined && latest.size >= this.#range.size) {
        if (latest.size === this.#range.size && !sameBytes(latest.root, this.#range.root()))
          throw integrity(
            `refusing to sign a checkpoint: stored checkpoint \`${latest.size}\` has another root`,
          );
        return latest;
      }
      const root = this.#range.root();
      const record: CheckpointRecord = {
        size: this.#range.size,
        root,
        text: signCheckpoint({ origin: this.origin, size: this.#range.size, root }, this.#signer),
        atMs: this.#clock.now(),
      };
      try {
        await this.#db.transaction((tx) => checkpoints.append(tx, record));
      } catch (err) {
        // Another process signed this size (or a later one) first: theirs stands.
        if (!isConcordatError(err, 'ERR_LEDGER_RANGE')) throw err;
        const now = await checkpoints.latest(this.#db);
        if (now === undefined) throw err;
        return now;
      }
      return record;
    });
  }

  /** The latest stored checkpoint, if any. */
  head(): Promise<CheckpointRecord | undefined> {
    return checkpoints.latest(this.#db);
  }

  /**
   * Verifies the whole stored ledger against every stored checkpoint with the node's key and
   * origin (`verifyLedger`), streaming, and reports the first break. Checkpoint rows whose
   * size or root columns disagree with their signed text, and entries the store counts but
   * does not hold, are breaks too. Never throws on bad data.
   */
  async verify(
    onProgress?: (verified: number, total: number) => void,
  ): Promise<NodeLedgerVerification> {
    const rows = await checkpoints.list(this.#db);
    const total = await ledgerEntries.size(this.#db);
    for (const [index, row] of rows.entries()) {
      const parsed = parseCheckpoint(row.text);
      if (
        parsed.ok &&
        (parsed.checkpoint.size !== row.size || !sameBytes(parsed.checkpoint.root, row.root))
      )
        return {
          ok: false,
          total,
          verified: 0,
          break: {
            kind: 'checkpoint-malformed',
            checkpointIndex: index,
            checkpointSize: row.size,
            message: `stored checkpoint row \`${row.size}\` has size or root columns that differ from its signed text`,
          },
        };
    }
    const result = await verifyLedger(
      stream(this.#db, 0, total),
      rows.map((r) => r.text),
      {
        verifiers: [this.#verifier],
        origin: this.origin,
        progressEvery: 1000,
        ...(onProgress === undefined ? {} : { onProgress: (n: number) => onProgress(n, total) }),
      },
    );
    if (result.ok && result.size < total) {
      const missing: LedgerBreak = {
        kind: 'sequence-gap',
        seq: result.size,
        message: `the store counts ${total} entries but holds only ${result.size}`,
      };
      return { ok: false, total, verified: result.size, break: missing };
    }
    return { ...result, total };
  }

  async #checkpointAt(size: number | undefined): Promise<CheckpointRecord> {
    const cp =
      size === undefined
        ? await checkpoints.latest(this.#db)
        : await checkpoints.get(this.#db, size);
    if (cp === undefined) {
      const sizes = (await checkpoints.list(this.#db)).map((c) => c.size);
      throw new ConcordatError(
        'ERR_NOT_FOUND',
        size === undefined
          ? 'the ledger has no checkpoint yet'
          : `no checkpoint of size \`${size}\`; checkpoints: ${sizes.length === 0 ? 'none' : sizes.slice(-10).join(', ')}`,
        { details: { size, sizes: sizes.slice(-100) } },
      );
    }
    return cp;
  }

  async #tree(cps: readonly CheckpointRecord[]): Promise<MerkleTree> {
    const size = Math.max(...cps.map((c) => c.size));
    const tree = await leafHashes(this.#db, size);
    for (const cp of cps) {
      const parsed = parseCheckpoint(cp.text);
      if (!parsed.ok || !sameBytes(parsed.checkpoint.root, tree.rootAt(cp.size)))
        throw integrity(
          `stored leaf hashes do not give the root signed at size \`${cp.size}\`; run \`concordat ledger verify\``,
        );
    }
    return tree;
  }

  /**
   * An RFC 6962 inclusion proof that entry `seq` is in the tree of the stored checkpoint of
   * `size` (default: the latest). The leaf hash is recomputed from the entry; the proof is
   * checked with `verifyInclusion` before it is returned.
   */
  async inclusion(seq: number, size?: number): Promise<InclusionProof> {
    if (!Number.isSafeInteger(seq) || seq < 0)
      throw new ConcordatError('ERR_LEDGER_RANGE', `entry index \`${seq}\` is not an index`);
    const cp = await this.#checkpointAt(size);
    if (seq >= cp.size)
      throw new ConcordatError(
        'ERR_LEDGER_RANGE',
        `entry \`${seq}\` is not covered by the checkpoint of size \`${cp.size}\``,
      );
    const row = await ledgerEntries.get(this.#db, seq);
    if (row === undefined) throw integrity(`ledger entry \`${seq}\` is missing`);
    const record = toRecord(row);
    if (record.entry instanceof Uint8Array) throw integrity(`ledger entry \`${seq}\` is not json`);
    const leaf = entryLeafHash(record.entry);
    if (!sameBytes(leaf, row.leafHash))
      throw integrity(`stored leaf hash of ledger entry \`${seq}\` is not the hash of its entry`);
    const tree = await this.#tree([cp]);
    const proof = tree.inclusionProof(seq, cp.size);
    if (!verifyInclusion(leaf, seq, cp.size, proof, cp.root).ok)
      throw new ConcordatError('ERR_INTERNAL', `inclusion proof of \`${seq}\` does not verify`);
    return {
      seq,
      size: cp.size,
      entry: record.entry,
      leafHash: leaf,
      proof,
      root: cp.root,
      checkpoint: cp.text,
    };
  }

  /**
   * An RFC 6962 consistency proof between the stored checkpoints of `oldSize` and `newSize`,
   * checked with `verifyConsistency` before it is returned.
   */
  async consistency(oldSize: number, newSize: number): Promise<ConsistencyProof> {
    if (!Number.isSafeInteger(oldSize) || oldSize < 1 || !Number.isSafeInteger(newSize))
      throw new ConcordatError(
        'ERR_LEDGER_RANGE',
        'the old size must be at least 1 (nothing is proved from the empty tree)',
      );
    if (oldSize > newSize)
      throw new ConcordatError(
        'ERR_LEDGER_RANGE',
        `old size \`${oldSize}\` is above new size \`${newSize}\``,
      );
    const a = await this.#checkpointAt(oldSize);
    const b = await this.#checkpointAt(newSize);
    const tree = await this.#tree([a, b]);
    const proof = tree.consistencyProof(oldSize, newSize);
    if (!verifyConsistency(oldSize, newSize, proof, a.root, b.root).ok)
      throw new ConcordatError('ERR_INTERNAL', 'consistency proof does not verify');
    return {
      oldSize,
      newSize,
      oldRoot: a.root,
      newRoot: b.root,
      proof,
      oldCheckpoint: a.text,
      newCheckpoint: b.text,
    };
  }
}
