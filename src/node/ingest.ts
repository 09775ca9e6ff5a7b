import { ConcordatError, isConcordatError } from '../core/index.js';
import type { Clock } from '../core/index.js';
import type { StixIssue, StixValidationOptions } from '../intel/index.js';
import { entryRow } from '../ledger/index.js';
import type { JsonObject } from '../ledger/index.js';
import { conflictError, ledgerEntries } from '../store/index.js';
import type { Database, InsertResult, Transaction } from '../store/index.js';
import { windowFor } from '../vault/index.js';
import type { PutObjectInput, SealingKey, Vault } from '../vault/index.js';
import { bundleObjects, inlinePreparer, itemBytes } from './ingest-prepare.js';
import type {
  BundlePreparer,
  PreparedChunk,
  PreparedItem,
  PreparedStream,
  Retention,
} from './ingest-prepare.js';

export { UNVERSIONED } from './ingest-prepare.js';

/** A STIX object as parsed JSON. */
export type StixJson = Readonly<Record<string, unknown>>;

/** Who and what an ingest is for. */
export interface IngestContext {
  readonly db: Database;
  readonly vault: Vault;
  readonly clock: Clock;
  /** The party that produced the bundle (its KEK wraps the data keys). */
  readonly producer: string;
  /** The TAXII collection the objects are added to. */
  readonly collection: string;
  /**
   * How long the objects are kept: until `untilMs`, or, with `handling`, until an earlier
   * deadline in an object's own Concordat handling extension. Deadlines must lie in the future.
   */
  readonly retention: Retention;
  readonly validation?: StixValidationOptions;
  /**
   * Who prepares the bundle (validation, metadata, canonical JSON, hashes): ingest workers
   * (`IngestWorkers`) or, by default, the calling thread.
   */
  readonly preparer?: BundlePreparer;
  /**
   * Called after each batch of chunks is stored in the open transaction (`stored` of
   * `total`); the commit comes after the last. For progress bars.
   */
  readonly onProgress?: (stored: number, total: number) => void;
}

/** What happened to one object of the bundle. */
export interface IngestedObject {
  readonly id: string;
  /** The version key: `modified`, else `created`, else {@link UNVERSIONED}. */
  readonly version: string;
  readonly status: 'inserted' | 'unchanged';
  /** Leaf index of its `ingest` ledger entry (new versions only). */
  readonly ledgerSeq?: number;
}

/** The outcome of {@link ingestBundle}. */
export interface IngestReport {
  readonly bundleId: string;
  readonly received: number;
  readonly inserted: number;
  readonly unchanged: number;
  readonly objects: readonly IngestedObject[];
}

function invalid(issues: readonly StixIssue[], message: string): ConcordatError {
  const errors = issues.filter((i) => i.severity === 'error').length;
  return new ConcordatError(
    'ERR_STIX_INVALID',
    `${message}: ${errors} issue${errors === 1 ? '' : 's'}`,
    {
      details: issues,
    },
  );
}

/**
 * An object version by its place in the bundle: one past its retention deadline, or one stored
 * already with other content.
 */
interface Placed {
  readonly id: string;
  readonly version: string;
  readonly path: string;
}

/**
 * Ingests a STIX 2.1 bundle, all or nothing (issue 3, DESIGN invariant 7):
 *
 * - the whole bundle is validated (`ERR_STIX_INVALID` listing every issue), every retention
 *   deadline checked (`ERR_RETENTION_ENDED` listing every object already due), every stored
 *   version compared (`ERR_OBJECT_CONFLICT` listing every one), in that order of precedence;
 * - in ONE transaction, each new object version is sealed and stored under its producer's data
 *   key for its retention window, with one `ingest` ledger entry (ids, hashes and metadata
 *   only, never content). On any error the transaction rolls back: nothing is written.
 *
 * With ingest workers (`ctx.preparer`), a large bundle is prepared on another thread chunk by
 * chunk while this one seals and stores the chunks already prepared; the verdict of validation
 * arrives last and is checked before the commit. Without them, the bundle is validated first
 * and an invalid one never opens a transaction.
 *
 * Idempotent: versions already stored are `unchanged` and get no second ledger entry.
 */
export async function ingestBundle(bundle: unknown, ctx: IngestContext): Promise<IngestReport> {
  // A preparer that seals (ingest workers) gets the key of the usual window from the start,
  // if one exists already; keys it lacks are handed over from the transaction as chunks show
  // they are needed.
  const handed = new Set<number>();
  const now = ctx.clock.now();
  const until = ctx.retention.untilMs;
  const first =
    ctx.preparer !== undefined && Number.isSafeInteger(until) && until > now
      ? await ctx.vault.sealingKey(ctx.db, ctx.producer, until)
      : undefined;
  const preparer = ctx.preparer ?? inlinePreparer;
  const stream = preparer.open(
    bundle,
    {
      producer: ctx.producer,
      validation: ctx.validation ?? {},
      retention: ctx.retention,
      window: ctx.vault.window,
    },
    first === undefined ? [] : [first],
  );
  if (first !== undefined) {
    handed.add(first.windowEndMs);
    first.key.fill(0);
  }
  if (stream.settled !== undefined && !stream.settled.valid)
    throw invalid(stream.settled.issues, 'bundle is invalid');
  const list = bundleObjects(bundle);
  const bundleId = String((bundle as { readonly id?: unknown }).id);

  const objects = await ctx.db.transaction(async (tx) => {
    const results = new Array<IngestedObject | undefined>(list.length);
    const late: Placed[] = [];
    const conflicts: Placed[] = [];
    let failure: unknown;
    let stored = 0;
    for (;;) {
      // A batch: the next chunk, and those ready without waiting (up to STORE_BATCH objects),
      // so a slow store (PostgreSQL's round trips) works in bigger statements.
      const batch: PreparedChunk[] = [];
      try {
        const first = await stream.next();
        if (first === undefined) break;
        batch.push(first);
        let count = first.items.length;
        while (count < STORE_BATCH) {
          const more = stream.ready();
          if (more === undefined) break;
          batch.push(more);
          count += more.items.length;
        }
      } catch (err) {
        failure = err;
        if (batch.length === 0) break;
      }
      await storeBatch(tx, batch, { ctx, bundleId, now, results, late, conflicts });
      if (stream.provideKeys !== undefined)
        for (const chunk of batch) await handKeysFor(tx, chunk, ctx, stream, handed, now);
      for (const chunk of batch) stored += chunk.items.length;
      ctx.onProgress?.(stored, list.length);
      if (failure !== undefined) break;
    }
    // Precedence: an invalid bundle, then a failure to prepare it, then late objects, then
    // conflicting versions. Every throw rolls the transaction back.
    const verdict = await stream.verdict.catch((err: unknown) => {
      throw failure ?? err;
    });
    if (!verdict.valid) throw invalid(verdict.issues, 'bundle is invalid');
    if (failure !== undefined) throw failure;
    if (late.length > 0)
      throw new ConcordatError(
        'ERR_RETENTION_ENDED',
        `${late.length} object${late.length === 1 ? ' has' : 's have'} a retention deadline that is not in the future`,
        { details: late },
      );
    if (conflicts.length > 0) throw conflictError(conflicts, conflicts);
    return results.map((r) => {
      if (r === undefined) throw new ConcordatError('ERR_INTERNAL', 'an ingest result is missing');
      return r;
    });
  });
  const inserted = objects.filter((o) => o.status === 'inserted').length;
  return {
    bundleId,
    received: list.length,
    inserted,
    unchanged: objects.length - inserted,
    objects,
  };
}

/** Hands `keys` to `stream`, remembering their windows, and zeroes this thread's copies. */
function hand(stream: PreparedStream, handed: Set<number>, keys: readonly SealingKey[]): void {
  for (const k of keys) handed.add(k.windowEndMs);
  stream.provideKeys?.(keys);
  for (const k of keys) k.key.fill(0);
}

/** Keys for the windows of `chunk`'s objects that came unsealed, not handed over yet. */
async function handKeysFor(
  tx: Transaction,
  chunk: PreparedChunk,
  ctx: IngestContext,
  stream: PreparedStream,
  handed: Set<number>,
  now: number,
): Promise<void> {
  const wanted = new Map<number, number>();
  for (const item of chunk.items) {
    // Sealed already, or late (the bundle will be refused): no key wanted.
    if (
      item.keyId !== undefined ||
      !Number.isSafeInteger(item.retainUntilMs) ||
      item.retainUntilMs <= now
    )
      continue;
    const end = windowFor(item.retainUntilMs, ctx.vault.window).endMs;
    if (!handed.has(end)) wanted.set(end, item.retainUntilMs);
  }
  if (wanted.size === 0) return;
  const keys: SealingKey[] = [];
  for (const until of wanted.values()) {
    const key = await ctx.vault.sealingKey(tx, ctx.producer, until);
    if (key !== undefined) keys.push(key);
  }
  hand(stream, handed, keys);
}

/** Objects stored per statement batch at most (a batch is whole chunks). */
const STORE_BATCH = 1024;

/** What {@link storeBatch} reads and fills in. */
interface BatchScope {
  readonly ctx: IngestContext;
  readonly bundleId: string;
  readonly now: number;
  readonly results: (IngestedObject | undefined)[];
  readonly late: Placed[];
  readonly conflicts: Placed[];
}

/**
 * Seals (what came unsealed) and stores prepared chunks, one ledger entry per new version.
 * Once any object is late nothing more is stored (the bundle will be refused), but lateness is
 * still checked, so the refusal lists every late object; conflicts are collected batch by
 * batch likewise.
 */
async function storeBatch(
  tx: Transaction,
  chunks: readonly PreparedChunk[],
  s: BatchScope,
): Promise<void> {
  const { ctx, now } = s;
  const inputs: PutObjectInput[] = [];
  const of: PreparedItem[] = [];
  for (const chunk of chunks)
    for (let i = 0; i < chunk.items.length; i++) {
      const item = chunk.items[i] as PreparedItem;
      const retainUntilMs = item.retainUntilMs;
      if (!Number.isSafeInteger(retainUntilMs) || retainUntilMs <= now) {
        s.late.push({ id: item.id, version: item.version, path: `/objects/${item.index}` });
        continue;
      }
      if (s.late.length > 0) continue;
      const { content, contentHash, sealed } = itemBytes(chunk, i);
      of.push(item);
      inputs.push({
        id: item.id,
        type: item.meta.type,
        specVersion: item.specVersion,
        modified: item.version,
        collection: ctx.collection,
        producer: ctx.producer,
        tlp: item.meta.tlp,
        revoked: item.revoked,
        retainUntilMs,
        // Escalation's automatic inputs (incident signals, intel quality), in the same row.
        rsit: item.meta.rsit ?? null,
        confidence: item.meta.confidence ?? null,
        // Canonical bytes, hashed when prepared: the hash is sealed with them and ledgered.
        content,
        contentHash,
        ...(sealed === undefined ? {} : { sealed }),
      });
    }
  if (s.late.length > 0 || inputs.length === 0) return;
  let stored: InsertResult[];
  try {
    stored = await ctx.vault.putMany(tx, inputs);
  } catch (err) {
    // Name each conflicting object by its place in the bundle; keep looking in later chunks.
    if (isConcordatError(err, 'ERR_OBJECT_CONFLICT') && Array.isArray(err.details)) {
      for (const c of err.details as { id: string; modified: string; index: number }[])
        s.conflicts.push({
          id: c.id,
          version: c.modified,
          path: `/objects/${(of[c.index] as PreparedItem).index}`,
        });
      return;
    }
    throw err;
  }
  if (s.conflicts.length > 0) return;
  const fresh: number[] = [];
  for (let i = 0; i < stored.length; i++) if (stored[i]?.status === 'inserted') fresh.push(i);
  const first = await ledgerEntries.appendWith(tx, fresh.length, (seq, k) => {
    const i = fresh[k] as number;
    const item = of[i] as PreparedItem;
    const res = stored[i] as InsertResult;
    const hash = res.record.contentHash;
    // Keys in RFC 8785 order, so the canonical encoder finds them sorted and sorts nothing.
    const body: JsonObject = {
      bundleId: s.bundleId,
      collection: ctx.collection,
      keyId: res.record.keyId,
      objectHash: `sha256:${(Buffer.isBuffer(hash) ? hash : Buffer.from(hash)).toString('hex')}`,
      objectId: item.id,
      producer: ctx.producer,
      retainUntil: res.record.retainUntilMs,
      tlp: item.meta.tlp,
      type: item.meta.type,
      version: item.version,
    };
    // One encoding gives the stored body text and the leaf hash over the whole entry.
    const row = entryRow({ seq, at: now, kind: 'ingest', body });
    return { atMs: now, kind: 'ingest', body: row.body, leafHash: row.leafHash };
  });
  let n = 0;
  for (let i = 0; i < stored.length; i++) {
    const item = of[i] as PreparedItem;
    const res = stored[i] as InsertResult;
    s.results[item.index] =
      res.status === 'inserted'
        ? { id: item.id, version: item.version, status: 'inserted', ledgerSeq: first + n++ }
        : { id: item.id, version: item.version, status: 'unchanged' };
  }
}
