import { hash as oneShotHash } from 'node:crypto';
import { ConcordatError, parseInstant } from '../core/index.js';
import { canonicalStixJson, objectMeta, readHandling, validateStixBundle } from '../intel/index.js';
import type { MarkingDefinition, StixValidation, StixValidationOptions } from '../intel/index.js';
import type { ObjectMeta } from '../policy/index.js';
import { instantToMicros } from '../store/index.js';
import { sealObject, windowFor } from '../vault/index.js';
import type { RetentionWindow, SealingKey } from '../vault/index.js';

/**
 * Ingest's CPU work on a bundle, apart from the store: validating it, and per object its
 * metadata, version, canonical JSON bytes and their SHA-256. It is the same code whether it
 * runs on the writer's thread ({@link inlinePreparer}) or on an ingest worker
 * (`ingest-workers.ts`), so the two cannot disagree; the writer then stores the prepared chunks
 * in one transaction while the next chunks are being prepared. A worker that holds the data key
 * of an object's retention window (`Vault.sealingKey`) seals it too; the vault takes that
 * sealing only if the key is still the live one (and seals again otherwise).
 */

/**
 * The version of an object with neither `modified` nor `created` (most SCOs). Their ids are
 * deterministic from their content (STIX 2.1 §2.9), so one id has one version here.
 */
export const UNVERSIONED = '1970-01-01T00:00:00.000Z';

/** Objects per prepared chunk: small enough that the writer starts early, big enough to amortise a message. */
export const CHUNK_OBJECTS = 128;

/**
 * How long ingested objects are kept: until `untilMs`, or — with `handling` — until the
 * deadline of the object's own Concordat handling extension when that is earlier.
 */
export interface Retention {
  readonly untilMs: number;
  readonly handling?: boolean;
}

/** What a preparation needs besides the bundle. */
export interface PrepareOptions {
  /** The producing party (it goes into each object's metadata). */
  readonly producer: string;
  readonly validation: StixValidationOptions;
  readonly retention: Retention;
  /** The vault's retention-window width, to find the data key of an object's window. */
  readonly window: RetentionWindow;
}

/** The retention deadline of object `o` under `r`. */
export function retainUntilOf(o: Readonly<Record<string, unknown>>, r: Retention): number {
  if (r.handling !== true) return r.untilMs;
  const stamp = readHandling(o as Parameters<typeof readHandling>[0]);
  const own = stamp === undefined ? undefined : parseInstant(stamp.retainUntil);
  return own === undefined ? r.untilMs : Math.min(r.untilMs, own);
}

/** One object of the bundle, as prepared. */
export interface PreparedItem {
  /** Its place in the bundle's `objects`. */
  readonly index: number;
  readonly id: string;
  /** The version key: `modified`, else `created`, else {@link UNVERSIONED}. */
  readonly version: string;
  readonly specVersion: string;
  readonly revoked: boolean;
  readonly meta: ObjectMeta;
  /** Its retention deadline, epoch ms ({@link retainUntilOf}). */
  readonly retainUntilMs: number;
  /** The data key that sealed it in {@link PreparedChunk.sealed}, if it was sealed here. */
  readonly keyId?: string;
}

/**
 * Consecutive objects of a bundle, prepared. `content` holds their canonical JSON (RFC 8785)
 * bytes back to back (item `i` ends at `ends[i]`), `hashes` their SHA-256 digests, 32 bytes
 * each: two buffers, so a worker hands a chunk over without copying it.
 */
export interface PreparedChunk {
  readonly items: readonly PreparedItem[];
  readonly content: Uint8Array;
  readonly ends: Uint32Array;
  readonly hashes: Uint8Array;
  /**
   * The items with a `keyId`, sealed: each ciphertext at its content's offsets (AES-GCM keeps
   * the length), nonces 12 bytes and tags 16 bytes apiece by item index.
   */
  readonly sealed?: {
    readonly ciphertext: Uint8Array;
    readonly nonces: Uint8Array;
    readonly tags: Uint8Array;
  };
}

const view = (b: Uint8Array, at: number, length: number): Buffer =>
  Buffer.from(b.buffer, b.byteOffset + at, length);

/** The canonical bytes, SHA-256 and (when sealed here) sealed content of item `i` (views, no copy). */
export function itemBytes(
  chunk: PreparedChunk,
  i: number,
): {
  readonly content: Buffer;
  readonly contentHash: Buffer;
  readonly sealed?: {
    readonly keyId: string;
    readonly nonce: Buffer;
    readonly ciphertext: Buffer;
    readonly tag: Buffer;
  };
} {
  const start = i === 0 ? 0 : (chunk.ends[i - 1] as number);
  const end = chunk.ends[i] as number;
  const keyId = chunk.items[i]?.keyId;
  const s = chunk.sealed;
  return {
    content: view(chunk.content, start, end - start),
    contentHash: view(chunk.hashes, 32 * i, 32),
    ...(keyId === undefined || s === undefined
      ? {}
      : {
          sealed: {
            keyId,
            nonce: view(s.nonces, 12 * i, 12),
            ciphertext: view(s.ciphertext, start, end - start),
            tag: view(s.tags, 16 * i, 16),
          },
        }),
  };
}

/** A bundle's `objects` when it is a list (anything else is validation's to report). */
export function bundleObjects(bundle: unknown): readonly Readonly<Record<string, unknown>>[] {
  const objects =
    typeof bundle === 'object' && bundle !== null
      ? (bundle as { readonly objects?: unknown }).objects
      : undefined;
  return Array.isArray(objects) ? (objects as Readonly<Record<string, unknown>>[]) : [];
}

/** The marking definitions travelling in the bundle (TLP of the objects that reference them). */
export function bundleMarkingsOf(
  objects: readonly Readonly<Record<string, unknown>>[],
): MarkingDefinition[] {
  return objects.filter(
    (o) => typeof o === 'object' && o !== null && o.type === 'marking-definition',
  ) as unknown as MarkingDefinition[];
}

function versionOf(o: Readonly<Record<string, unknown>>): string {
  const v = typeof o.modified === 'string' ? o.modified : o.created;
  return typeof v === 'string' ? v : UNVERSIONED;
}

/** Data keys a worker holds for sealing, by the end of their window (one producer per bundle). */
export type KeysByWindow = ReadonlyMap<number, SealingKey>;

/**
 * Prepares `objects[from, to)`, and seals each whose window's key is in `keys`. Objects are
 * assumed valid: on an invalid bundle this may throw or produce nonsense, and the caller must
 * not store it (the validation verdict decides).
 */
export function prepareChunk(
  objects: readonly Readonly<Record<string, unknown>>[],
  from: number,
  to: number,
  options: PrepareOptions,
  bundleMarkings: readonly MarkingDefinition[],
  keys?: KeysByWindow,
): PreparedChunk {
  const n = to - from;
  const texts: string[] = new Array<string>(n);
  const items: PreparedItem[] = new Array<PreparedItem>(n);
  const sealWith: (SealingKey | undefined)[] = new Array<SealingKey | undefined>(n);
  let room = 0;
  let sealing = 0;
  for (let k = 0; k < n; k++) {
    const o = objects[from + k] as Readonly<Record<string, unknown>>;
    const text = canonicalStixJson(o);
    texts[k] = text;
    room += Buffer.byteLength(text, 'utf8');
    const retainUntilMs = retainUntilOf(o, options.retention);
    const key =
      keys === undefined || keys.size === 0 || !Number.isSafeInteger(retainUntilMs)
        ? undefined
        : keys.get(windowFor(retainUntilMs, options.window).endMs);
    sealWith[k] = key;
    if (key !== undefined) sealing++;
    items[k] = {
      index: from + k,
      id: String(o.id),
      version: versionOf(o),
      specVersion: typeof o.spec_version === 'string' ? o.spec_version : '2.1',
      revoked: o.revoked === true,
      meta: objectMeta(o, options.producer, { bundleMarkings }),
      retainUntilMs,
      ...(key === undefined ? {} : { keyId: key.keyId }),
    };
  }
  // Unpooled buffers, exactly sized: a worker transfers them whole, and the writer may hold
  // many chunks at once.
  const content = Buffer.allocUnsafeSlow(room);
  const hashes = Buffer.allocUnsafeSlow(32 * n);
  const ends = new Uint32Array(n);
  const sealed =
    sealing === 0
      ? undefined
      : {
          ciphertext: Buffer.allocUnsafeSlow(room),
          nonces: Buffer.allocUnsafeSlow(12 * n),
          tags: Buffer.allocUnsafeSlow(16 * n),
        };
  let at = 0;
  for (let k = 0; k < n; k++) {
    const start = at;
    at += content.write(texts[k] as string, at, 'utf8');
    ends[k] = at;
    const bytes = content.subarray(start, at);
    const hash = oneShotHash('sha256', bytes, 'buffer');
    hash.copy(hashes, 32 * k);
    const key = sealWith[k];
    if (key === undefined || sealed === undefined) continue;
    const item = items[k] as PreparedItem;
    const s = sealObject(
      key,
      {
        id: item.id,
        modifiedUs: instantToMicros(item.version),
        producer: options.producer,
        tlp: item.meta.tlp,
        retainUntilMs: item.retainUntilMs,
        contentHash: hash,
      },
      bytes,
    );
    sealed.ciphertext.set(s.ciphertext, start);
    sealed.nonces.set(s.nonce, 12 * k);
    sealed.tags.set(s.tag, 16 * k);
  }
  return { items, content, ends, hashes, ...(sealed === undefined ? {} : { sealed }) };
}

/**
 * A bundle being prepared: its chunks in bundle order, then its validation verdict. `settled`
 * is the verdict when it was known before any chunk (the writer then refuses an invalid bundle
 * without opening a transaction).
 */
export interface PreparedStream {
  readonly settled?: StixValidation;
  /** The next chunk, or `undefined` after the last; rejects if preparing failed. */
  next(): Promise<PreparedChunk | undefined>;
  /**
   * The next chunk if it is at hand without waiting for another thread, else `undefined` (and
   * then {@link PreparedStream.next} tells the rest). Throws as `next` rejects.
   */
  ready(): PreparedChunk | undefined;
  readonly verdict: Promise<StixValidation>;
  /**
   * Hands data keys to a preparer that seals (ingest workers): objects of their windows in
   * later chunks arrive sealed. Absent where the writer seals everything itself.
   */
  provideKeys?(keys: readonly SealingKey[]): void;
}

/** Prepares bundles: on the writer's thread ({@link inlinePreparer}) or on ingest workers. */
export interface BundlePreparer {
  /**
   * Starts preparing `bundle`. `keys` are data keys a preparer that seals may use from the
   * first chunk on (copies: the caller zeroes its own); one that does not seal ignores them.
   */
  open(bundle: unknown, options: PrepareOptions, keys?: readonly SealingKey[]): PreparedStream;
}

/**
 * The preparer on the calling thread: validates first (an invalid bundle is refused before any
 * transaction), then prepares each chunk when the writer asks for it.
 */
export const inlinePreparer: BundlePreparer = {
  open(bundle, options) {
    const verdict = validateStixBundle(bundle, options.validation);
    const objects = verdict.valid ? bundleObjects(bundle) : [];
    const markings = bundleMarkingsOf(objects);
    let from = 0;
    const take = (): PreparedChunk | undefined => {
      if (from >= objects.length) return undefined;
      const to = Math.min(objects.length, from + CHUNK_OBJECTS);
      const chunk = prepareChunk(objects, from, to, options, markings);
      from = to;
      return chunk;
    };
    return {
      settled: verdict,
      verdict: Promise.resolve(verdict),
      next: async () => take(),
      // On this thread every chunk is at hand: preparing it is the wait.
      ready: take,
    };
  },
};

/** An error as it crosses from a worker: a Concordat error keeps its code, message and details. */
export interface ErrorMessage {
  readonly code?: string;
  readonly message: string;
  readonly details?: unknown;
}

/** {@link ErrorMessage} of an error thrown while preparing. */
export function errorMessage(err: unknown): ErrorMessage {
  if (err instanceof ConcordatError)
    return { code: err.code, message: err.message, details: err.details };
  return { message: err instanceof Error ? err.message : String(err) };
}
