import { hash as oneShotHash } from 'node:crypto';
import { ConcordatError } from '../core/index.js';
import { canonicalStixJson, objectMeta, validateStixBundle } from '../intel/index.js';
import type { MarkingDefinition, StixValidation, StixValidationOptions } from '../intel/index.js';
import type { ObjectMeta } from '../policy/index.js';

/**
 * Ingest's CPU work on a bundle, apart from the store: validating it, and per object its
 * metadata, version, canonical JSON bytes and their SHA-256. It is the same code whether it
 * runs on the writer's thread ({@link inlinePreparer}) or on an ingest worker
 * (`ingest-workers.ts`), so the two cannot disagree; the writer then seals and stores the
 * prepared chunks in one transaction while the next chunks are being prepared.
 */

/**
 * The version of an object with neither `modified` nor `created` (most SCOs). Their ids are
 * deterministic from their content (STIX 2.1 §2.9), so one id has one version here.
 */
export const UNVERSIONED = '1970-01-01T00:00:00.000Z';

/** Objects per prepared chunk: small enough that the writer starts early, big enough to amortise a message. */
export const CHUNK_OBJECTS = 128;

/** What a preparation needs besides the bundle. */
export interface PrepareOptions {
  /** The producing party (it goes into each object's metadata). */
  readonly producer: string;
  readonly validation: StixValidationOptions;
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
}

/** The canonical bytes and SHA-256 of item `i` of `chunk` (views, no copy). */
export function itemBytes(
  chunk: PreparedChunk,
  i: number,
): { readonly content: Buffer; readonly contentHash: Buffer } {
  const start = i === 0 ? 0 : (chunk.ends[i - 1] as number);
  const end = chunk.ends[i] as number;
  const c = chunk.content;
  const h = chunk.hashes;
  return {
    content: Buffer.from(c.buffer, c.byteOffset + start, end - start),
    contentHash: Buffer.from(h.buffer, h.byteOffset + 32 * i, 32),
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

/**
 * Prepares `objects[from, to)`. Objects are assumed valid: on an invalid bundle this may throw
 * or produce nonsense, and the caller must not store it (the validation verdict decides).
 */
export function prepareChunk(
  objects: readonly Readonly<Record<string, unknown>>[],
  from: number,
  to: number,
  producer: string,
  bundleMarkings: readonly MarkingDefinition[],
): PreparedChunk {
  const n = to - from;
  const texts: string[] = new Array<string>(n);
  const items: PreparedItem[] = new Array<PreparedItem>(n);
  let room = 0;
  for (let k = 0; k < n; k++) {
    const o = objects[from + k] as Readonly<Record<string, unknown>>;
    const text = canonicalStixJson(o);
    texts[k] = text;
    room += Buffer.byteLength(text, 'utf8');
    items[k] = {
      index: from + k,
      id: String(o.id),
      version: versionOf(o),
      specVersion: typeof o.spec_version === 'string' ? o.spec_version : '2.1',
      revoked: o.revoked === true,
      meta: objectMeta(o, producer, { bundleMarkings }),
    };
  }
  // Unpooled buffers, exactly sized: a worker transfers them whole, and the writer may hold
  // many chunks at once.
  const content = Buffer.allocUnsafeSlow(room);
  const hashes = Buffer.allocUnsafeSlow(32 * n);
  const ends = new Uint32Array(n);
  let at = 0;
  for (let k = 0; k < n; k++) {
    const start = at;
    at += content.write(texts[k] as string, at, 'utf8');
    ends[k] = at;
    oneShotHash('sha256', content.subarray(start, at), 'buffer').copy(hashes, 32 * k);
  }
  return { items, content, ends, hashes };
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
  readonly verdict: Promise<StixValidation>;
}

/** Prepares bundles: on the writer's thread ({@link inlinePreparer}) or on ingest workers. */
export interface BundlePreparer {
  open(bundle: unknown, options: PrepareOptions): PreparedStream;
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
    return {
      settled: verdict,
      verdict: Promise.resolve(verdict),
      next: async () => {
        if (from >= objects.length) return undefined;
        const to = Math.min(objects.length, from + CHUNK_OBJECTS);
        const chunk = prepareChunk(objects, from, to, options.producer, markings);
        from = to;
        return chunk;
      },
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
